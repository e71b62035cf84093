import { describe, expect, it } from "vitest";
import {
  ApiRequest,
  diffTask,
  fromTaskInfo,
  MODIFIABLE_FIELDS,
  normaliseInputs,
  TaskInfo,
  TaskInputs,
  toCreateRequest,
  toModifyRequest,
} from "../../provider/task";
import { at, DAY, liveTask, vodTask } from "./task-fixtures";

const live = (over: Record<string, unknown> = {}): TaskInputs => normaliseInputs(liveTask(over));
const vod = (over: Record<string, unknown> = {}): TaskInputs => normaliseInputs(vodTask(over));
const wm = (location: number) => ({ pictureUrl: `https://img.example.com/${location}.png`, xPosition: 1, yPosition: 2, width: 30, height: 40, location });
const backup = { backupSourceType: "PullVodPushLive", backupSourceUrl: "https://cdn.example.com/slate.mp4" };

describe("toCreateRequest", () => {
  it("maps a live task to the API's field names", () => {
    const req = toCreateRequest(live({ pushArgs: "bak=1", comment: "c", callbackEvents: ["TaskStart"], watermarkList: [wm(1)], ...backup, region: "ap-tokyo", status: "pause" }), "spec-1");
    expect(req).toEqual({
      SourceType: "PullLivePushLive",
      SourceUrls: ["rtmp://origin.example.com/live/source"],
      DomainName: "push.example.com",
      AppName: "live",
      StreamName: "relay",
      StartTime: at(3600_000),
      EndTime: at(DAY),
      Operator: "pulumi",
      PushArgs: "bak=1",
      Comment: "c",
      CallbackEvents: ["TaskStart"],
      BackupSourceType: "PullVodPushLive",
      BackupSourceUrl: "https://cdn.example.com/slate.mp4",
      WatermarkList: [{ PictureUrl: "https://img.example.com/1.png", XPosition: 1, YPosition: 2, Width: 30, Height: 40, Location: 1 }],
      SpecifyTaskId: "spec-1",
    });
  });

  it("sends empty domain/app/stream with ToUrl, VodLoopTimes as a string, and write-only fields", () => {
    const req = toCreateRequest(vod({ vodLoopTimes: 2, fileIndex: 2, offsetTime: 5, extraCmd: "ignore_region", operator: "ci" }));
    expect(req).toMatchObject({ DomainName: "", AppName: "", StreamName: "", ToUrl: vodTask().toUrl, VodLoopTimes: "2", VodLocalMode: 0, FileIndex: 2, OffsetTime: 5, ExtraCmd: "ignore_region", Operator: "ci" });
    expect(toCreateRequest(vod()).VodLoopTimes).toBe("-1");
    expect("SpecifyTaskId" in req).toBe(false);
  });

  it("never sends Status, Region or schedule (not Create fields)", () => {
    const req = toCreateRequest({ ...live({ region: "ap-tokyo", status: "pause" }), schedule: { window: "3d", renewBefore: "1d" } });
    for (const k of ["Status", "Region", "Schedule", "schedule"]) expect(k in req).toBe(false);
  });

  it("refuses inputs without times (a schedule not applied yet)", () => {
    const t = live() as unknown as Record<string, unknown>;
    delete t.startTime;
    expect(() => toCreateRequest(t as unknown as TaskInputs)).toThrow(/startTime and endTime are required/);
  });
});

