// The bench's goals hold at every size it accepts: a throughput is judged only over a phase long
// enough for its fixed costs not to decide it, and the goal line says from which size.
import { describe, expect, it } from "vitest";
import { MIN_THROUGHPUT_FLOOR_S, offlineGoals, phaseGoals } from "../../bench/goals";
import { floorSeconds, ratio, type PhaseName, type PhaseResult } from "../../bench/report";

function phase(name: PhaseName, tasks: number, wall: number, stacks = 1, errors = 0): PhaseResult {
  const floor = floorSeconds(name, tasks);
  return {
    phase: name, concurrency: 8, stacks, tasks, wallSeconds: wall, floorSeconds: floor, ratio: ratio(wall, floor),
    apiCalls: {}, throttled: 0, retries: 0, errors, throttlingErrorsSurfaced: 0,
  };
}

describe("bench goals", () => {
  it("50 tasks: the rate of create and modify is not judged (fixed costs decide a 1 s floor), failures are", () => {
    // Measured on the 2-core machine at --tasks 50: 1.60 s for 50 creates, 3.28 s for 50 modifies.
    const goals = phaseGoals([phase("create", 50, 1.6), phase("modify", 50, 3.28)], 50, String);
    expect(goals.map((g) => g.met)).toEqual([true, true]);
    expect(goals[0].target).toBe(`0 failures (the rate is judged from a ${MIN_THROUGHPUT_FLOOR_S} s floor: --tasks 200)`);
    expect(goals[1].target).toMatch(/--tasks 80\)$/);
    expect(phaseGoals([phase("create", 50, 1.6, 1, 2)], 50, String)[0].met).toBe(false);
  });

  it("from the minimum floor on, the rate is judged: 0.9 × the documented rate", () => {
    const [met, missed] = phaseGoals([phase("create", 200, 4.2), phase("modify", 80, 4.6)], 200, String);
    expect(met).toMatchObject({ met: true, target: "≥ 0.9 × documented rate, 0 failures" });
    expect(missed.met).toBe(false);
    // Two stacks of 100 creates: a 4 s floor together.
    expect(phaseGoals([phase("create", 200, 5, 2)], 100, String)[0].target).toMatch(/together/);
  });

  it("validate is judged as a multiple of a bare node start; check+diff at 0.05 ms", () => {
    const at = (ratio: number, ms: number) =>
      offlineGoals({ checkDiffMs: ms, providerBytes: 3000, validate: { tasks: 1000, ratio, seconds: 0.3, ok: true } });
    expect(at(4.9, 0.049).every((g) => g.met)).toBe(true);
    expect(at(5.1, 0.049).find((g) => g.name.startsWith("validate"))!.met).toBe(false);
    expect(at(4.9, 0.06).find((g) => g.name.startsWith("check+diff"))!.met).toBe(false);
  });
});
