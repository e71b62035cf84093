import { describe, expect, it } from "vitest";
import { diffTask, normaliseInputs, REPLACE_FIELDS, TaskInputs, UNKNOWN } from "../../provider/task";
import { asInputs, at, DAY, liveTask, vodTask } from "./task-fixtures";

const live = (over: Record<string, unknown> = {}): TaskInputs => normaliseInputs(liveTask(over));
const vod = (over: Record<string, unknown> = {}): TaskInputs => normaliseInputs(vodTask(over));
const wm = (location: number, pictureUrl = `https://img.example.com/${location}.png`) => ({ pictureUrl, xPosition: 1, yPosition: 1, width: 10, height: 10, location });

describe("diffTask: replacements", () => {
  // [field, olds, news, deleteBeforeReplace]: the destination decides the order.
  const cases: [string, TaskInputs, TaskInputs, boolean][] = [
    ["sourceType", live({ sourceUrls: ["https://img.example.com/a.png"] }), live({ sourceType: "PullPicPushLive", sourceUrls: ["https://img.example.com/a.png"] }), true],
    ["domainName", live(), live({ domainName: "push2.example.com" }), false],
    ["appName", live(), live({ appName: "live2" }), false],
    ["streamName", live(), live({ streamName: "relay2" }), false],
    ["toUrl", vod(), vod({ toUrl: "rtmp://push.example.com/live/other" }), false],
    ["pushArgs", live({ pushArgs: "bak=1" }), live({ pushArgs: "bak=2" }), true],
    ["region", live({ region: "ap-guangzhou" }), live({ region: "ap-singapore" }), true],
    ["extraCmd", live(), live({ extraCmd: "ignore_region" }), true],
    ["recordTemplateId", live(), live({ recordTemplateId: "1001" }), true],
    ["transcodeTemplateName", live(), live({ transcodeTemplateName: "hd" }), true],
  ];

  it("covers every create-only field", () => {
    expect(cases.map((c) => c[0]).sort()).toEqual([...REPLACE_FIELDS].sort());
  });

  for (const [field, olds, news, dbr] of cases) {
    it(`${field} → replace, deleteBeforeReplace ${dbr}`, () => {
      expect(diffTask(olds, news)).toEqual({ changes: true, replaces: [field], deleteBeforeReplace: dbr, changed: [field] });
    });
  }

  it("a new signature on the same toUrl stream deletes first (same destination)", () => {
    const d = diffTask(vod(), vod({ toUrl: "rtmp://push.example.com/live/playlist?txSecret=new&txTime=6B000000" }));
    expect(d.replaces).toEqual(["toUrl"]);
    expect(d.deleteBeforeReplace).toBe(true);
  });

  it("switching to a toUrl for the same stream deletes first", () => {
    const news = live({ toUrl: "rtmps://PUSH.example.com:443/live/relay/" }) as unknown as Record<string, unknown>;
    delete news.domainName, delete news.appName, delete news.streamName;
    const d = diffTask(live(), asInputs(news));
    expect(d.replaces.sort()).toEqual(["appName", "domainName", "streamName", "toUrl"]);
    expect(d.deleteBeforeReplace).toBe(true);
  });

  it("a shared backup destination also deletes first", () => {
    const backup = { backupToUrl: "rtmp://backup.example.com/live/relay" };
    expect(diffTask(live(backup), live({ ...backup, streamName: "other" })).deleteBeforeReplace).toBe(true);
  });

  it("an unknown create-only value replaces, deleting first (the destination cannot be ruled out)", () => {
    expect(diffTask(live(), live({ streamName: UNKNOWN }))).toEqual({ changes: true, replaces: ["streamName"], deleteBeforeReplace: true, changed: ["streamName"] });
    expect(diffTask(live(), live({ region: UNKNOWN })).replaces).toEqual(["region"]);
  });
});

