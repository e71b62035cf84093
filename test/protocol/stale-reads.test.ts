// Reads that lag behind writes (the emulator's `stale-read` fault: every Describe answered from the
// table as it was up to 3 s earlier), through the real provider host: a create whose answer is lost
// must not switch to another SpecifyTaskId and duplicate the stream, and a task found by the
// resource's id is adopted only when it really is this resource's task.
import { describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { HostCallError } from "../support/host";
import { hostedStack } from "../support/hosted";
import { liveRelay } from "../support/tasks";

const t = hostedStack("stale", { rateScale: 10, staleMs: 3000, faults: "stale-read=1", seed: 5 });

const CREATE = "CreateLivePullStreamTask";
const tasksTo = (stream: unknown) => t.emu.tasks().filter((task) => task.StreamName === stream);

describe("create under stale reads", () => {
  it("a lost Create answer: the task is looked up until it shows, never created twice", async () => {
    const program = liveRelay({ status: "pause" });
    t.emu.failNext({ action: CREATE, kind: "lost-response" });
    await t.stack.up("lost-stale", program);
    const tasks = tasksTo(program.streamName);
    expect(tasks).toHaveLength(1);
    expect(t.stack.state.get("lost-stale")!.id).toBe(tasks[0].TaskId);
    expect(tasks[0].Status).toBe("pause");
    // Every Create carried the resource's one deterministic id.
    expect(new Set(t.emu.requestsOf(CREATE).map((r) => r.body.SpecifyTaskId)).size).toBe(1);
    expect(t.emu.emulator.faults().injected["stale-read"]).toBeGreaterThan(0);
  }, 30_000);

  it("backupVodUrl: the Create's and the follow-up Modify's answers lost: one task, the pad file applied", async () => {
    const pad = "https://cdn.example.com/pad.mp4?sign=abc";
    const program = liveRelay({ backupVodUrl: pad, status: "pause" });
    t.emu.failNext({ action: CREATE, kind: "lost-response" });
    t.emu.failNext({ action: "ModifyLivePullStreamTask", kind: "lost-response" });
    await t.stack.up("pad-stale", program);
    const tasks = tasksTo(program.streamName);
    expect(tasks.map((task) => task.TaskId)).toEqual([t.stack.state.get("pad-stale")!.id]);
    expect(tasks[0]).toMatchObject({ BackupVodUrl: pad, Status: "pause" });
    expect((await t.stack.preview("pad-stale", program)).op).toBe("same");
  }, 60_000);

  it("a task holding the resource's id but pushing elsewhere is not adopted", async () => {
    const program = liveRelay();
    // Learn the id this resource's Create carries, then make another task hold it.
    const probe = new Stack(t.host, "stale-probe");
    await probe.up("squatted", program);
    const specify = t.emu.requestsOf(CREATE).at(-1)!.body.SpecifyTaskId as string;
    await probe.destroy("squatted");
    const deletedAt = performance.now();
    const squatter = new Stack(t.host, "stale-probe");
    await squatter.up("other", liveRelay());
    const otherId = squatter.state.get("other")!.id;
    // Rewrite the other task's SpecifyTaskId in the emulator's table (as an account's earlier tool might have).
    t.emu.emulator.store.get(otherId)!.SpecifyTaskId = specify;
    // The subject is the squatter: a read lagging behind the delete would still show this resource's
    // own deleted task holding the id (a different case). With faster reads (Describe 30/s) the
    // squatter is set up within the lag, so the lag is let pass (a wait, never a timing assertion).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 3100 - (performance.now() - deletedAt))));
    const err = await probe.up("squatted", program).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).details).toMatch(new RegExp(`task ${otherId}.*not this resource's`));
    expect(tasksTo(program.streamName)).toHaveLength(0);
    expect(probe.state.has("squatted")).toBe(false);
  }, 30_000);

  it("--replace, delete first, the new task's Create answer lost: a lagging read of the deleted task is not taken for it", async () => {
    const program = liveRelay();
    await t.stack.up("replace-stale", program);
    const oldId = t.stack.state.get("replace-stale")!.id;
    t.emu.failNext({ action: CREATE, kind: "lost-response" });
    await t.stack.up("replace-stale", program, { replace: true, deleteBeforeReplace: true });
    const tasks = tasksTo(program.streamName);
    expect(tasks.map((task) => task.TaskId)).toEqual([t.stack.state.get("replace-stale")!.id]);
    expect(tasks[0].TaskId).not.toBe(oldId);
  }, 30_000);

  it("outputs never come from a read lagging the write: a paused task recorded as paused is enabled by the next change", async () => {
    t.emu.emulator.setFaults(undefined);
    const program = liveRelay({ comment: "v1" });
    const lagging = new Stack(t.host, "stale-outputs");
    await lagging.up("paused", program);
    // Old enough that a lagging read shows it, then every read lags.
    await new Promise((r) => setTimeout(r, 3200));
    t.emu.emulator.setFaults("stale-read=1", 5);
    for (const [status, comment] of [["pause", "v2"], ["enable", "v3"], ["pause", "v4"]]) {
      await lagging.up("paused", { ...program, status, comment });
      const st = lagging.state.get("paused")!;
      expect([st.outputs.status, st.outputs.comment]).toEqual([status, comment]);
      expect([t.emu.task(st.id)!.Status, t.emu.task(st.id)!.Comment]).toEqual([status, comment]);
    }
  }, 30_000);
});
