// DescribeLivePullStreamTasks paging/ordering/fields, and Delete, Restart, DescribeLivePullStreamTaskStatus.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { call, codeOf } from "./support-sign";
import { HOUR, iso, liveTask, vodTask } from "./support-tasks";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ rateScale: 1000, taskLimit: 500 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function created(params: Record<string, unknown>): Promise<string> {
  const r = await call(emu.url, "CreateLivePullStreamTask", params);
  expect(codeOf(r), JSON.stringify(r.Error)).toBe("OK");
  return r.TaskId;
}
const describeTasks = (params: Record<string, unknown> = {}) => call(emu.url, "DescribeLivePullStreamTasks", params);
const ids = (r: { TaskInfos: { TaskId: string }[] }) => r.TaskInfos.map((t) => t.TaskId);

const DOCUMENTED_INFO_FIELDS = [
  "TaskId", "SourceType", "SourceUrls", "DomainName", "AppName", "StreamName", "PushArgs", "StartTime", "EndTime",
  "Region", "VodLoopTimes", "VodRefreshType", "CreateTime", "UpdateTime", "CreateBy", "UpdateBy", "CallbackUrl",
  "CallbackEvents", "CallbackInfo", "ErrorInfo", "Status", "Comment", "BackupSourceType", "BackupSourceUrl",
  "WatermarkList", "VodLocalMode", "RecordTemplateId", "BackupToUrl", "TranscodeTemplateName",
];

describe("paging", () => {
  it("defaults to PageNum 1, PageSize 10 and reports TotalNum, TotalPage and LimitTaskNum", async () => {
    for (let i = 0; i < 25; i++) await created(liveTask({ Comment: `t${i}` }));
    const first = await describeTasks();
    expect(first).toMatchObject({ PageNum: 1, PageSize: 10, TotalNum: 25, TotalPage: 3, LimitTaskNum: 500 });
    expect(first.TaskInfos).toHaveLength(10);
    const pages = [first, await describeTasks({ PageNum: 2 }), await describeTasks({ PageNum: 3 })];
    expect(pages[2].TaskInfos).toHaveLength(5);
    const all = pages.flatMap(ids);
    expect(new Set(all).size).toBe(25);
    expect((await describeTasks({ PageNum: 4 })).TaskInfos).toEqual([]);
    const big = await describeTasks({ PageSize: 20 });
    expect(big).toMatchObject({ PageSize: 20, TotalPage: 2 });
    expect(ids(big)).toEqual(all.slice(0, 20));
  });
  it("PageSize outside 1..20 or PageNum below 1 → InvalidParameterValue", async () => {
    for (const p of [{ PageSize: 21 }, { PageSize: 0 }, { PageNum: 0 }]) {
      const r = await describeTasks(p);
      expect(codeOf(r)).toBe("InvalidParameterValue");
      expect(r.Error.Message).toContain(Object.keys(p)[0]);
    }
  });
});

describe("ordering", () => {
  it("newest UpdateTime first, ties broken by the order of updates", async () => {
    const a = await created(liveTask());
    const b = await created(liveTask());
    expect(ids(await describeTasks())).toEqual([b, a]);
    expect(codeOf(await call(emu.url, "ModifyLivePullStreamTask", { TaskId: a, Operator: "x", Comment: "touched" }))).toBe("OK");
    expect(ids(await describeTasks())).toEqual([a, b]);
  });
  it("UpdateTime decides before the update order", async () => {
    const a = await created(liveTask());
    emu.setClockOffset(-HOUR);
    // The emulator checks X-TC-Timestamp against its own (shifted) clock.
    const r = await call(emu.url, "CreateLivePullStreamTask", liveTask({ StartTime: iso(Date.now()), EndTime: iso(Date.now() + 2 * HOUR) }), {
      timestamp: Math.floor((Date.now() - HOUR) / 1000),
    });
    expect(codeOf(r)).toBe("OK");
    const older = r.TaskId as string;
    emu.setClockOffset(0);
    const b = await created(liveTask());
    expect(ids(await describeTasks())).toEqual([b, a, older]);
  });
});

