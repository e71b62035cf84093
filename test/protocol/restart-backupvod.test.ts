// Issue 10 through Pulumi's real dynamic provider host, against the emulator: restartTrigger
// (one restart per change, counted by the emulator, at most once on a lost reply), backupVodUrl
// (applied by the create itself, changed in place, cleared; exactly once across lost replies and
// an interrupted run), and getLivePullStreamTaskStatus with the stack's config.
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { getLivePullStreamTaskStatus } from "../../program/status";
import { HostCallError, type Props } from "../support/host";
import { emulatorConfig, iso, liveRelay } from "../support/tasks";
import { hostedStack } from "../support/hosted";

const t = hostedStack("test", {});
beforeEach(() => t.emu.clearRequests());

const PAD = "https://cdn.example.com/pad/slate.mp4?sign=s3cr3t&t=1700000000";
const restartsOf = (id: string) => t.emu.task(id)?.Restarts?.length ?? 0;
const sent = (action: string) => t.emu.requestsOf(action);

/**
 * `pulumi up` of an update as the engine does it, including a partial failure: the engine keeps
 * the outputs the provider attached to the error (ErrorResourceInitFailed) as the new state.
 */
async function upRecordingPartial(name: string, program: Props): Promise<HostCallError | undefined> {
  try {
    await t.stack.up(name, program);
    return undefined;
  } catch (err) {
    if (!(err instanceof HostCallError) || !err.initFailure) throw err;
    const old = t.stack.state.get(name)!;
    const checked = await t.host.check(t.stack.urn(name), old.inputs, t.stack.registered(name, program));
    t.stack.state.set(name, { id: err.initFailure.id, inputs: checked.inputs, outputs: err.initFailure.properties });
    expect(err.initFailure.carriesProvider).toBe(true);
    return err;
  }
}

