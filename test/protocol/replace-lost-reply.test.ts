// Issue 15 item 3: a destination-change replacement whose Create reply is lost while Describe lags.
// The re-send is refused as "in use": most likely by the task our own unanswered send created, not
// yet shown. Moving on to the next SpecifyTaskId generation there would push the new stream twice.
import { describe, expect, it } from "vitest";
import { hostedStack } from "../support/hosted";
import { liveRelay } from "../support/tasks";

const t = hostedStack("replace-lost", { rateScale: 10 });

const tasksTo = (stream: unknown) => t.emu.tasks().filter((task) => task.StreamName === stream);

describe("a replacement whose Create reply is lost while reads lag", () => {
  it("an 'in use' refusal after our own unanswered send never moves to another generation: one task", async () => {
    const name = "lost-in-use";
    const program = liveRelay();
    await t.stack.up(name, program);
    const oldId = t.stack.state.get(name)!.id;
    const moved = { ...program, streamName: `${program.streamName}-moved` };
    let lostId: string | undefined;
    const lost = (b: Record<string, any>) => b.SpecifyTaskId === lostId;
    // The first Create is applied, its reply lost; the re-send meets the emulator's own answer
    // (InvalidParameter, "already used"); every look-up by that SpecifyTaskId lags (not found).
    t.emu.failNext({ action: "CreateLivePullStreamTask", kind: "lost-response", match: (b) => ((lostId = b.SpecifyTaskId), true) });
    t.emu.failNext({ action: "DescribeLivePullStreamTasks", kind: "error", code: "InvalidParameter.TaskNotExist", match: lost, times: 100 });
    try {
      await expect(t.stack.up(name, moved)).rejects.toThrow(/already used|next `pulumi up`/);
    } finally {
      t.emu.clearFaults();
    }
    expect(tasksTo(moved.streamName)).toHaveLength(1);
    // The run failed: the old task is still there and in state; the next run adopts the new one.
    expect(t.stack.state.get(name)!.id).toBe(oldId);
    await t.stack.up(name, moved);
    expect(tasksTo(moved.streamName).map((task) => task.TaskId)).toEqual([t.stack.state.get(name)!.id]);
    expect(t.emu.task(oldId)).toBeUndefined();
  }, 30_000);
});
