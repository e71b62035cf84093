import { describe, expect, it } from "vitest";
import { at, DAY, HOUR, liveTask, vodTask } from "./task-fixtures";
import { check, expectClean, expectOnly, warningsOf, wm } from "./task-validate-support";

describe("validateTask: schema", () => {
  it("accepts typical live and VOD tasks", () => {
    expectClean(liveTask());
    expectClean(vodTask({ vodLoopTimes: 0, vodRefreshType: "ContinueBreakPoint", vodLocalMode: 1, fileIndex: 3, offsetTime: 10 }));
  });

  it("names an unknown property and suggests the closest known one", () => {
    const t = liveTask({ sourceUrl: ["rtmp://a.example.com/x/y"] });
    expectOnly(t, "sourceUrl", /unknown property; did you mean "sourceUrls"\?/);
  });

  it("lists the known names when nothing is close", () => {
    expectOnly(liveTask({ frobnicate: 1 }), "frobnicate", /unknown property; known properties: region, sourceType/);
  });

  it("reports unknown properties inside watermarks and schedule", () => {
    expectOnly(liveTask({ watermarkList: [wm(0, { locaton: 1 })] }), "watermarkList[0].locaton", /did you mean "location"/);
  });

  it("knows nothing of Pulumi's machinery keys: the provider edge strips them (test/unit/provider-machinery)", () => {
    expectOnly(liveTask({ __provider: "serialised closure" }), "__provider", /unknown property/);
  });

  it("requires sourceType and sourceUrls", () => {
    const t = liveTask();
    delete t.sourceType;
    expectOnly(t, "sourceType", /is required/);
  });

  it("rejects a wrong source type with the allowed values, once", () => {
    expectOnly(liveTask({ sourceType: "PullLive" }), "sourceType", /must be one of "PullLivePushLive", "PullVodPushLive", "PullPicPushLive"/);
  });

  it("reports a wrong type once, not also as a rule failure", () => {
    expectOnly(vodTask({ vodLoopTimes: "5" }), "vodLoopTimes", /must be a whole number/);
    expectOnly(vodTask({ vodLoopTimes: -2 }), "vodLoopTimes", /at least -1/);
  });

  it("checks enums of status, region, vodRefreshType and vodLocalMode", () => {
    expectOnly(liveTask({ status: "stopped" }), "status", /"enable", "pause"/);
    expectOnly(liveTask({ region: "mars-1" }), "region", /ap-guangzhou/);
    expectOnly(vodTask({ vodRefreshType: "Now" }), "vodRefreshType", /ImmediateNewSource/);
    expectOnly(vodTask({ vodLocalMode: 2 }), "vodLocalMode", /one of 0, 1/);
  });

  it("needs fileIndex ≥ 1 and offsetTime ≥ 0", () => {
    expectOnly(vodTask({ fileIndex: 0 }), "fileIndex", /at least 1/);
    expectOnly(vodTask({ fileIndex: 1, offsetTime: -1 }), "offsetTime", /at least 0/);
  });
});

