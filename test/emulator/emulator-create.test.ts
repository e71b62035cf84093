// CreateLivePullStreamTask: one test per documented rule (css-api.md §2), each with its error code.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { call, codeOf } from "./support-sign";
import { DAY, HOUR, iso, liveTask, vodTask, watermark } from "./support-tasks";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ rateScale: 1000, taskLimit: 10_000 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const create = (params: unknown, region?: string) => call(emu.url, "CreateLivePullStreamTask", params, region ? { region } : {});

/** The request fails with `code`, and nothing is stored. */
async function rejects(params: unknown, code: string, messagePart?: string): Promise<void> {
  const before = emu.tasks().length;
  const r = await create(params);
  expect(codeOf(r), JSON.stringify(r.Error)).toBe(code);
  if (messagePart) expect(r.Error.Message).toContain(messagePart);
  expect(emu.tasks()).toHaveLength(before);
}

async function accepts(params: unknown): Promise<string> {
  const r = await create(params);
  expect(codeOf(r), JSON.stringify(r.Error)).toBe("OK");
  return r.TaskId;
}

describe("protocol checks", () => {
  it.each(["SourceType", "SourceUrls", "DomainName", "AppName", "StreamName", "StartTime", "EndTime", "Operator"])(
    "missing %s → MissingParameter naming it",
    async (field) => {
      const p = liveTask();
      delete p[field];
      await rejects(p, "MissingParameter", field);
    },
  );
  it("wrong types → InvalidParameterValue naming the field", async () => {
    await rejects(liveTask({ SourceUrls: "rtmp://source.example.com/live/in" }), "InvalidParameterValue", "SourceUrls");
    await rejects(liveTask({ SourceUrls: [42] }), "InvalidParameterValue", "SourceUrls.0");
    await rejects(vodTask({ VodLoopTimes: 3 }), "InvalidParameterValue", "VodLoopTimes");
    await rejects(vodTask({ FileIndex: "1" }), "InvalidParameterValue", "FileIndex");
    await rejects(vodTask({ FileIndex: 1.5 }), "InvalidParameterValue", "FileIndex");
    await rejects(liveTask({ WatermarkList: [watermark(0, { Location: "0" })] }), "InvalidParameterValue", "WatermarkList.0.Location");
  });
  it("unknown fields → UnknownParameter, also inside a watermark", async () => {
    await rejects(liveTask({ Colour: "blue" }), "UnknownParameter", "Colour");
    await rejects(liveTask({ Status: "pause" }), "UnknownParameter", "Status");
    await rejects(liveTask({ WatermarkList: [watermark(0, { Alpha: 1 })] }), "UnknownParameter", "WatermarkList.0.Alpha");
  });
});