describe("toModifyRequest", () => {
  // Each modifiable field changed alone → exactly that API field (plus TaskId and Operator).
  const cases: [string, TaskInputs, TaskInputs, ApiRequest][] = [
    ["sourceUrls", vod(), vod({ sourceUrls: ["https://cdn.example.com/z.mp4"] }), { SourceUrls: ["https://cdn.example.com/z.mp4"] }],
    ["startTime", live(), live({ startTime: at(7200_000) }), { StartTime: at(7200_000) }],
    ["endTime", live(), live({ endTime: at(2 * DAY) }), { EndTime: at(2 * DAY) }],
    ["status", live(), live({ status: "pause" }), { Status: "pause" }],
    ["callbackEvents", live(), live({ callbackEvents: ["TaskExit"] }), { CallbackEvents: ["TaskExit"] }],
    ["callbackUrl", live(), live({ callbackUrl: "https://hooks.example.com/a" }), { CallbackUrl: "https://hooks.example.com/a" }],
    ["vodLoopTimes", vod(), vod({ vodLoopTimes: 3 }), { VodLoopTimes: 3 }],
    ["vodRefreshType", vod(), vod({ vodRefreshType: "ContinueBreakPoint" }), { VodRefreshType: "ContinueBreakPoint" }],
    ["fileIndex", vod(), vod({ fileIndex: 2 }), { FileIndex: 2 }],
    ["offsetTime", vod({ fileIndex: 2 }), vod({ fileIndex: 2, offsetTime: 9 }), { OffsetTime: 9, FileIndex: 2 }],
    ["comment", live(), live({ comment: "hello" }), { Comment: "hello" }],
    ["backupSourceType", live(backup), live({ ...backup, backupSourceType: "PullLivePushLive" }), { BackupSourceType: "PullLivePushLive", BackupSourceUrl: backup.backupSourceUrl }],
    ["backupSourceUrl", live(backup), live({ ...backup, backupSourceUrl: "https://cdn.example.com/other.mp4" }), { BackupSourceUrl: "https://cdn.example.com/other.mp4", BackupSourceType: "PullVodPushLive" }],
    ["watermarkList", live(), live({ watermarkList: [wm(2)] }), { WatermarkList: [{ PictureUrl: "https://img.example.com/2.png", XPosition: 1, YPosition: 2, Width: 30, Height: 40, Location: 2 }] }],
    ["vodLocalMode", vod(), vod({ vodLocalMode: 1 }), { VodLocalMode: 1 }],
    ["backupVodUrl", live(), live({ backupVodUrl: "https://cdn.example.com/pad.mp4" }), { BackupVodUrl: "https://cdn.example.com/pad.mp4" }],
    ["backupToUrl", live(), live({ backupToUrl: "rtmp://b.example.com/live/x" }), { BackupToUrl: "rtmp://b.example.com/live/x" }],
  ];

  it("covers every modifiable API field", () => {
    const covered = new Set([...cases.map((c) => c[0]), "operator", "schedule", "restartTrigger", "restartWaitSeconds", "adoptTaskId", "allowSharedDestination"]);
    expect([...MODIFIABLE_FIELDS].filter((f) => !covered.has(f))).toEqual([]);
  });

  it("allowSharedDestination (ours, read only by Create) set, changed or removed alone → nothing to send, and never in Create", () => {
    expect(toModifyRequest("t-1", live(), live({ allowSharedDestination: true }))).toBeNull();
    expect(toModifyRequest("t-1", live({ allowSharedDestination: true }), live())).toBeNull();
    expect(Object.keys(toCreateRequest(live({ allowSharedDestination: true })))).not.toContain("AllowSharedDestination");
  });

  it("adoptTaskId (ours, read only by Create) changed or removed alone → nothing to send", () => {
    expect(toModifyRequest("t-1", live({ adoptTaskId: "a" }), live({ adoptTaskId: "b" }))).toBeNull();
    expect(toModifyRequest("t-1", live({ adoptTaskId: "a" }), live())).toBeNull();
  });

  for (const [field, olds, news, expected] of cases) {
    it(`${field} alone → only its API field`, () => {
      expect(toModifyRequest("t-1", olds, news)).toEqual({ TaskId: "t-1", Operator: "pulumi", ...expected });
    });
  }

  it("changing only endTime sends only EndTime", () => {
    expect(Object.keys(toModifyRequest("t-1", live(), live({ endTime: at(3 * DAY) })) ?? {})).toEqual(["TaskId", "Operator", "EndTime"]);
  });

  it("clearing watermarks sends an empty list", () => {
    expect(toModifyRequest("t-1", live({ watermarkList: [wm(0)] }), live())).toEqual({ TaskId: "t-1", Operator: "pulumi", WatermarkList: [] });
  });

  it("removing the backup source sends the empty BackupSourceType only", () => {
    expect(toModifyRequest("t-1", live(backup), live())).toEqual({ TaskId: "t-1", Operator: "pulumi", BackupSourceType: "" });
  });

  it("a new backupToUrl is one Modify carrying it; removing it sends the empty value that cancels the push", () => {
    const to = "rtmp://backup.example.com/live/relay";
    expect(toModifyRequest("t-1", live(), live({ backupToUrl: to }))).toEqual({ TaskId: "t-1", Operator: "pulumi", BackupToUrl: to });
    expect(toModifyRequest("t-1", live({ backupToUrl: to }), live())).toEqual({ TaskId: "t-1", Operator: "pulumi", BackupToUrl: "" });
  });

  it("removing callback events subscribes to every event Modify lists (its list omits TaskAlarm)", () => {
    expect(toModifyRequest("t-1", live({ callbackEvents: ["TaskStart"] }), live())?.CallbackEvents).toEqual([
      "TaskStart", "TaskExit", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig",
    ]);
  });

  it("removing the comment or callback URL sends an empty string", () => {
    expect(toModifyRequest("t-1", live({ comment: "x", callbackUrl: "https://h.example.com" }), live())).toEqual({ TaskId: "t-1", Operator: "pulumi", CallbackUrl: "", Comment: "" });
  });

  it("has nothing to send for operator alone, create-only fields or a removed fileIndex", () => {
    expect(toModifyRequest("t-1", live(), live({ operator: "alice" }))).toBeNull();
    expect(toModifyRequest("t-1", live(), live({ streamName: "other" }))).toBeNull();
    expect(toModifyRequest("t-1", vod({ fileIndex: 2 }), vod())).toBeNull();
    expect(toModifyRequest("t-1", live(), live())).toBeNull();
  });

  it("uses the new operator", () => {
    expect(toModifyRequest("t-1", live(), live({ operator: "alice", comment: "c" }))).toEqual({ TaskId: "t-1", Operator: "alice", Comment: "c" });
  });
});