describe("restartTrigger", () => {
  it("a change previews as an in-place update of that field and sends exactly one restart after the Modify", async () => {
    const program = liveRelay({ restartTrigger: "1" });
    await t.stack.up("r1", program);
    const id = t.stack.state.get("r1")!.id;
    expect(restartsOf(id)).toBe(0); // creating never restarts
    expect(sent("RestartLivePullStreamTask")).toHaveLength(0);

    t.emu.clearRequests();
    const plan = await t.stack.preview("r1", { ...program, restartTrigger: "2" });
    expect(plan.op).toBe("update");
    expect(plan.diff).toMatchObject({ changes: "some", replaces: [] });
    expect(t.emu.requests).toEqual([]); // preview calls nothing

    // With a Modify in the same update: Modify first, then the restart.
    t.emu.clearRequests();
    await t.stack.up("r1", { ...program, restartTrigger: "2", comment: "restarted" });
    expect(t.emu.requests.map((r) => r.action).filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual([
      "ModifyLivePullStreamTask",
      "RestartLivePullStreamTask",
    ]);
    expect(restartsOf(id)).toBe(1);
    expect(t.emu.task(id)).toMatchObject({ Comment: "restarted" });
    expect(t.stack.state.get("r1")!.outputs.restartTrigger).toBe("2");

    // Re-applying, or changing other fields only, restarts nothing.
    t.emu.clearRequests();
    expect((await t.stack.up("r1", { ...program, restartTrigger: "2", comment: "restarted" })).op).toBe("same");
    await t.stack.up("r1", { ...program, restartTrigger: "2", comment: "again" });
    expect(sent("RestartLivePullStreamTask")).toHaveLength(0);
    // Alone (no Modify): just the restart. Removed: nothing.
    await t.stack.up("r1", { ...program, restartTrigger: "3", comment: "again" });
    const { restartTrigger: _removed, ...withoutTrigger } = program;
    expect((await t.stack.up("r1", { ...withoutTrigger, comment: "again" })).op).toBe("update");
    expect(t.stack.state.get("r1")!.outputs.restartTrigger).toBeUndefined();
    expect(restartsOf(id)).toBe(2);
    expect(sent("ModifyLivePullStreamTask")).toHaveLength(1);
  });

  it("restartWaitSeconds: the update returns once the restarted task reports RunStatus active", async () => {
    const program = liveRelay({ startTime: iso(Date.now() - 60_000), restartTrigger: "1", restartWaitSeconds: 30 });
    await t.stack.up("rw1", program);
    t.emu.clearRequests();
    await t.stack.up("rw1", { ...program, restartTrigger: "2" });
    const actions = t.emu.requests.map((r) => r.action).filter((a) => a !== "DescribeLivePullStreamTasks");
    expect(actions).toEqual(["RestartLivePullStreamTask", "DescribeLivePullStreamTaskStatus"]);
    // Changing the wait alone changes nothing.
    t.emu.clearRequests();
    expect((await t.stack.preview("rw1", { ...program, restartTrigger: "2", restartWaitSeconds: 60 })).op).toBe("same");
  });

  it("restartWaitSeconds: not active in time, the update says so; the restart is recorded and not sent again", async () => {
    const program = liveRelay({ restartTrigger: "1", restartWaitSeconds: 1 }); // starts in an hour: inactive
    await t.stack.up("rw2", program);
    const id = t.stack.state.get("rw2")!.id;
    const err = await upRecordingPartial("rw2", { ...program, restartTrigger: "2" });
    expect(err?.details).toMatch(new RegExp(`task ${id} was restarted but is not active after 1 s \\(RunStatus inactive\\)`));
    expect(restartsOf(id)).toBe(1);
    expect(t.stack.state.get("rw2")!.outputs.restartTrigger).toBe("2");
    expect((await t.stack.up("rw2", { ...program, restartTrigger: "2" })).op).toBe("same");
    expect(restartsOf(id)).toBe(1);
  });

  it("a lost reply on the restart is not re-sent, and the next up does not restart again", async () => {
    const program = liveRelay({ restartTrigger: "a" });
    await t.stack.up("r2", program);
    const id = t.stack.state.get("r2")!.id;
    t.emu.failNext({ action: "RestartLivePullStreamTask", kind: "lost-response" });
    const err = await upRecordingPartial("r2", { ...program, restartTrigger: "b" });
    expect(err?.details).toMatch(/may or may not have been applied.*not sent again/);
    expect(restartsOf(id)).toBe(1);
    expect(t.stack.state.get("r2")!.outputs.restartTrigger).toBe("b");
    expect((await t.stack.up("r2", { ...program, restartTrigger: "b" })).op).toBe("same");
    expect(restartsOf(id)).toBe(1);
  });

  it("a refused restart keeps the Modify, and the next up sends only the restart", async () => {
    const program = liveRelay({ restartTrigger: "a" });
    await t.stack.up("r3", program);
    const id = t.stack.state.get("r3")!.id;
    t.emu.failNext({ action: "RestartLivePullStreamTask", kind: "error", code: "FailedOperation" });
    const err = await upRecordingPartial("r3", { ...program, restartTrigger: "b", comment: "x" });
    expect(err?.details).toMatch(/was updated but RestartLivePullStreamTask failed/);
    expect(t.emu.task(id)).toMatchObject({ Comment: "x" });
    expect(restartsOf(id)).toBe(0);
    expect(t.stack.state.get("r3")!.outputs).toMatchObject({ restartTrigger: "a", comment: "x" });
    t.emu.clearRequests();
    expect((await t.stack.up("r3", { ...program, restartTrigger: "b", comment: "x" })).op).toBe("update");
    expect(t.emu.requests.map((r) => r.action).filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual(["RestartLivePullStreamTask"]);
    expect(restartsOf(id)).toBe(1);
  });

  it("with a field that forces replacement, or on a paused task: no restart", async () => {
    const program = liveRelay({ restartTrigger: "a", backupVodUrl: PAD });
    await t.stack.up("r4", program);
    const oldId = t.stack.state.get("r4")!.id;
    // The new task starts afresh: the replacement sends no restart, to it or to the old one.
    const moved = { ...program, streamName: `${program.streamName}-moved`, restartTrigger: "b" };
    const plan = await t.stack.up("r4", moved);
    expect(plan.op).toBe("replace");
    const id = t.stack.state.get("r4")!.id;
    expect(id).not.toBe(oldId);
    expect(sent("RestartLivePullStreamTask")).toHaveLength(0);
    expect(t.emu.task(id)).toMatchObject({ BackupVodUrl: PAD });
    // Paused: the trigger is recorded, nothing is sent; enabling it later is no restart either.
    await t.stack.up("r4", { ...moved, status: "pause" });
    await t.stack.up("r4", { ...moved, status: "pause", restartTrigger: "c" });
    expect(t.stack.state.get("r4")!.outputs.restartTrigger).toBe("c");
    expect((await t.stack.up("r4", { ...moved, status: "enable", restartTrigger: "c" })).op).toBe("update");
    expect(sent("RestartLivePullStreamTask")).toHaveLength(0);
    expect(restartsOf(id)).toBe(0);
    expect(t.emu.task(id)).toMatchObject({ Status: "enable" });
    // Enabled and given a new trigger in one update: enabling starts it afresh, so no restart cuts it.
    await t.stack.up("r4", { ...moved, status: "pause", restartTrigger: "c" });
    expect((await t.stack.up("r4", { ...moved, status: "enable", restartTrigger: "d" })).op).toBe("update");
    expect(sent("RestartLivePullStreamTask")).toHaveLength(0);
    expect(t.stack.state.get("r4")!.outputs.restartTrigger).toBe("d");
    expect(t.emu.task(id)).toMatchObject({ Status: "enable" });
  });
});

describe("backupVodUrl", () => {
  it("is applied by the create itself (a Modify right after the Create), changed in place and cleared with the empty value", async () => {
    await t.stack.up("v1", liveRelay({ backupVodUrl: PAD, streamName: "pad-v1" }));
    const st = t.stack.state.get("v1")!;
    // One up: the Create (without BackupVodUrl, which it does not take), then one Modify with it.
    expect(sent("CreateLivePullStreamTask")).toHaveLength(1);
    expect(sent("CreateLivePullStreamTask")[0].body.BackupVodUrl).toBeUndefined();
    expect(sent("ModifyLivePullStreamTask").map((r) => r.body.BackupVodUrl)).toEqual([PAD]);
    expect(t.emu.task(st.id)?.BackupVodUrl).toBe(PAD);
    expect(st.outputs.backupVodUrl).toBe(PAD);
    expect((await t.stack.preview("v1", liveRelay({ backupVodUrl: PAD, streamName: "pad-v1", startTime: st.inputs.startTime, endTime: st.inputs.endTime }))).op).toBe("same");

    const program = { ...liveRelay({ streamName: "pad-v1" }), startTime: st.inputs.startTime as string, endTime: st.inputs.endTime as string };
    t.emu.clearRequests();
    const changed = await t.stack.up("v1", { ...program, backupVodUrl: "https://cdn.example.com/pad/other.flv" });
    expect(changed.op).toBe("update");
    expect(sent("ModifyLivePullStreamTask").map((r) => r.body)).toEqual([expect.objectContaining({ BackupVodUrl: "https://cdn.example.com/pad/other.flv" })]);
    t.emu.clearRequests();
    await t.stack.up("v1", program);
    expect(sent("ModifyLivePullStreamTask").map((r) => r.body.BackupVodUrl)).toEqual([""]);
    expect(t.emu.task(st.id)?.BackupVodUrl).toBe("");
    expect(sent("CreateLivePullStreamTask")).toHaveLength(0);
  });

  it("a lost reply on the post-create Modify still finishes the create in one up, with one task", async () => {
    t.emu.failNext({ action: "ModifyLivePullStreamTask", kind: "lost-response" });
    await t.stack.up("v2", liveRelay({ backupVodUrl: PAD, streamName: "pad-v2" }));
    const tasks = t.emu.tasks().filter((t) => t.StreamName === "pad-v2");
    expect(tasks).toHaveLength(1);
    expect(tasks[0].BackupVodUrl).toBe(PAD);
    expect(t.stack.state.get("v2")!.id).toBe(tasks[0].TaskId);
  });

  it("a refused post-create Modify leaves the task in state without the pad file; the next up applies it", async () => {
    t.emu.failNext({ action: "ModifyLivePullStreamTask", kind: "error", code: "FailedOperation" });
    const program = liveRelay({ backupVodUrl: PAD, streamName: "pad-v3" });
    await expect(t.stack.up("v3", program)).rejects.toThrow(/created but not finished/);
    const partial = t.stack.state.get("v3")!;
    expect(partial.outputs.backupVodUrl).toBeUndefined();
    t.emu.clearRequests();
    expect((await t.stack.up("v3", program)).op).toBe("update");
    expect(sent("CreateLivePullStreamTask")).toHaveLength(0);
    expect(t.emu.task(partial.id)?.BackupVodUrl).toBe(PAD);
  });

  it("an interrupted run between the Create and the Modify: the next up adopts the task and applies the pad file", async () => {
    const program = liveRelay({ backupVodUrl: PAD, streamName: "pad-v4" });
    t.emu.failNext({ action: "ModifyLivePullStreamTask", kind: "reset", times: 5 });
    await expect(t.stack.up("v4", program)).rejects.toThrow();
    // The engine died before recording anything: no state at all.
    t.stack.state.delete("v4");
    expect(t.emu.tasks().filter((t) => t.StreamName === "pad-v4")).toHaveLength(1);
    t.emu.clearRequests();
    await t.stack.up("v4", program);
    const tasks = t.emu.tasks().filter((t) => t.StreamName === "pad-v4");
    expect(tasks).toHaveLength(1);
    expect(tasks[0].BackupVodUrl).toBe(PAD);
    expect(t.stack.state.get("v4")!.id).toBe(tasks[0].TaskId);
  });

  it("is not allowed to reach error text in the clear", async () => {
    const plan = await t.stack.preview("v5", liveRelay({ backupVodUrl: "ftp://cdn.example.com/pad.mp4?sign=s3cr3t" }));
    expect(plan.check.failures.map((f) => f.property)).toEqual(["backupVodUrl"]);
    expect(JSON.stringify(plan.check.failures)).not.toContain("s3cr3t");
  });
});

describe("no false rejections", () => {
  it("a backup source on a video-file primary passes check, with the warning on the host's stderr (shown by the engine)", async () => {
    const plan = await t.stack.preview("w1", {
      ...liveRelay(),
      sourceType: "PullVodPushLive",
      sourceUrls: ["https://media.example.com/a.mp4"],
      backupSourceType: "PullLivePushLive",
      backupSourceUrl: "rtmp://backup.example.com/live/b",
      watermarkList: [{ pictureUrl: "https://img.example.com/render/logo?sign=x", xPosition: 1, yPosition: 1, width: 10, height: 10, location: 0 }],
    });
    expect(plan.check.failures).toEqual([]);
    await expect.poll(() => t.host.stderr()).toMatch(/warning: backupSourceType has no effect/);
  });
});

describe("getLivePullStreamTaskStatus", () => {
  it("reads a task's run status with the stack's tencentcloud:* config, as the provider resolves it", async () => {
    await t.stack.up("s1", liveRelay({ startTime: iso(Date.now() - 3600_000), streamName: "status-s1" }));
    const id = t.stack.state.get("s1")!.id;
    pulumi.runtime.setAllConfig(emulatorConfig(t.emu.emulator.url));
    try {
      const s = await getLivePullStreamTaskStatus({ taskId: id });
      expect(s).toMatchObject({ taskId: id, region: "ap-guangzhou", runStatus: "active", active: true, fileUrl: "rtmp://origin.example.com/live/cam1" });
      await t.stack.up("s1", liveRelay({ startTime: t.stack.state.get("s1")!.inputs.startTime, endTime: t.stack.state.get("s1")!.inputs.endTime, streamName: "status-s1", status: "pause" }));
      expect((await getLivePullStreamTaskStatus({ taskId: id })).runStatus).toBe("inactive");
      await expect(getLivePullStreamTaskStatus({ taskId: "424242" })).rejects.toThrow(/TaskNotExist/);
      await expect(getLivePullStreamTaskStatus({ taskId: "" })).rejects.toThrow(/taskId must be a non-empty string/);
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });
});