describe("fields", () => {
  it("returns exactly the documented PullStreamTaskInfo fields, never the write-only ones", async () => {
    await created(liveTask({ DomainName: "", AppName: "", StreamName: "", ToUrl: "rtmp://push.example.net/live/x?txSecret=s", ExtraCmd: "ignore_region", SpecifyTaskId: "spec-1" }));
    await created(vodTask({ FileIndex: 2, OffsetTime: 5, VodLoopTimes: "3" }));
    const list = await describeTasks();
    for (const info of list.TaskInfos) expect(Object.keys(info).sort()).toEqual([...DOCUMENTED_INFO_FIELDS].sort());
    const text = JSON.stringify(list);
    for (const value of ["txSecret", "ignore_region", "spec-1"]) expect(text).not.toContain(value);
    for (const key of ["OffsetTime", "FileIndex", "Operator", "ToUrl", "ExtraCmd", "SpecifyTaskId"]) expect(text).not.toContain(`"${key}"`);
    const vod = list.TaskInfos.find((t: { SourceType: string }) => t.SourceType === "PullVodPushLive");
    expect(vod.VodLoopTimes).toBe(3);
  });
  it("RecentPullInfo appears only when one task is asked for", async () => {
    const id = await created(liveTask());
    expect((await describeTasks()).TaskInfos[0]).not.toHaveProperty("RecentPullInfo");
    const single = await describeTasks({ TaskId: id });
    expect(single.TotalNum).toBe(1);
    expect(Object.keys(single.TaskInfos[0].RecentPullInfo).sort()).toEqual(["FileUrl", "LoopedTimes", "OffsetTime", "ReportTime"]);
  });
  it("an unknown TaskId → InvalidParameter.TaskNotExist", async () => {
    expect(codeOf(await describeTasks({ TaskId: "404" }))).toBe("InvalidParameter.TaskNotExist");
  });
});

describe("Delete, Restart and Status", () => {
  it("Delete removes the task; deleting it again → InvalidParameter.TaskNotExist", async () => {
    const id = await created(liveTask());
    expect(codeOf(await call(emu.url, "DeleteLivePullStreamTask", { TaskId: id, Operator: "t" }))).toBe("OK");
    expect(emu.tasks()).toEqual([]);
    expect(codeOf(await call(emu.url, "DeleteLivePullStreamTask", { TaskId: id, Operator: "t" }))).toBe("InvalidParameter.TaskNotExist");
  });
  it("Delete without Operator → MissingParameter", async () => {
    const id = await created(liveTask());
    expect(codeOf(await call(emu.url, "DeleteLivePullStreamTask", { TaskId: id }))).toBe("MissingParameter");
  });
  it("Restart succeeds for a task without changing its configuration; unknown → TaskNotExist", async () => {
    const id = await created(liveTask());
    const before = emu.tasks()[0];
    expect(codeOf(await call(emu.url, "RestartLivePullStreamTask", { TaskId: id, Operator: "t" }))).toBe("OK");
    expect(emu.tasks()[0]).toEqual({ ...before, RestartCount: 1, Restarts: [{ Time: expect.any(String), Operator: "t" }] });
    expect(codeOf(await call(emu.url, "RestartLivePullStreamTask", { TaskId: "1", Operator: "t" }))).toBe("InvalidParameter.TaskNotExist");
    expect(codeOf(await call(emu.url, "RestartLivePullStreamTask", { TaskId: id }))).toBe("MissingParameter");
  });
  it("Status reports active for an enabled task inside its window, inactive when paused; unknown → TaskNotExist", async () => {
    const id = await created(liveTask({ StartTime: iso(Date.now() - HOUR) }));
    const running = await call(emu.url, "DescribeLivePullStreamTaskStatus", { TaskId: id });
    expect(running.TaskStatusInfo).toMatchObject({ RunStatus: "active", FileUrl: "rtmp://source.example.com/live/in" });
    await call(emu.url, "ModifyLivePullStreamTask", { TaskId: id, Operator: "t", Status: "pause" });
    const paused = await call(emu.url, "DescribeLivePullStreamTaskStatus", { TaskId: id });
    expect(paused.TaskStatusInfo.RunStatus).toBe("inactive");
    expect(codeOf(await call(emu.url, "DescribeLivePullStreamTaskStatus", { TaskId: "77" }))).toBe("InvalidParameter.TaskNotExist");
  });
});