describe("validateTask: sources", () => {
  it("takes exactly one URL for a live source", () => {
    expectOnly(liveTask({ sourceUrls: ["rtmp://a.example.com/l/1", "rtmp://a.example.com/l/2"] }), "sourceUrls", /exactly 1 URL, not 2/);
  });

  it("warns of, never refuses, several URLs for a picture source (no document states a count)", () => {
    expect(warningsOf(liveTask({ sourceType: "PullPicPushLive", sourceUrls: ["https://img.example.com/slate.png"] }))).toEqual([]);
    expect(warningsOf(liveTask({ sourceType: "PullPicPushLive", sourceUrls: ["https://a.example.com/1.png", "https://a.example.com/2.png"] }))).toEqual([
      expect.stringMatching(/^sourceUrls: 2 URLs for a picture source: the API documents no count for PullPicPushLive/),
    ]);
  });

  it("takes 1 to 30 URLs for video files", () => {
    const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://cdn.example.com/${i}.mp4`);
    expectClean(vodTask({ sourceUrls: urls(30) }));
    expectOnly(vodTask({ sourceUrls: urls(31) }), "sourceUrls", /at most 30/);
    expectOnly(vodTask({ sourceUrls: [] }), "sourceUrls", /at least 1/);
  });

  it("accepts the source schemes and refuses others", () => {
    for (const u of ["http://a.example.com/x", "https://a.example.com/x", "rtmp://a.example.com/l/s", "rtmps://a.example.com/l/s", "rtsp://a.example.com/cam", "srt://a.example.com:9000?streamid=x"]) {
      expectClean(liveTask({ sourceUrls: [u] }));
    }
    expectOnly(liveTask({ sourceUrls: ["ftp://a.example.com/x.flv"] }), "sourceUrls[0]", /uses ftp:\/\/; a source URL must use http, https, rtmp, rtmps, rtsp, srt/);
    expectOnly(liveTask({ sourceUrls: ["not a url"] }), "sourceUrls[0]", /not a valid URL/);
    // URL parsing would percent-encode the space; the API refuses the URL.
    expectOnly(liveTask({ sourceUrls: ["rtmp://a.example.com/live/my stream"] }), "sourceUrls[0]", /not a valid URL/);
  });

  it("refuses private-network source hosts", () => {
    for (const host of ["10.1.2.3", "172.16.0.1", "192.168.1.10", "127.0.0.1", "169.254.1.1", "localhost", "cam.localhost", "[::1]", "[fd12::1]", "[fe80::1]", "[::ffff:10.0.0.1]"]) {
      expectOnly(liveTask({ sourceUrls: [`rtmp://${host}/live/s`] }), "sourceUrls[0]", /public hosts/);
    }
    for (const host of ["8.8.8.8", "172.32.0.1", "[2001:db8::1]", "a.example.com"]) expectClean(liveTask({ sourceUrls: [`rtmp://${host}/live/s`] }));
  });

  it("warns of, never refuses, a video file whose name ends in another extension (the API lists formats, not suffixes)", () => {
    expect(warningsOf(vodTask({ sourceUrls: ["https://cdn.example.com/a.mp4", "https://cdn.example.com/b.avi"] }))).toEqual([
      expect.stringMatching(/^sourceUrls\[1\]: the name ends in \.avi: the API plays flv, mp4 and HLS files; fine if this URL serves one$/),
    ]);
    expect(warningsOf(vodTask({ sourceUrls: ["https://cdn.example.com/play.php?id=1"] }))).toHaveLength(1);
    expectClean(vodTask({ sourceUrls: ["https://cdn.example.com/play?id=42", "https://cdn.example.com/A.MP4"] }));
    expectClean(liveTask({ sourceUrls: ["rtmp://origin.example.com/live/stream"] })); // live: no extension rule
  });

  it("does not print secret query values in a reason", () => {
    const f = expectOnly(liveTask({ sourceUrls: ["rtmp://10.0.0.1/live/s?txSecret=topsecret"] }), "sourceUrls[0]", /public/);
    expect(f.reason).not.toContain("topsecret");
  });
});

