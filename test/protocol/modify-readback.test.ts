// An update whose Modify goes unanswered, through the real provider host: the Modify's own error is
// what the user sees when the read-back fails too; a task deleted outside gives the documented
// "refresh" advice; a Modify carrying write-only fields (fileIndex, offsetTime: each send restarts
// VOD playback, and Describe never shows them) is sent at most twice.
import { beforeEach, describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { HostCallError } from "../support/host";
import { hostedStack } from "../support/hosted";
import { liveRelay, vodPlaylist } from "../support/tasks";

const t = hostedStack("modify", { rateScale: 10 });

beforeEach(() => {
  t.emu.clearRequests();
  t.emu.clearFaults();
});

const MODIFY = "ModifyLivePullStreamTask";
const DESCRIBE = "DescribeLivePullStreamTasks";
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a failure"); }, (e: unknown) => e as HostCallError);

describe("update whose Modify is unanswered", () => {
  it("read-back fails too: the Modify's own error is reported, not the Describe's", async () => {
    const program = liveRelay({ comment: "a" });
    await t.stack.up("rb-fails", program);
    t.emu.clearRequests();
    t.emu.failNext({ action: MODIFY, kind: "lost-response" });
    t.emu.failNext({ action: DESCRIBE, kind: "error", code: "FailedOperation", message: "describe broke", times: 20 });
    const err = await failure(t.stack.up("rb-fails", { ...program, comment: "b" }));
    expect(err).toBeInstanceOf(HostCallError);
    expect(err.details).toMatch(/^ModifyLivePullStreamTask/);
    expect(err.details).toMatch(/outcome is unknown/);
    expect(err.details).toMatch(/describe broke/);
    expect(t.emu.requestsOf(MODIFY)).toHaveLength(1);
  });

  it("the task was deleted outside: the documented refresh advice", async () => {
    const program = liveRelay({ comment: "a" });
    await t.stack.up("gone", program);
    const id = t.stack.state.get("gone")!.id;
    await t.host.delete(id, t.stack.urn("gone"), t.stack.state.get("gone")!.outputs);
    t.emu.failNext({ action: MODIFY, kind: "lost-response" });
    const err = await failure(t.stack.up("gone", { ...program, comment: "b" }));
    expect(err.details).toMatch(new RegExp(`task ${id} no longer exists \\(deleted outside Pulumi.*pulumi refresh`));
  });

  it("fileIndex alone, never answered: sent twice at most, then reported as possibly applied", async () => {
    const program = vodPlaylist({ fileIndex: 1 });
    await t.stack.up("vod-wo", program);
    t.emu.clearRequests();
    t.emu.failNext({ action: MODIFY, kind: "lost-response", times: 10 });
    const err = await failure(t.stack.up("vod-wo", { ...program, fileIndex: 2 }));
    expect(t.emu.requestsOf(MODIFY).length).toBeLessThanOrEqual(2);
    expect(err.details).toMatch(/fileIndex/);
    expect(err.details).toMatch(/may have been applied/);
  });

  it("fileIndex with a field Describe shows: the read-back confirms the whole Modify, one send", async () => {
    const program = vodPlaylist({ fileIndex: 1, comment: "a" });
    await t.stack.up("vod-mixed", program);
    t.emu.clearRequests();
    t.emu.failNext({ action: MODIFY, kind: "lost-response" });
    await t.stack.up("vod-mixed", { ...program, fileIndex: 2, comment: "b" });
    expect(t.emu.requestsOf(MODIFY)).toHaveLength(1);
    const task = t.emu.task(t.stack.state.get("vod-mixed")!.id)!;
    expect([task.FileIndex, task.Comment]).toEqual([2, "b"]);
  });

  it("a Modify of fields Describe shows, cut off twice before it arrived: read back and sent a third time", async () => {
    const program = liveRelay({ comment: "a" });
    await t.stack.up("three-sends", program);
    t.emu.clearRequests();
    t.emu.failNext({ action: MODIFY, kind: "reset", times: 2 });
    await t.stack.up("three-sends", { ...program, comment: "b" });
    expect(t.emu.requestsOf(MODIFY)).toHaveLength(3);
    expect(t.emu.task(t.stack.state.get("three-sends")!.id)!.Comment).toBe("b");
  });
});
