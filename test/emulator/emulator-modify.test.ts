// ModifyLivePullStreamTask (the seed page): only sent fields change, destination and source type
// are fixed, times sent must lie in the future, and the shared field rules apply.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { call, codeOf, inspect } from "./support-sign";
import { DAY, HOUR, MINUTE, iso, liveTask, vodTask, watermark } from "./support-tasks";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ rateScale: 1000, taskLimit: 10_000 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function created(params: Record<string, unknown>): Promise<string> {
  const r = await call(emu.url, "CreateLivePullStreamTask", params);
  expect(codeOf(r), JSON.stringify(r.Error)).toBe("OK");
  return r.TaskId;
}
const modify = (params: Record<string, unknown>) => call(emu.url, "ModifyLivePullStreamTask", { Operator: "bob", ...params });
const stored = (id: string) => emu.tasks().find((t) => t.TaskId === id)!;

async function rejects(params: Record<string, unknown>, code: string, messagePart?: string): Promise<void> {
  const before = JSON.stringify(emu.tasks());
  const r = await modify(params);
  expect(codeOf(r), JSON.stringify(r.Error)).toBe(code);
  if (messagePart) expect(r.Error.Message).toContain(messagePart);
  expect(JSON.stringify(emu.tasks())).toBe(before);
}

describe("what changes", () => {
  it("only the fields sent change; UpdateBy/UpdateTime move, CreateBy/CreateTime stay", async () => {
    const id = await created(liveTask({ Comment: "keep me", CallbackUrl: "https://hooks.example.com/a" }));
    const before = stored(id);
    emu.setClockOffset(90_000);
    const end = iso(Date.now() + 3 * HOUR);
    expect(codeOf(await modify({ TaskId: id, EndTime: end }))).toBe("OK");
    const after = stored(id);
    expect(after).toMatchObject({ ...before, EndTime: end, UpdateBy: "bob", Operator: "bob", UpdateTime: after.UpdateTime, UpdateSeq: after.UpdateSeq });
    expect(after.CreateBy).toBe("tester");
    expect(after.UpdateTime > before.UpdateTime).toBe(true);
  });
  it("Status pauses and re-enables; other values → InvalidParameterValue", async () => {
    const id = await created(liveTask());
    expect(codeOf(await modify({ TaskId: id, Status: "pause" }))).toBe("OK");
    expect(stored(id).Status).toBe("pause");
    expect(codeOf(await modify({ TaskId: id, Status: "enable" }))).toBe("OK");
    await rejects({ TaskId: id, Status: "stopped" }, "InvalidParameterValue", "Status");
  });
  it("VodLoopTimes is an integer here: a string → InvalidParameterValue, below -1 → InvalidParameterValue", async () => {
    const id = await created(vodTask());
    await rejects({ TaskId: id, VodLoopTimes: "3" }, "InvalidParameterValue", "VodLoopTimes");
    await rejects({ TaskId: id, VodLoopTimes: -2 }, "InvalidParameterValue", "VodLoopTimes");
    expect(codeOf(await modify({ TaskId: id, VodLoopTimes: 3 }))).toBe("OK");
    expect(stored(id).VodLoopTimes).toBe(3);
  });
});

describe("protocol", () => {
  it("missing TaskId or Operator → MissingParameter", async () => {
    await rejects({ EndTime: iso(Date.now() + HOUR) }, "MissingParameter", "TaskId");
    const id = await created(liveTask());
    const r = await call(emu.url, "ModifyLivePullStreamTask", { TaskId: id });
    expect(codeOf(r)).toBe("MissingParameter");
    expect(r.Error.Message).toContain("Operator");
  });
  it("unknown TaskId → InvalidParameter.TaskNotExist", async () => {
    await rejects({ TaskId: "999" }, "InvalidParameter.TaskNotExist");
  });
  it.each(["SourceType", "DomainName", "AppName", "StreamName", "ToUrl", "PushArgs"])("sending %s → InvalidParameter naming it", async (field) => {
    const id = await created(liveTask());
    await rejects({ TaskId: id, [field]: "x" }, "InvalidParameter", `cannot change ${field}`);
  });
  it("fields Modify does not document → UnknownParameter", async () => {
    const id = await created(liveTask());
    await rejects({ TaskId: id, ExtraCmd: "ignore_region" }, "UnknownParameter", "ExtraCmd");
  });
});