describe("validateTask: destination", () => {
  it("accepts domain/app/stream or toUrl", () => {
    expectClean(liveTask());
    const viaUrl = liveTask({ toUrl: "rtmp://push.example.com/live/relay" });
    delete viaUrl.domainName, delete viaUrl.appName, delete viaUrl.streamName;
    expectClean(viaUrl);
  });

  it("refuses both", () => {
    expectOnly(liveTask({ toUrl: "rtmp://push.example.com/live/relay" }), "toUrl", /either as toUrl or as domainName\/appName\/streamName, not both/);
  });

  it("refuses neither", () => {
    const t = liveTask();
    delete t.domainName, delete t.appName, delete t.streamName;
    expectOnly(t, "toUrl", /a destination is required/);
  });

  it("needs all three of domain, app and stream", () => {
    const t = liveTask();
    delete t.streamName;
    expectOnly(t, "streamName", /is required with domainName and appName/);
  });

  it("checks toUrl and backupToUrl schemes", () => {
    const t = vodTask({ toUrl: "https://push.example.com/live/x" });
    expectOnly(t, "toUrl", /must use rtmp, rtmps, rtsp, rtp, srt/);
    expectClean(vodTask({ toUrl: "srt://push.example.com:9000?streamid=abc" }));
    expectOnly(vodTask({ backupToUrl: "http://b.example.com/x" }), "backupToUrl", /rtmp, rtmps, rtsp, rtp, srt/);
  });

  it("refuses a destination URL without a host", () => {
    expectOnly(vodTask({ toUrl: "rtmp:///live/x" }), "toUrl", /not a valid URL/);
  });
});

describe("validateTask: times", () => {
  it("refuses a time without a zone", () => {
    expectOnly(liveTask({ startTime: "2026-03-01T10:00:00" }), "startTime", /ISO 8601 date-time with a time zone/);
  });

  it("refuses an impossible date", () => {
    expectOnly(liveTask({ endTime: "2026-02-30T10:00:00Z" }), "endTime", /not a valid date-time/);
  });

  it("needs endTime after startTime", () => {
    expectOnly(liveTask({ startTime: at(2 * HOUR), endTime: at(HOUR) }), "endTime", /later than startTime/);
  });

  it("needs the span under 30 days (the newest model's limit, the default)", () => {
    expectClean(liveTask({ startTime: at(HOUR), endTime: at(HOUR + 30 * DAY - 1000) }));
    expectOnly(liveTask({ startTime: at(HOUR), endTime: at(HOUR + 30 * DAY) }), "endTime", /less than 30 days after startTime/);
  });

  it("accepts offsets and milliseconds", () => {
    expectClean(liveTask({ startTime: "2026-03-01T09:00:00.500+08:00", endTime: "2026-03-02T08:00:00+08:00" }));
  });

  it("needs the end in the future for a new task, and lets it start at once (Create takes a past StartTime)", () => {
    expectClean(liveTask({ startTime: at(-HOUR) }));
    const both = check(liveTask({ startTime: at(-2 * HOUR), endTime: at(-HOUR) }));
    expect(both.map((f) => f.property)).toEqual(["endTime"]);
    expect(both[0].reason).toMatch(/endTime later than now/);
  });

  it("applies now-relative rules only to fields that will be sent", () => {
    const running = liveTask({ startTime: at(-2 * DAY), endTime: at(DAY) });
    expectClean(running, new Set(["comment"]));
    expectClean(running, new Set());
    expectOnly(running, "startTime", /not in the future/, new Set(["startTime"]));
    expectOnly(liveTask({ startTime: at(-2 * DAY), endTime: at(-HOUR) }), "endTime", /later than now/, new Set(["endTime"]));
  });

  it("needs the times or a schedule", () => {
    const t = liveTask();
    delete t.endTime;
    expectOnly(t, "endTime", /is required \(or set schedule/);
  });

  it("refuses schedule together with fixed times", () => {
    const t = liveTask({ schedule: { window: "3d", renewBefore: "1d" } });
    delete t.startTime;
    expectOnly(t, "endTime", /cannot be set together with schedule/);
    delete t.endTime;
    expectClean(t);
  });

  it("checks the schedule's durations", () => {
    const base = liveTask();
    delete base.startTime, delete base.endTime;
    expectOnly({ ...base, schedule: { window: "7 days", renewBefore: "1d" } }, "schedule.window", /duration such as 7d/);
    expectOnly({ ...base, schedule: { window: "1d", renewBefore: "2d" } }, "schedule.renewBefore", /shorter than window/);
    expectOnly({ ...base, schedule: { window: "1d" } }, "schedule.renewBefore", /is required/);
  });
});
