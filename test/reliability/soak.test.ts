// The soak at test size: create, modify, force-replace (both orders) and delete tasks through the
// real provider host while the emulator injects faults at a high rate, re-running each phase for
// what failed. After every phase the emulator holds exactly the desired set: no duplicate, no
// orphan, no task owned twice, nothing missing, no lost change, nothing left failing. (`npm run
// soak` runs the same at large size with all seven kinds.)
//
// All seven fault kinds, `timeout` and `stale-read` included: the provider is configured with a short
// tencentcloud:requestTimeoutMs so each unanswered request costs about a second, not 15.
import { describe, expect, it } from "vitest";
import { FAULT_KINDS, runSoak } from "../../bench/soak/run";

const KINDS = FAULT_KINDS;
const requestTimeoutMs = 1_000;

describe("soak (test size)", () => {
  it("24 tasks at a 30% fault rate, every task replaced once: converges with 0 duplicates, 0 orphans, 0 lost changes", async () => {
    const lines: string[] = [];
    const report = await runSoak({ tasks: 24, faultRate: 0.3, seed: 7, kinds: KINDS, replace: true, requestTimeoutMs, log: (l) => lines.push(l) });
    const { phases, ...summary } = report;
    console.log(`${lines.join("\n")}\n${JSON.stringify(summary)}`);
    // stale-read hits only Describes, a few dozen here: the test below makes sure it is exercised.
    for (const k of KINDS.filter((k) => k !== "stale-read")) expect(report.faultsInjected[k], `${k} faults injected`).toBeGreaterThan(0);
    for (const p of phases) {
      expect(p.verdict.problems, `${p.phase}`).toEqual([]);
      expect(p.replacements, `${p.phase} replacements`).toBe(0);
    }
    expect({ duplicates: report.duplicates, orphans: report.orphans, shared: report.shared, missing: report.missing, lostChanges: report.lostChanges })
      .toEqual({ duplicates: 0, orphans: 0, shared: 0, missing: 0, lostChanges: 0 });
    expect(report.converged).toBe(true);
    expect(report.notReplaced).toBe(0);
    expect(report.clean).toBe(true);
    // The faults really were absorbed by retries and read-backs, not dodged.
    expect(report.retries).toBeGreaterThan(0);
    expect(report.operations).toBeGreaterThanOrEqual(24 * 5);
  });
});

describe("soak with lagging reads (test size)", () => {
  it("24 tasks, stale reads with lost and cut-off answers at 60%, every task replaced once: clean", async () => {
    const lines: string[] = [];
    const kinds = ["stale-read", "lost-response", "reset"];
    const report = await runSoak({ tasks: 24, faultRate: 0.6, seed: 9, kinds, replace: true, requestTimeoutMs, log: (l) => lines.push(l) });
    const { phases, ...summary } = report;
    console.log(`${lines.join("\n")}\n${JSON.stringify(summary)}`);
    for (const k of kinds) expect(report.faultsInjected[k], `${k} faults injected`).toBeGreaterThan(0);
    for (const p of phases) expect(p.verdict.problems, `${p.phase}`).toEqual([]);
    expect({ clean: report.clean, notReplaced: report.notReplaced }).toEqual({ clean: true, notReplaced: 0 });
  });
});

describe("soak with the provider host killed mid-round (test size)", () => {
  it("24 tasks, faults plus a SIGKILL in the first round of every phase: re-runs converge, nothing duplicated, orphaned or lost", async () => {
    const lines: string[] = [];
    const report = await runSoak({ tasks: 24, faultRate: 0.2, seed: 11, kinds: KINDS, interrupt: true, requestTimeoutMs, log: (l) => lines.push(l) });
    const { phases, ...summary } = report;
    console.log(`${lines.join("\n")}\n${JSON.stringify(summary)}`);
    expect(report.hostKills).toBe(3);
    // A kill fails what was still in flight (answers already received still count as done); a
    // phase with failures needed another `up`, and every phase ends clean.
    for (const p of phases) {
      if (p.failures > 0) expect(p.rounds, `${p.phase} rounds`).toBeGreaterThanOrEqual(2);
      expect(p.verdict.problems, `${p.phase}`).toEqual([]);
    }
    expect({ duplicates: report.duplicates, orphans: report.orphans, shared: report.shared, missing: report.missing, lostChanges: report.lostChanges })
      .toEqual({ duplicates: 0, orphans: 0, shared: 0, missing: 0, lostChanges: 0 });
    expect(report.converged).toBe(true);
  });
});