/** What an API with Describe's documented behaviour returns for a created task (write-only fields dropped). */
function describedAs(req: ApiRequest, extra: Partial<TaskInfo> = {}): TaskInfo {
  const info: Record<string, unknown> = {
    TaskId: "t-1",
    Region: "ap-guangzhou",
    PushArgs: "",
    CallbackUrl: "",
    CallbackEvents: [],
    VodLoopTimes: -1,
    VodRefreshType: "",
    VodLocalMode: 0,
    Comment: "",
    BackupSourceType: "",
    BackupSourceUrl: "",
    BackupToUrl: "",
    WatermarkList: [],
    RecordTemplateId: "",
    TranscodeTemplateName: "",
    Status: "enable",
    CreateTime: "2026-02-28T23:00:00Z",
    UpdateTime: "2026-02-28T23:00:00Z",
    CreateBy: "pulumi",
    UpdateBy: "pulumi",
    RecentPullInfo: { LoopedTimes: 0 },
  };
  for (const [k, v] of Object.entries(req)) {
    if (["ToUrl", "ExtraCmd", "FileIndex", "OffsetTime", "Operator", "SpecifyTaskId"].includes(k)) continue;
    info[k] = k === "VodLoopTimes" ? Number(v) : v;
  }
  return { ...(info as TaskInfo), ...extra };
}

