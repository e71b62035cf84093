// Issue 10 through Pulumi's real dynamic provider host, against the emulator: restartTrigger
// (one restart per change, counted by the emulator, at most once on a lost reply), backupVodUrl
// (applied by the create itself, changed in place, cleared; exactly once across lost replies and
// an interrupted run), and getLivePullStreamTaskStatus with the stack's config.
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getLivePullStreamTaskStatus } from "../../program/status";
import { Stack } from "../../harness/engine";
import { TestEmulator } from "../support/emulator";
import { HostCallError, ProviderHost, type Props } from "../support/host";
import { emulatorConfig, iso, liveRelay } from "../support/tasks";

let emu: TestEmulator;
let host: ProviderHost;
let stack: Stack;

beforeAll(async () => {
  emu = await TestEmulator.start();
  host = await ProviderHost.start();
  await host.configure(emulatorConfig(emu.url));
  stack = new Stack(host);
});
afterAll(async () => {
  await host?.close();
  await emu?.close();
});
beforeEach(() => emu.clearRequests());

const PAD = "https://cdn.example.com/pad/slate.mp4?sign=s3cr3t&t=1700000000";
const restartsOf = (id: string) => emu.task(id)?.Restarts?.length ?? 0;
const sent = (action: string) => emu.requestsOf(action);

/**
 * `pulumi up` of an update as the engine does it, including a partial failure: the engine keeps
 * the outputs the provider attached to the error (ErrorResourceInitFailed) as the new state.
 */
async function upRecordingPartial(name: string, program: Props): Promise<HostCallError | undefined> {
  try {
    await stack.up(name, program);
    return undefined;
  } catch (err) {
    if (!(err instanceof HostCallError) || !err.initFailure) throw err;
    const old = stack.state.get(name)!;
    const checked = await host.check(stack.urn(name), old.inputs, stack.registered(name, program));
    stack.state.set(name, { id: err.initFailure.id, inputs: checked.inputs, outputs: err.initFailure.properties });
    expect(err.initFailure.carriesProvider).toBe(true);
    return err;
  }
}