describe("source", () => {
  it("SourceType outside the three documented values → InvalidParameterValue", async () => {
    await rejects(liveTask({ SourceType: "PullLivePushVod" }), "InvalidParameterValue", "SourceType");
  });
  it("URL counts: live exactly 1, VOD 1..30, picture exactly 1 → InvalidParameter.InvalidSourceUrl", async () => {
    await rejects(liveTask({ SourceUrls: ["rtmp://a.example.com/l/1", "rtmp://a.example.com/l/2"] }), "InvalidParameter.InvalidSourceUrl");
    await rejects(liveTask({ SourceUrls: [] }), "InvalidParameter.InvalidSourceUrl");
    await rejects(vodTask({ SourceUrls: [] }), "InvalidParameter.InvalidSourceUrl");
    const files = (n: number) => Array.from({ length: n }, (_, i) => `https://media.example.com/${i}.mp4`);
    await rejects(vodTask({ SourceUrls: files(31) }), "InvalidParameter.InvalidSourceUrl", "1..30");
    await accepts(vodTask({ SourceUrls: files(30) }));
    const pic = { SourceType: "PullPicPushLive" };
    // No document states a count for pictures: only the field's bounds (1..30) apply.
    await accepts(liveTask({ ...pic, StreamName: "pic2", SourceUrls: ["https://img.example.com/a.png", "https://img.example.com/b.png"] }));
    await accepts(liveTask({ ...pic, SourceUrls: ["https://img.example.com/a.png"] }));
    await rejects(liveTask({ ...pic, SourceUrls: [] }), "InvalidParameter.InvalidSourceUrl");
  });
  it("live sources accept http, https, rtmp, rtmps, rtsp and srt; other protocols → InvalidSourceUrl", async () => {
    for (const u of ["http://s.example.com/live/a.flv", "https://s.example.com/live/a.m3u8", "rtmp://s.example.com/live/a",
      "rtmps://s.example.com/live/a", "rtsp://s.example.com/cam", "srt://s.example.com:9000"]) {
      await accepts(liveTask({ SourceUrls: [u] }));
    }
    await rejects(liveTask({ SourceUrls: ["ftp://s.example.com/live/a.flv"] }), "InvalidParameter.InvalidSourceUrl", "protocol");
    await rejects(liveTask({ SourceUrls: ["not a url"] }), "InvalidParameter.InvalidSourceUrl");
  });
  it("formats: the docs list what is played (flv, mp4, hls), not URL suffixes: no video file is refused for its name", async () => {
    await accepts(vodTask({ StreamName: "php", SourceUrls: ["https://media.example.com/play.php?id=1"] }));
    await accepts(vodTask({ StreamName: "mkv", SourceUrls: ["https://media.example.com/a.mp4", "rtmp://media.example.com/vod/b.mkv"] }));
    await accepts(vodTask({ SourceUrls: ["https://cdn.example.com/signed/abc123?sign=x", "rtmp://media.example.com/vod/b.mp4"] }));
    await accepts(liveTask({ SourceUrls: ["https://s.example.com/live/a"] }));
  });
  it.each(["10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "localhost", "169.254.1.1", "[::1]", "[fd00::1]", "[fc00::5]",
    "0.0.0.0", "100.64.0.1", "[::]", "[fe80::1]", "[::ffff:10.0.0.1]", "[::ffff:127.0.0.1]", "sub.localhost"])(
    "private-network host %s → InvalidParameter.InvalidSourceUrl",
    async (host) => {
      await rejects(liveTask({ SourceUrls: [`rtmp://${host}/live/in`] }), "InvalidParameter.InvalidSourceUrl", "private");
    },
  );
  it("public hosts next to private ranges are accepted", async () => {
    for (const host of ["172.32.0.1", "11.0.0.1", "192.169.0.1", "100.128.0.1", "[2001:db8::1]", "[::ffff:8.8.8.8]"]) await accepts(liveTask({ SourceUrls: [`rtmp://${host}/live/in`] }));
  });
});

describe("destination", () => {
  const toUrlTask = (toUrl: string, extra: Record<string, unknown> = {}) => liveTask({ DomainName: "", AppName: "", StreamName: "", ToUrl: toUrl, ...extra });
  it("ToUrl with rtmp, rtmps, rtsp, rtp or srt is accepted and kept write-only", async () => {
    for (const scheme of ["rtmp", "rtmps", "rtsp", "rtp", "srt"]) {
      const id = await accepts(toUrlTask(`${scheme}://push.example.net/live/out?txSecret=abc`));
      expect(emu.tasks().find((t) => t.TaskId === id)?.ToUrl).toBe(`${scheme}://push.example.net/live/out?txSecret=abc`);
    }
  });
  it("ToUrl with another scheme → InvalidParameter.InvalidToUrl", async () => {
    await rejects(toUrlTask("http://push.example.net/live/out"), "InvalidParameter.InvalidToUrl", "protocol");
  });
  it("ToUrl together with DomainName/AppName/StreamName → InvalidParameter.InvalidToUrl", async () => {
    await rejects(toUrlTask("rtmp://push.example.net/live/out", { DomainName: "push.example.com" }), "InvalidParameter.InvalidToUrl");
  });
  it("no ToUrl and an empty DomainName, AppName or StreamName → InvalidParameter", async () => {
    await rejects(liveTask({ StreamName: "" }), "InvalidParameter", "StreamName");
  });
  it("BackupToUrl with a non-push scheme → InvalidParameter.InvalidBackupToUrl", async () => {
    await rejects(liveTask({ BackupToUrl: "https://push.example.net/x" }), "InvalidParameter.InvalidBackupToUrl");
  });
});