describe("fromTaskInfo", () => {
  const programs: [string, TaskInputs][] = [
    ["plain live", live()],
    ["live with everything", live({ region: "ap-guangzhou", pushArgs: "bak=1", comment: "c", callbackEvents: ["TaskStart", "TaskExit"], callbackUrl: "https://h.example.com", watermarkList: [wm(0), wm(2)], ...backup, backupToUrl: "rtmp://b.example.com/live/x", recordTemplateId: "9", transcodeTemplateName: "hd", status: "pause", operator: "ops" })],
    ["vod with write-only fields", vod({ vodLoopTimes: 2, vodRefreshType: "ContinueBreakPoint", vodLocalMode: 1, fileIndex: 2, offsetTime: 3, extraCmd: "ignore_region" })],
    ["picture", live({ sourceType: "PullPicPushLive", sourceUrls: ["https://img.example.com/slate.png"] })],
  ];

  for (const [name, program] of programs) {
    it(`round-trips ${name}: create request → Describe → inputs with no diff`, () => {
      // As check leaves them: the region filled in with the provider's when the program names none.
      const inputs = normaliseInputs(program, { defaultRegion: "ap-guangzhou" });
      const status = inputs.status === "pause" ? { Status: "pause" } : {};
      const info = describedAs(toCreateRequest(inputs), status);
      const { inputs: read, outputs } = fromTaskInfo(info, inputs);
      expect(diffTask(inputs, read)).toMatchObject({ changes: false });
      expect(diffTask(read, inputs)).toMatchObject({ changes: false });
      expect(outputs).toMatchObject({ taskId: "t-1", createTime: "2026-02-28T23:00:00Z", createBy: "pulumi", updateBy: "pulumi" });
    });
  }

  it("imports (no previous inputs) with no diff against the program a user writes", () => {
    const program = live({ comment: "c", watermarkList: [wm(1)], region: "ap-guangzhou" });
    const { inputs } = fromTaskInfo(describedAs(toCreateRequest(program)));
    expect(diffTask(inputs, program).changes).toBe(false);
    expect(inputs.region).toBe("ap-guangzhou");
    expect(inputs.operator).toBe("pulumi");
  });

  it("imports a toUrl task and adopts the program's toUrl without replacement", () => {
    const program = vod();
    const { inputs } = fromTaskInfo(describedAs(toCreateRequest(program), { Region: undefined }));
    expect(inputs.toUrl).toBeUndefined();
    expect(inputs.domainName).toBeUndefined();
    expect(diffTask(inputs, program).changes).toBe(false);
  });

  it("canonicalises Describe's times and keeps write-only fields and schedule from the old inputs", () => {
    const old = vod({ fileIndex: 1, schedule: undefined });
    const { inputs } = fromTaskInfo(describedAs(toCreateRequest(old), { StartTime: "2026-03-01T09:00:00+08:00" }), { ...old, schedule: { window: "3d", renewBefore: "1d" } });
    expect(inputs.startTime).toBe("2026-03-01T01:00:00Z");
    expect(inputs.toUrl).toBe(old.toUrl);
    expect(inputs.fileIndex).toBe(1);
    expect(inputs.schedule).toEqual({ window: "3d", renewBefore: "1d" });
  });

  it("shows a pause made outside as drift in status", () => {
    const inputs = live();
    const { inputs: read } = fromTaskInfo(describedAs(toCreateRequest(inputs), { Status: "pause" }), inputs);
    expect(diffTask(read, inputs).changed).toEqual(["status"]);
    expect(toModifyRequest("t-1", read, inputs)).toEqual({ TaskId: "t-1", Operator: "pulumi", Status: "enable" });
  });

  it("drops VOD-only values Describe reports for live tasks", () => {
    const { inputs } = fromTaskInfo(describedAs(toCreateRequest(live()), { VodLoopTimes: -1, VodLocalMode: 0 }));
    expect(inputs.vodLoopTimes).toBeUndefined();
    expect(inputs.vodLocalMode).toBeUndefined();
  });

  it("keeps the program's VOD-only values on a live task, which the API accepts and ignores: no perpetual diff", () => {
    const program = live({ vodLoopTimes: 3, vodLocalMode: 1 });
    const { inputs } = fromTaskInfo(describedAs(toCreateRequest(program), { VodLoopTimes: -1, VodLocalMode: 0 }), program);
    expect(inputs.vodLoopTimes).toBe(3);
    expect(inputs.vodLocalMode).toBe(1);
    expect(diffTask(inputs, program).changes).toBe(false);
  });
});