describe("times", () => {
  it("a sent StartTime or EndTime not after now → InvalidParameter.InvalidTaskTime", async () => {
    const id = await created(liveTask());
    await rejects({ TaskId: id, StartTime: iso(Date.now() - MINUTE) }, "InvalidParameter.InvalidTaskTime", "StartTime");
    await rejects({ TaskId: id, EndTime: iso(Date.now() - MINUTE) }, "InvalidParameter.InvalidTaskTime", "EndTime");
  });
  it("a stored StartTime in the past does not block extending EndTime alone", async () => {
    const id = await created(liveTask({ StartTime: iso(Date.now() - HOUR), EndTime: iso(Date.now() + HOUR) }));
    expect(codeOf(await modify({ TaskId: id, EndTime: iso(Date.now() + 2 * HOUR) }))).toBe("OK");
  });
  it("re-sending a StartTime that the clock has passed → InvalidParameter.InvalidTaskTime", async () => {
    const p = liveTask();
    const id = await created(p);
    await inspect(emu.url, "clock", { offsetMs: 2 * MINUTE });
    await rejects({ TaskId: id, StartTime: p.StartTime as string }, "InvalidParameter.InvalidTaskTime", "later than now");
  });
  it("EndTime not after the stored StartTime, or 30 days or more after it → InvalidParameter.InvalidTaskTime", async () => {
    const start = Date.now() + HOUR;
    const id = await created(liveTask({ StartTime: iso(start), EndTime: iso(start + HOUR) }));
    await rejects({ TaskId: id, EndTime: iso(start - MINUTE) }, "InvalidParameter.InvalidTaskTime", "later than StartTime");
    await rejects({ TaskId: id, EndTime: iso(start + 30 * DAY) }, "InvalidParameter.InvalidTaskTime", "30 days");
  });
});