describe("restartTrigger", () => {
  it("a change previews as an in-place update of that field and sends exactly one restart after the Modify", async () => {
    const program = liveRelay({ restartTrigger: "1" });
    await stack.up("r1", program);
    const id = stack.state.get("r1")!.id;
    expect(restartsOf(id)).toBe(0); // creating never restarts
    expect(sent("RestartLivePullStreamTask")).toHaveLength(0);

    emu.clearRequests();
    const plan = await stack.preview("r1", { ...program, restartTrigger: "2" });
    expect(plan.op).toBe("update");
    expect(plan.diff).toMatchObject({ changes: "some", replaces: [] });
    expect(emu.requests).toEqual([]); // preview calls nothing

    // With a Modify in the same update: Modify first, then the restart.
    emu.clearRequests();
    await stack.up("r1", { ...program, restartTrigger: "2", comment: "restarted" });
    expect(emu.requests.map((r) => r.action).filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual([
      "ModifyLivePullStreamTask",
      "RestartLivePullStreamTask",
    ]);
    expect(restartsOf(id)).toBe(1);
    expect(emu.task(id)).toMatchObject({ Comment: "restarted" });
    expect(stack.state.get("r1")!.outputs.restartTrigger).toBe("2");

    // Re-applying, or changing other fields only, restarts nothing.
    emu.clearRequests();
    expect((await stack.up("r1", { ...program, restartTrigger: "2", comment: "restarted" })).op).toBe("same");
    await stack.up("r1", { ...program, restartTrigger: "2", comment: "again" });
    expect(sent("RestartLivePullStreamTask")).toHaveLength(0);
    // Alone (no Modify): just the restart. Removed: nothing.
    await stack.up("r1", { ...program, restartTrigger: "3", comment: "again" });
    const { restartTrigger: _removed, ...withoutTrigger } = program;
    expect((await stack.up("r1", { ...withoutTrigger, comment: "again" })).op).toBe("update");
    expect(stack.state.get("r1")!.outputs.restartTrigger).toBeUndefined();
    expect(restartsOf(id)).toBe(2);
    expect(sent("ModifyLivePullStreamTask")).toHaveLength(1);
  });

  it("a lost reply on the restart is not re-sent, and the next up does not restart again", async () => {
    const program = liveRelay({ restartTrigger: "a" });
    await stack.up("r2", program);
    const id = stack.state.get("r2")!.id;
    emu.failNext({ action: "RestartLivePullStreamTask", kind: "lost-response" });
    const err = await upRecordingPartial("r2", { ...program, restartTrigger: "b" });
    expect(err?.details).toMatch(/may or may not have been applied.*not sent again/);
    expect(restartsOf(id)).toBe(1);
    expect(stack.state.get("r2")!.outputs.restartTrigger).toBe("b");
    expect((await stack.up("r2", { ...program, restartTrigger: "b" })).op).toBe("same");
    expect(restartsOf(id)).toBe(1);
  });

  it("a refused restart keeps the Modify, and the next up sends only the restart", async () => {
    const program = liveRelay({ restartTrigger: "a" });
    await stack.up("r3", program);
    const id = stack.state.get("r3")!.id;
    emu.failNext({ action: "RestartLivePullStreamTask", kind: "error", code: "FailedOperation" });
    const err = await upRecordingPartial("r3", { ...program, restartTrigger: "b", comment: "x" });
    expect(err?.details).toMatch(/was updated but RestartLivePullStreamTask failed/);
    expect(emu.task(id)).toMatchObject({ Comment: "x" });
    expect(restartsOf(id)).toBe(0);
    expect(stack.state.get("r3")!.outputs).toMatchObject({ restartTrigger: "a", comment: "x" });
    emu.clearRequests();
    expect((await stack.up("r3", { ...program, restartTrigger: "b", comment: "x" })).op).toBe("update");
    expect(emu.requests.map((r) => r.action).filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual(["RestartLivePullStreamTask"]);
    expect(restartsOf(id)).toBe(1);
  });
});

describe("backupVodUrl", () => {
  it("is applied by the create itself (a Modify right after the Create), changed in place and cleared with the empty value", async () => {
    await stack.up("v1", liveRelay({ backupVodUrl: PAD, streamName: "pad-v1" }));
    const st = stack.state.get("v1")!;
    // One up: the Create (without BackupVodUrl, which it does not take), then one Modify with it.
    expect(sent("CreateLivePullStreamTask")).toHaveLength(1);
    expect(sent("CreateLivePullStreamTask")[0].body.BackupVodUrl).toBeUndefined();
    expect(sent("ModifyLivePullStreamTask").map((r) => r.body.BackupVodUrl)).toEqual([PAD]);
    expect(emu.task(st.id)?.BackupVodUrl).toBe(PAD);
    expect(st.outputs.backupVodUrl).toBe(PAD);
    expect((await stack.preview("v1", liveRelay({ backupVodUrl: PAD, streamName: "pad-v1", startTime: st.inputs.startTime, endTime: st.inputs.endTime }))).op).toBe("same");

    const program = { ...liveRelay({ streamName: "pad-v1" }), startTime: st.inputs.startTime as string, endTime: st.inputs.endTime as string };
    emu.clearRequests();
    const changed = await stack.up("v1", { ...program, backupVodUrl: "https://cdn.example.com/pad/other.flv" });
    expect(changed.op).toBe("update");
    expect(sent("ModifyLivePullStreamTask").map((r) => r.body)).toEqual([expect.objectContaining({ BackupVodUrl: "https://cdn.example.com/pad/other.flv" })]);
    emu.clearRequests();
    await stack.up("v1", program);
    expect(sent("ModifyLivePullStreamTask").map((r) => r.body.BackupVodUrl)).toEqual([""]);
    expect(emu.task(st.id)?.BackupVodUrl).toBe("");
    expect(sent("CreateLivePullStreamTask")).toHaveLength(0);
  });

  it("a lost reply on the post-create Modify still finishes the create in one up, with one task", async () => {
    emu.failNext({ action: "ModifyLivePullStreamTask", kind: "lost-response" });
    await stack.up("v2", liveRelay({ backupVodUrl: PAD, streamName: "pad-v2" }));
    const tasks = emu.tasks().filter((t) => t.StreamName === "pad-v2");
    expect(tasks).toHaveLength(1);
    expect(tasks[0].BackupVodUrl).toBe(PAD);
    expect(stack.state.get("v2")!.id).toBe(tasks[0].TaskId);
  });

  it("a refused post-create Modify leaves the task in state without the pad file; the next up applies it", async () => {
    emu.failNext({ action: "ModifyLivePullStreamTask", kind: "error", code: "FailedOperation" });
    const program = liveRelay({ backupVodUrl: PAD, streamName: "pad-v3" });
    await expect(stack.up("v3", program)).rejects.toThrow(/created but not finished/);
    const partial = stack.state.get("v3")!;
    expect(partial.outputs.backupVodUrl).toBeUndefined();
    emu.clearRequests();
    expect((await stack.up("v3", program)).op).toBe("update");
    expect(sent("CreateLivePullStreamTask")).toHaveLength(0);
    expect(emu.task(partial.id)?.BackupVodUrl).toBe(PAD);
  });

  it("an interrupted run between the Create and the Modify: the next up adopts the task and applies the pad file", async () => {
    const program = liveRelay({ backupVodUrl: PAD, streamName: "pad-v4" });
    emu.failNext({ action: "ModifyLivePullStreamTask", kind: "reset", times: 5 });
    await expect(stack.up("v4", program)).rejects.toThrow();
    // The engine died before recording anything: no state at all.
    stack.state.delete("v4");
    expect(emu.tasks().filter((t) => t.StreamName === "pad-v4")).toHaveLength(1);
    emu.clearRequests();
    await stack.up("v4", program);
    const tasks = emu.tasks().filter((t) => t.StreamName === "pad-v4");
    expect(tasks).toHaveLength(1);
    expect(tasks[0].BackupVodUrl).toBe(PAD);
    expect(stack.state.get("v4")!.id).toBe(tasks[0].TaskId);
  });

  it("is not allowed to reach error text in the clear", async () => {
    const plan = await stack.preview("v5", liveRelay({ backupVodUrl: "ftp://cdn.example.com/pad.mp4?sign=s3cr3t" }));
    expect(plan.check.failures.map((f) => f.property)).toEqual(["backupVodUrl"]);
    expect(JSON.stringify(plan.check.failures)).not.toContain("s3cr3t");
  });
});

describe("no false rejections", () => {
  it("a backup source on a video-file primary passes check, with the warning on the host's stderr (shown by the engine)", async () => {
    const plan = await stack.preview("w1", {
      ...liveRelay(),
      sourceType: "PullVodPushLive",
      sourceUrls: ["https://media.example.com/a.mp4"],
      backupSourceType: "PullLivePushLive",
      backupSourceUrl: "rtmp://backup.example.com/live/b",
      watermarkList: [{ pictureUrl: "https://img.example.com/render/logo?sign=x", xPosition: 1, yPosition: 1, width: 10, height: 10, location: 0 }],
    });
    expect(plan.check.failures).toEqual([]);
    await expect.poll(() => host.stderr()).toMatch(/warning: backupSourceType has no effect/);
  });
});

describe("getLivePullStreamTaskStatus", () => {
  it("reads a task's run status with the stack's tencentcloud:* config, as the provider resolves it", async () => {
    await stack.up("s1", liveRelay({ startTime: iso(Date.now() - 3600_000), streamName: "status-s1" }));
    const id = stack.state.get("s1")!.id;
    pulumi.runtime.setAllConfig(emulatorConfig(emu.emulator.url));
    try {
      const s = await getLivePullStreamTaskStatus({ taskId: id });
      expect(s).toMatchObject({ taskId: id, region: "ap-guangzhou", runStatus: "active", active: true, fileUrl: "rtmp://origin.example.com/live/cam1" });
      await stack.up("s1", liveRelay({ startTime: stack.state.get("s1")!.inputs.startTime, endTime: stack.state.get("s1")!.inputs.endTime, streamName: "status-s1", status: "pause" }));
      expect(await pulumi.output(getLivePullStreamTaskStatus({ taskId: id })).apply((x) => x.runStatus).promise()).toBe("inactive");
      await expect(getLivePullStreamTaskStatus({ taskId: "424242" })).rejects.toThrow(/TaskNotExist/);
      await expect(getLivePullStreamTaskStatus({ taskId: "" })).rejects.toThrow(/taskId must be a non-empty string/);
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });
});