describe("times", () => {
  const now = Date.now();
  it("not UTC YYYY-MM-DDTHH:MM:SSZ → InvalidParameter.InvalidTaskTime", async () => {
    for (const bad of ["2030-01-01 10:00:00", "2030-01-01T10:00:00+08:00", "2030-02-30T10:00:00Z", "tomorrow"]) {
      await rejects(liveTask({ StartTime: bad }), "InvalidParameter.InvalidTaskTime", "StartTime");
    }
  });
  it("EndTime not after StartTime → InvalidParameter.InvalidTaskTime", async () => {
    await rejects(liveTask({ StartTime: iso(now + HOUR), EndTime: iso(now + HOUR) }), "InvalidParameter.InvalidTaskTime", "later than StartTime");
  });
  it("EndTime not after now → InvalidParameter.InvalidTaskTime; a past StartTime is allowed", async () => {
    await rejects(liveTask({ StartTime: iso(now - 2 * HOUR), EndTime: iso(now - HOUR) }), "InvalidParameter.InvalidTaskTime", "later than now");
    await accepts(liveTask({ StartTime: iso(now - HOUR), EndTime: iso(now + HOUR) }));
  });
  it("span of 30 days or more (the newest model) → InvalidParameter.InvalidTaskTime; 7 days and just under 30 pass", async () => {
    const start = now + HOUR;
    await rejects(liveTask({ StartTime: iso(start), EndTime: iso(start + 30 * DAY) }), "InvalidParameter.InvalidTaskTime", "30 days");
    await accepts(liveTask({ StartTime: iso(start), EndTime: iso(start + 30 * DAY - 1000) }));
    await accepts(liveTask({ StartTime: iso(start), EndTime: iso(start + 7 * DAY) }));
  });
});