describe("diffTask: in-place updates", () => {
  const cases: [string, TaskInputs, TaskInputs][] = [
    ["sourceUrls", vod(), vod({ sourceUrls: ["https://cdn.example.com/a.mp4"] })],
    ["startTime", live(), live({ startTime: at(2 * 3600_000) })],
    ["endTime", live(), live({ endTime: at(2 * DAY) })],
    ["schedule", live({ schedule: { window: "3d", renewBefore: "1d" } }), live({ schedule: { window: "5d", renewBefore: "1d" } })],
    ["status", live(), live({ status: "pause" })],
    ["callbackEvents", live(), live({ callbackEvents: ["TaskExit"] })],
    ["callbackUrl", live(), live({ callbackUrl: "https://hooks.example.com/x" })],
    ["vodLoopTimes", vod(), vod({ vodLoopTimes: 0 })],
    ["vodRefreshType", vod(), vod({ vodRefreshType: "ContinueBreakPoint" })],
    ["fileIndex", vod(), vod({ fileIndex: 2 })],
    ["offsetTime", vod({ fileIndex: 2 }), vod({ fileIndex: 2, offsetTime: 30 })],
    ["comment", live(), live({ comment: "night shift" })],
    ["backupSourceType", live({ backupSourceType: "PullLivePushLive", backupSourceUrl: "rtmp://b.example.com/l/s" }), live({ backupSourceType: "PullVodPushLive", backupSourceUrl: "rtmp://b.example.com/l/s" })],
    ["backupSourceUrl", live({ backupSourceType: "PullLivePushLive", backupSourceUrl: "rtmp://b.example.com/l/s" }), live({ backupSourceType: "PullLivePushLive", backupSourceUrl: "rtmp://c.example.com/l/s" })],
    ["watermarkList", live(), live({ watermarkList: [wm(1)] })],
    ["vodLocalMode", vod(), vod({ vodLocalMode: 1 })],
    // Modify: "a new value replaces the second push": the main push and the TaskId stay.
    ["backupToUrl", live(), live({ backupToUrl: "rtmp://backup.example.com/live/relay" })],
    ["backupToUrl", live({ backupToUrl: "rtmp://backup.example.com/live/relay" }), live({ backupToUrl: "rtmp://b2.example.com/live/relay" })],
    ["backupToUrl", live({ backupToUrl: "rtmp://backup.example.com/live/relay" }), live()],
  ];

  for (const [field, olds, news] of cases) {
    it(`${field} → update in place`, () => {
      expect(diffTask(olds, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false, changed: [field] });
    });
  }

  it("an unknown modifiable value is a change, not a replacement", () => {
    expect(diffTask(vod(), vod({ sourceUrls: ["https://cdn.example.com/a.mp4", UNKNOWN] }))).toMatchObject({ replaces: [], changed: ["sourceUrls"] });
  });

  it("sourceUrls order matters (fileIndex counts in it)", () => {
    const urls = ["https://cdn.example.com/a.mp4", "https://cdn.example.com/b.mp4"];
    expect(diffTask(vod({ sourceUrls: urls }), vod({ sourceUrls: [...urls].reverse() })).changed).toEqual(["sourceUrls"]);
  });

  it("removing watermarks, the backup or callback events is a change", () => {
    expect(diffTask(live({ watermarkList: [wm(0)] }), live()).changed).toEqual(["watermarkList"]);
    expect(diffTask(live({ backupSourceType: "PullLivePushLive", backupSourceUrl: "rtmp://b.example.com/l/s" }), live()).changed).toEqual(["backupSourceType", "backupSourceUrl"]);
    expect(diffTask(live({ callbackEvents: ["TaskStart"] }), live()).changed).toEqual(["callbackEvents"]);
  });
});

describe("diffTask: no change", () => {
  it("operator alone is no change", () => {
    expect(diffTask(live(), live({ operator: "alice" }))).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false, changed: [] });
  });

  it("operator with another change is not listed", () => {
    expect(diffTask(live(), live({ operator: "alice", comment: "x" })).changed).toEqual(["comment"]);
  });

  it("every event listed equals no callbackEvents (the API's default)", () => {
    const all = ["TaskStart", "TaskExit", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig", "TaskAlarm"];
    expect(diffTask(live(), live({ callbackEvents: all })).changes).toBe(false);
    expect(diffTask(live({ callbackEvents: [] }), live()).changes).toBe(false);
  });

  it("after a Modify removed the list, Describe's five events (Modify's list, no TaskAlarm) are no drift", () => {
    const modifyAll = ["TaskStart", "TaskExit", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig"];
    expect(diffTask(live({ callbackEvents: modifyAll }), live()).changes).toBe(false);
    expect(diffTask(live(), live({ callbackEvents: modifyAll })).changes).toBe(false);
    expect(diffTask(live({ callbackEvents: modifyAll }), live({ callbackEvents: ["TaskStart"] })).changes).toBe(true);
  });

  it("watermark order is not meaningful (one per location)", () => {
    expect(diffTask(live({ watermarkList: [wm(0), wm(3)] }), live({ watermarkList: [wm(3), wm(0)] })).changes).toBe(false);
    expect(diffTask(live({ watermarkList: [] }), live()).changes).toBe(false);
    expect(diffTask(live({ watermarkList: [wm(0), wm(3)] }), live({ watermarkList: [wm(3, "https://img.example.com/new.png"), wm(0)] })).changed).toEqual(["watermarkList"]);
  });

  it("leaving vodRefreshType out keeps what the task has", () => {
    expect(diffTask(vod({ vodRefreshType: "ContinueBreakPoint" }), vod()).changes).toBe(false);
  });

  it("an empty string and an absent field are the same", () => {
    expect(diffTask(live({ comment: "" }), live()).changes).toBe(false);
    expect(diffTask(live({ pushArgs: "" }), live()).changes).toBe(false);
  });

  it("a program without region keeps the region in state (absent = the provider's region)", () => {
    expect(diffTask(live({ region: "ap-guangzhou" }), live()).changes).toBe(false);
  });

  it("write-only fields are compared with the previous inputs", () => {
    expect(diffTask(vod({ fileIndex: 2, extraCmd: "ignore_region" }), vod({ fileIndex: 2, extraCmd: "ignore_region" })).changes).toBe(false);
  });

  it("a toUrl in the program is adopted when state has no destination (an import)", () => {
    const imported = vod() as unknown as Record<string, unknown>;
    delete imported.toUrl;
    expect(diffTask(asInputs(imported), vod()).changes).toBe(false);
  });

  it("ignores outputs in olds (taskId, times of creation)", () => {
    const olds = { ...live(), taskId: "t-1", createTime: "2026-01-01T00:00:00Z" } as TaskInputs;
    expect(diffTask(olds, live()).changes).toBe(false);
  });
});