describe("sources and optional fields", () => {
  it("SourceUrls follow the stored SourceType's count and URL rules → InvalidParameter.InvalidSourceUrl", async () => {
    const live = await created(liveTask());
    await rejects({ TaskId: live, SourceUrls: ["rtmp://a.example.com/l/1", "rtmp://a.example.com/l/2"] }, "InvalidParameter.InvalidSourceUrl");
    await rejects({ TaskId: live, SourceUrls: ["rtmp://10.0.0.1/l/1"] }, "InvalidParameter.InvalidSourceUrl", "private");
    expect(codeOf(await modify({ TaskId: live, SourceUrls: ["rtmp://b.example.com/l/2"] }))).toBe("OK");
  });
  it("FileIndex is checked against the SourceUrls in effect; OffsetTime alone is taken", async () => {
    const id = await created(vodTask());
    await rejects({ TaskId: id, FileIndex: 4 }, "InvalidParameterValue", "FileIndex");
    await rejects({ TaskId: id, SourceUrls: ["https://m.example.com/a.mp4"], FileIndex: 2 }, "InvalidParameterValue", "FileIndex");
    expect(codeOf(await modify({ TaskId: id, OffsetTime: 10 }))).toBe("OK");
    expect(codeOf(await modify({ TaskId: id, FileIndex: 2, OffsetTime: 10 }))).toBe("OK");
    expect(stored(id)).toMatchObject({ FileIndex: 2, OffsetTime: 10 });
  });
  it("CallbackUrl, CallbackEvents, VodRefreshType and Comment follow the Create rules", async () => {
    const id = await created(vodTask());
    await rejects({ TaskId: id, CallbackUrl: "mailto:ops@example.com" }, "InvalidParameter.InvalidCallbackUrl");
    await rejects({ TaskId: id, CallbackEvents: ["Nope"] }, "InvalidParameterValue", "CallbackEvents.0");
    await rejects({ TaskId: id, VodRefreshType: "Later" }, "InvalidParameterValue", "VodRefreshType");
    await rejects({ TaskId: id, Comment: "x".repeat(513) }, "InvalidParameterValue", "Comment");
  });
  it("an empty BackupSourceType removes the backup source", async () => {
    const id = await created(liveTask({ BackupSourceType: "PullLivePushLive", BackupSourceUrl: "rtmp://backup.example.com/live/b" }));
    expect(codeOf(await modify({ TaskId: id, BackupSourceType: "" }))).toBe("OK");
    expect(stored(id)).toMatchObject({ BackupSourceType: "", BackupSourceUrl: "" });
  });
  it("a backup source on a VOD task is accepted (the newest model: it only takes effect on a live primary)", async () => {
    const id = await created(vodTask());
    expect(codeOf(await modify({ TaskId: id, BackupSourceType: "PullVodPushLive", BackupSourceUrl: "https://m.example.com/s.mp4" }))).toBe("OK");
    expect(stored(id)).toMatchObject({ BackupSourceType: "PullVodPushLive", BackupSourceUrl: "https://m.example.com/s.mp4" });
  });
  it("BackupVodUrl (Modify only) is stored, checked like a source URL, cleared by the empty value, never described", async () => {
    const id = await created(liveTask());
    expect(codeOf(await modify({ TaskId: id, BackupVodUrl: "https://m.example.com/pad.mp4" }))).toBe("OK");
    expect(stored(id).BackupVodUrl).toBe("https://m.example.com/pad.mp4");
    await rejects({ TaskId: id, BackupVodUrl: "ftp://m.example.com/pad.mp4" }, "InvalidParameter.InvalidSourceUrl", "BackupVodUrl");
    await rejects({ TaskId: id, BackupVodUrl: "https://10.0.0.1/pad.mp4" }, "InvalidParameter.InvalidSourceUrl", "BackupVodUrl");
    expect(codeOf(await modify({ TaskId: id, BackupVodUrl: "" }))).toBe("OK");
    expect(stored(id).BackupVodUrl).toBe("");
  });
  it("Modify refuses an animated picture (\"animated watermarks are not supported\") that Create took", async () => {
    const gif = watermark(0, { PictureUrl: "https://img.example.com/logo.gif" });
    const id = await created(liveTask({ WatermarkList: [gif] }));
    await rejects({ TaskId: id, WatermarkList: [gif, watermark(1)] }, "InvalidParameter.InvalidWatermark", "animated");
    expect(codeOf(await modify({ TaskId: id, WatermarkList: [watermark(0, { PictureUrl: "https://img.example.com/logo.png" })] }))).toBe("OK");
  });
  it("watermarks follow the rules; an empty WatermarkList removes them all", async () => {
    const id = await created(liveTask({ WatermarkList: [watermark(0), watermark(2)] }));
    await rejects({ TaskId: id, WatermarkList: [watermark(3), watermark(3)] }, "InvalidParameter.InvalidWatermark");
    expect(codeOf(await modify({ TaskId: id, Comment: "no watermark change" }))).toBe("OK");
    expect(stored(id).WatermarkList).toHaveLength(2);
    expect(codeOf(await modify({ TaskId: id, WatermarkList: [] }))).toBe("OK");
    expect(stored(id).WatermarkList).toEqual([]);
  });
});

describe("SpecifyTaskId selects the task", () => {
  it("in Modify, Describe and Delete; a mismatching TaskId/SpecifyTaskId pair → TaskNotExist", async () => {
    const id = await created(liveTask({ SpecifyTaskId: "orders/eu-1" }));
    const other = await created(liveTask());
    expect(codeOf(await modify({ SpecifyTaskId: "orders/eu-1", Comment: "via specify" }))).toBe("OK");
    expect(stored(id).Comment).toBe("via specify");
    const d = await call(emu.url, "DescribeLivePullStreamTasks", { SpecifyTaskId: "orders/eu-1" });
    expect(d.TaskInfos.map((t: { TaskId: string }) => t.TaskId)).toEqual([id]);
    await rejects({ TaskId: other, SpecifyTaskId: "orders/eu-1" }, "InvalidParameter.TaskNotExist");
    expect(codeOf(await call(emu.url, "DeleteLivePullStreamTask", { SpecifyTaskId: "orders/eu-1", Operator: "t" }))).toBe("OK");
    expect(emu.tasks().map((t) => t.TaskId)).toEqual([other]);
  });
});