describe("optional fields", () => {
  it("VodLoopTimes is a string holding -1, 0 or a count; stored as an integer", async () => {
    await rejects(vodTask({ VodLoopTimes: "twice" }), "InvalidParameterValue", "VodLoopTimes");
    await rejects(vodTask({ VodLoopTimes: "-2" }), "InvalidParameterValue", "VodLoopTimes");
    // The documentation sets no upper bound: any integer count is a count.
    await accepts(vodTask({ VodLoopTimes: "2000000000" }));
    // The type is Int64 (Modify, Describe): 2^53 + 2 is one; 2^63 and "1e+21" are not.
    await accepts(vodTask({ StreamName: "int64", VodLoopTimes: "9007199254740994" }));
    await rejects(vodTask({ VodLoopTimes: "9223372036854775808" }), "InvalidParameterValue", "VodLoopTimes");
    await rejects(vodTask({ VodLoopTimes: "1e+21" }), "InvalidParameterValue", "VodLoopTimes");
    await rejects(vodTask({ VodLoopTimes: "99999999999999999999" }), "InvalidParameterValue", "VodLoopTimes");
    for (const v of ["-1", "0", "5"]) {
      const id = await accepts(vodTask({ VodLoopTimes: v }));
      expect(emu.tasks().find((t) => t.TaskId === id)?.VodLoopTimes).toBe(Number(v));
    }
  });
  it("VodRefreshType outside ImmediateNewSource/ContinueBreakPoint → InvalidParameterValue", async () => {
    await rejects(vodTask({ VodRefreshType: "Restart" }), "InvalidParameterValue", "VodRefreshType");
    await accepts(vodTask({ VodRefreshType: "ContinueBreakPoint" }));
  });
  it("CallbackEvents outside the documented six → InvalidParameterValue", async () => {
    await rejects(liveTask({ CallbackEvents: ["TaskStart", "TaskExplode"] }), "InvalidParameterValue", "CallbackEvents.1");
    await accepts(liveTask({ CallbackEvents: ["TaskStart", "TaskExit", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig", "TaskAlarm"] }));
  });
  it("CallbackUrl that is not http(s) → InvalidParameter.InvalidCallbackUrl", async () => {
    await rejects(liveTask({ CallbackUrl: "ftp://hooks.example.com/x" }), "InvalidParameter.InvalidCallbackUrl");
    await accepts(liveTask({ CallbackUrl: "https://hooks.example.com/x" }));
  });
  it("FileIndex outside 1..len(SourceUrls) → InvalidParameterValue", async () => {
    await rejects(vodTask({ FileIndex: 0 }), "InvalidParameterValue", "FileIndex");
    await rejects(vodTask({ FileIndex: 4 }), "InvalidParameterValue", "FileIndex");
    await accepts(vodTask({ FileIndex: 3, OffsetTime: 30 }));
  });
  it("OffsetTime without FileIndex is taken (\"used together with FileIndex\" refuses nothing); a negative one is not", async () => {
    await accepts(vodTask({ OffsetTime: 30 }));
    await rejects(vodTask({ StreamName: "neg", OffsetTime: -1 }), "InvalidParameterValue", "OffsetTime");
  });
  it("Comment over 512 bytes → InvalidParameterValue; 512 bytes is fine", async () => {
    await rejects(liveTask({ Comment: "é".repeat(257) }), "InvalidParameterValue", "512 bytes");
    await accepts(liveTask({ Comment: "é".repeat(256) }));
  });
  it("Comment with special Unicode (control characters, emoji) → InvalidParameterValue", async () => {
    await rejects(liveTask({ Comment: "launch \u{1F680}" }), "InvalidParameterValue", "Comment");
    await rejects(liveTask({ Comment: "bell\u0007" }), "InvalidParameterValue", "Comment");
    await accepts(liveTask({ Comment: "直播 tab\tand newline\n" }));
  });
  it("VodLocalMode other than 0 or 1 → InvalidParameterValue", async () => {
    await rejects(vodTask({ VodLocalMode: 2 }), "InvalidParameterValue", "VodLocalMode");
  });
});

describe("backup source", () => {
  const backup = { BackupSourceType: "PullVodPushLive", BackupSourceUrl: "https://media.example.com/slate.mp4" };
  it("allowed with a live primary", async () => {
    await accepts(liveTask(backup));
  });
  it("with a VOD primary is accepted: the newest model says it only takes effect on a live primary", async () => {
    await accepts(vodTask(backup));
  });
  it("Create does not take BackupVodUrl (Modify only) → UnknownParameter", async () => {
    await rejects(liveTask({ BackupVodUrl: "https://m.example.com/pad.mp4" }), "UnknownParameter", "BackupVodUrl");
  });
  it("a backup URL must follow the source URL rules → InvalidParameter.InvalidSourceUrl", async () => {
    await rejects(liveTask({ ...backup, BackupSourceUrl: "https://192.168.0.9/slate.mp4" }), "InvalidParameter.InvalidSourceUrl", "BackupSourceUrl");
  });
  it("a backup URL without BackupSourceType → InvalidParameter", async () => {
    await rejects(liveTask({ BackupSourceUrl: backup.BackupSourceUrl }), "InvalidParameter", "BackupSourceType");
  });
});

describe("watermarks", () => {
  it("up to 4 at distinct locations are accepted", async () => {
    await accepts(liveTask({ WatermarkList: [watermark(0), watermark(1), watermark(2), watermark(3)] }));
  });
  it("more than 4 → InvalidParameter.InvalidWatermark", async () => {
    await rejects(liveTask({ WatermarkList: [0, 1, 2, 3, 0].map((l) => watermark(l)) }), "InvalidParameter.InvalidWatermark", "at most 4");
  });
  it("two at one location, or a location outside 0..3 → InvalidParameter.InvalidWatermark", async () => {
    await rejects(liveTask({ WatermarkList: [watermark(1), watermark(1)] }), "InvalidParameter.InvalidWatermark", "Location 1");
    await rejects(liveTask({ WatermarkList: [watermark(4)] }), "InvalidParameter.InvalidWatermark", "Location");
  });
  it.each([";", "(", ")", "{", "}", "$", ">", "`", "#", '"', "'", "|"])("PictureUrl containing %s → InvalidParameter.InvalidWatermark", async (ch) => {
    await rejects(liveTask({ WatermarkList: [watermark(0, { PictureUrl: `https://img.example.com/a${ch}b.png` })] }), "InvalidParameter.InvalidWatermark", "PictureUrl");
  });
  it("PictureUrl that is not http(s) → InvalidParameter.InvalidWatermark", async () => {
    await rejects(liveTask({ WatermarkList: [watermark(0, { PictureUrl: "file:///etc/logo.png" })] }), "InvalidParameter.InvalidWatermark");
  });
  it("Create takes png, jpg and gif pictures (\"png, jpg, gif, etc.\"), and formats it does not list", async () => {
    for (const ext of ["gif", "JPEG", "png", "webp"]) {
      await accepts(liveTask({ StreamName: `wm-${ext}`, WatermarkList: [watermark(0, { PictureUrl: `https://img.example.com/logo.${ext}` })] }));
    }
  });
  it("positions outside 0..100 percent or negative sizes → InvalidParameter.InvalidWatermark; sizes may exceed 100", async () => {
    await rejects(liveTask({ WatermarkList: [watermark(0, { XPosition: 101 })] }), "InvalidParameter.InvalidWatermark", "XPosition");
    await rejects(liveTask({ WatermarkList: [watermark(0, { Height: -1 })] }), "InvalidParameter.InvalidWatermark", "Height");
    await accepts(liveTask({ WatermarkList: [watermark(0, { Width: 150 })] }));
  });
});

describe("identity, quota and recorded attributes", () => {
  it("records Status enable, CreateBy/UpdateBy = Operator, equal UTC create/update times and the request's region", async () => {
    const id = await (async () => {
      const r = await create(liveTask({ Operator: "alice" }), "ap-singapore");
      expect(codeOf(r)).toBe("OK");
      return r.TaskId as string;
    })();
    const t = emu.tasks().find((x) => x.TaskId === id)!;
    expect(t).toMatchObject({ Status: "enable", CreateBy: "alice", UpdateBy: "alice", Region: "ap-singapore", VodLoopTimes: -1 });
    expect(t.CreateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(t.UpdateTime).toBe(t.CreateTime);
  });
  it("a SpecifyTaskId already in use → InvalidParameter; free again after delete", async () => {
    const id = await accepts(liveTask({ SpecifyTaskId: "stack-a/task-1" }));
    await rejects(liveTask({ SpecifyTaskId: "stack-a/task-1" }), "InvalidParameter", "SpecifyTaskId stack-a/task-1 is already used");
    expect(codeOf(await call(emu.url, "DeleteLivePullStreamTask", { TaskId: id, Operator: "t" }))).toBe("OK");
    await accepts(liveTask({ SpecifyTaskId: "stack-a/task-1" }));
  });
  it("the task quota → InvalidParameter.TaskNumMoreThanLimit naming LimitTaskNum", async () => {
    const small = await startEmulator({ taskLimit: 2 });
    try {
      for (let i = 0; i < 2; i++) expect(codeOf(await call(small.url, "CreateLivePullStreamTask", liveTask()))).toBe("OK");
      const r = await call(small.url, "CreateLivePullStreamTask", liveTask());
      expect(codeOf(r)).toBe("InvalidParameter.TaskNumMoreThanLimit");
      expect(r.Error.Message).toContain("LimitTaskNum 2");
      expect(small.tasks()).toHaveLength(2);
    } finally {
      await small.close();
    }
  });
});
