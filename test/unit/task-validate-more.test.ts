import { describe, expect, it } from "vitest";
import { normaliseInputs, toCreateRequest, UNKNOWN, validateTask, type Failure } from "../../provider/task";
import { liveTask, NOW, vodTask } from "./task-fixtures";
import { check, expectClean, expectOnly, warningsOf, wm } from "./task-validate-support";

describe("validateTask: callbacks, backup, watermarks, VOD options, comment", () => {
  it("checks callback events", () => {
    expectClean(liveTask({ callbackEvents: ["TaskStart", "TaskExit", "TaskAlarm"] }));
    expectOnly(liveTask({ callbackEvents: ["TaskStart", "TaskEnd"] }), "callbackEvents[1]", /"TaskStart", "TaskExit"/);
    // The API does not refuse a repeated event; equality compares the events as a set.
    expectClean(liveTask({ callbackEvents: ["TaskStart", "TaskStart"] }));
  });

  it("needs an http(s) callback URL", () => {
    expectClean(liveTask({ callbackUrl: "https://hooks.example.com/css" }));
    expectOnly(liveTask({ callbackUrl: "rtmp://hooks.example.com/css" }), "callbackUrl", /must use http, https/);
  });

  it("accepts a backup source on a non-live primary with a warning (the API ignores it there)", () => {
    expectClean(liveTask({ backupSourceType: "PullVodPushLive", backupSourceUrl: "https://cdn.example.com/slate.mp4" }));
    const backup = { backupSourceType: "PullLivePushLive", backupSourceUrl: "rtmp://b.example.com/l/s" };
    expectClean(vodTask(backup));
    const warnings: Failure[] = [];
    validateTask(vodTask(backup), { now: NOW, onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => w.property)).toEqual(["backupSourceType"]);
    expect(warnings[0].reason).toMatch(/no effect.*only with a live primary/);
    const live: Failure[] = [];
    validateTask(liveTask(backup), { now: NOW, onWarning: (w) => live.push(w) });
    expect(live).toEqual([]);
  });

  it("needs backupSourceType and backupSourceUrl together", () => {
    expectOnly(liveTask({ backupSourceType: "PullLivePushLive" }), "backupSourceUrl", /required with backupSourceType/);
    expectOnly(liveTask({ backupSourceUrl: "rtmp://b.example.com/l/s" }), "backupSourceType", /required with backupSourceUrl/);
    // "" is the API's "no backup source" (Modify), so it reads as absent: the URL needs a type.
    expectOnly(liveTask({ backupSourceType: "", backupSourceUrl: "rtmp://b.example.com/l/s" }), "backupSourceType", /required with backupSourceUrl \(PullLivePushLive or PullVodPushLive\)/);
  });

  it("checks the backup source URL like a source", () => {
    expectOnly(liveTask({ backupSourceType: "PullLivePushLive", backupSourceUrl: "rtmp://192.168.0.2/l/s" }), "backupSourceUrl", /public hosts/);
  });

  it("allows at most 4 watermarks", () => {
    expectClean(liveTask({ watermarkList: [wm(0), wm(1), wm(2), wm(3)] }));
    // A fifth watermark necessarily repeats a location: two problems, two failures.
    const failures = check(liveTask({ watermarkList: [wm(0), wm(1), wm(2), wm(3), wm(0)] }));
    expect(failures.map((f) => [f.property, f.reason])).toEqual([
      ["watermarkList", "has 5 items; at most 4 are allowed"],
      ["watermarkList[4].location", expect.stringMatching(/already used by watermarkList\[0\]/)],
    ]);
  });

  it("needs distinct watermark locations", () => {
    expectOnly(liveTask({ watermarkList: [wm(2), wm(1), wm(2)] }), "watermarkList[2].location", /location 2 is already used by watermarkList\[0\]/);
    expectOnly(liveTask({ watermarkList: [wm(4)] }), "watermarkList[0].location", /one of 0, 1, 2, 3/);
  });

  it("refuses forbidden characters in a watermark picture URL", () => {
    for (const c of [..."; (){}$>`#\"'|"].filter((x) => x !== " ")) {
      expectOnly(liveTask({ watermarkList: [wm(0, { pictureUrl: `https://img.example.com/a${c}b.png` })] }), "watermarkList[0].pictureUrl", /must not contain/);
    }
  });

  it("needs an http(s) watermark picture; Create takes gif (png, jpg, gif), only a Modify refuses animated ones", () => {
    const pic = (ext: string) => liveTask({ watermarkList: [wm(0, { pictureUrl: `https://img.example.com/logo.${ext}` })] });
    const warned = (ext: string, sent?: Set<string>) => {
      const warnings: string[] = [];
      const failures = validateTask(pic(ext), { now: NOW, sent, onWarning: (w) => warnings.push(`${w.property}: ${w.reason}`) });
      return { failures: failures.map((f) => `${f.property}: ${f.reason}`), warnings };
    };
    expectClean(pic("JPEG"));
    for (const ext of ["gif", "GIF", "apng"]) {
      expectClean(pic(ext));
      expect(warned(ext).warnings).toEqual([expect.stringMatching(/^watermarkList\[0\]\.pictureUrl: \.\w+: Create takes animated pictures, but a later change of watermarkList \(a Modify\) refuses/)]);
      expectOnly(pic(ext), "watermarkList[0].pictureUrl", /animated picture .*ModifyLivePullStreamTask takes no animated watermarks/, new Set(["watermarkList"]));
      // An update that leaves the list alone sends none of it: nothing to refuse or repeat.
      expect(warned(ext, new Set(["comment"]))).toEqual({ failures: [], warnings: [] });
    }
    // Formats the documents do not list ("png, jpg, gif, etc."): a warning, never a refusal.
    for (const ext of ["svg", "webp", "bmp", "tiff", "avif"]) {
      for (const sent of [undefined, new Set(["watermarkList"])]) {
        expect(warned(ext, sent)).toEqual({ failures: [], warnings: [expect.stringMatching(/is not a format the API lists .*may be refused/)] });
      }
    }
    expectOnly(liveTask({ watermarkList: [wm(0, { pictureUrl: "rtmp://img.example.com/logo.png" })] }), "watermarkList[0].pictureUrl", /must use http, https/);
  });

  it("accepts watermark URLs whose format cannot be seen offline (no false rejections)", () => {
    for (const pictureUrl of [
      "https://img.example.com/logo",
      "https://img.example.com/logo.png?v=2",
      "https://cdn.example.com/render/abc123?sign=x&t=1700000000",
      "https://img.example.com/v1.2/logo",
      "https://img.example.com/a.b.c/",
    ]) {
      expectClean(liveTask({ watermarkList: [wm(0, { pictureUrl })] }));
    }
  });

  it("keeps fileIndex within sourceUrls", () => {
    expectClean(vodTask({ fileIndex: 3 }));
    expectOnly(vodTask({ fileIndex: 4 }), "fileIndex", /is 4 but sourceUrls has only 3/);
  });

  it("warns of, never refuses, offsetTime without fileIndex (\"used together with FileIndex\")", () => {
    expect(warningsOf(vodTask({ offsetTime: 30 }))).toEqual([expect.stringMatching(/^offsetTime: is used with fileIndex/)]);
    expect(warningsOf(vodTask({ fileIndex: 1, offsetTime: 30 }))).toEqual([]);
  });

  it("accepts VOD options on other sources, as the API does (it ignores them there)", () => {
    for (const [k, v] of [["vodLoopTimes", 2], ["vodRefreshType", "ImmediateNewSource"], ["vodLocalMode", 1], ["fileIndex", 1]] as const) {
      expectClean(liveTask({ [k]: v }));
    }
    expectOnly(liveTask({ fileIndex: 2 }), "fileIndex", /has only 1 URL/);
  });

  it("limits the comment to 512 bytes of UTF-8", () => {
    expectClean(liveTask({ comment: "a".repeat(512) }));
    expectOnly(liveTask({ comment: "é".repeat(257) }), "comment", /514 bytes in UTF-8; at most 512/);
    expectClean(liveTask({ comment: "中".repeat(170) }));
  });

  it("refuses special Unicode in the comment", () => {
    expectOnly(liveTask({ comment: "live 🎥" }), "comment", /outside the Basic Multilingual Plane/);
  });
});

describe("validateTask: unknown values (preview)", () => {
  it("never fails on UNKNOWN, wherever it is", () => {
    expectClean(liveTask({ sourceType: UNKNOWN, sourceUrls: UNKNOWN, startTime: UNKNOWN, endTime: UNKNOWN, domainName: UNKNOWN }));
    expectClean(vodTask({ sourceUrls: ["https://cdn.example.com/a.mp4", UNKNOWN], fileIndex: UNKNOWN, vodLoopTimes: UNKNOWN, toUrl: UNKNOWN }));
    expectClean(liveTask({ watermarkList: [wm(0, { pictureUrl: UNKNOWN, location: UNKNOWN }), wm(1)], callbackEvents: [UNKNOWN, UNKNOWN] }));
    expectClean(liveTask({ watermarkList: UNKNOWN, schedule: UNKNOWN, startTime: undefined, endTime: undefined }));
    expectClean(liveTask({ backupSourceType: UNKNOWN, backupSourceUrl: UNKNOWN, callbackUrl: UNKNOWN, comment: UNKNOWN }));
  });

  it("skips rules that depend on an unknown value but keeps the others", () => {
    expectOnly(liveTask({ sourceType: UNKNOWN, sourceUrls: ["rtmp://10.0.0.1/l/s"] }), "sourceUrls[0]", /public hosts/);
    expectOnly(liveTask({ startTime: UNKNOWN, endTime: "2026-03-01T10:00:00" }), "endTime", /time zone/);
  });
});

describe("validateTask: input shapes", () => {
  it("refuses a non-object", () => {
    expect(check("task")).toEqual([{ property: "", path: [], reason: "a task must be an object of task fields" }]);
  });

  it("gives the path as an array and a display property", () => {
    const [f] = check(liveTask({ watermarkList: [wm(0), wm(0)] }));
    expect(f).toEqual({ property: "watermarkList[1].location", path: ["watermarkList", 1, "location"], reason: expect.stringContaining("already used") });
  });
});

describe("closest (typo suggestions)", () => {
  it("suggests by case, separators, prefix and edit distance", async () => {
    const { closest, FIELD_NAMES } = await import("../../provider/task");
    expect(closest("SourceUrls", FIELD_NAMES)).toBe("sourceUrls");
    expect(closest("source_urls", FIELD_NAMES)).toBe("sourceUrls");
    expect(closest("domain", FIELD_NAMES)).toBe("domainName");
    expect(closest("callbakUrl", FIELD_NAMES)).toBe("callbackUrl");
    expect(closest("watermarks", FIELD_NAMES)).toBe("watermarkList");
    expect(closest("xyz", FIELD_NAMES)).toBeUndefined();
  });
});

describe("validateTask: an UNKNOWN value may turn out absent", () => {
  it("skips presence rules (pairs, exclusive choices) that involve an UNKNOWN field", () => {
    expectClean(liveTask({ toUrl: UNKNOWN })); // may resolve to undefined
    const viaUnknownTriple = vodTask({ domainName: UNKNOWN });
    expectClean(viaUnknownTriple);
    expectClean(liveTask({ schedule: UNKNOWN }));
    expectClean(liveTask({ backupSourceType: UNKNOWN }));
    expectClean(liveTask({ backupSourceUrl: UNKNOWN }));
    expectClean(liveTask({ vodLoopTimes: UNKNOWN, fileIndex: UNKNOWN }));
  });

  it("still checks the known part of such a pair", () => {
    expectOnly(liveTask({ backupSourceType: UNKNOWN, backupSourceUrl: "rtmp://127.0.0.1/l/s" }), "backupSourceUrl", /public hosts/);
    expectOnly(liveTask({ toUrl: "http://push.example.com/x", domainName: UNKNOWN }), "toUrl", /must use rtmp/);
  });
});

describe("validateTask: the API's own empty values and integer range (no false rejections)", () => {
  it("toUrl with domainName/appName/streamName all \"\" (the form ToUrl documents) is accepted and sent so", () => {
    const viaUrl = liveTask({ toUrl: "rtmp://push.example.com/live/x", domainName: "", appName: "", streamName: "" });
    expectClean(viaUrl);
    const req = toCreateRequest(normaliseInputs(viaUrl));
    expect([req.ToUrl, req.DomainName, req.AppName, req.StreamName]).toEqual(["rtmp://push.example.com/live/x", "", "", ""]);
  });

  it("callbackUrl, extraCmd, operator and the backup pair as \"\" mean not set", () => {
    const task = liveTask({ callbackUrl: "", extraCmd: "", operator: "", backupSourceType: "", backupSourceUrl: "" });
    expectClean(task);
    const inputs = normaliseInputs(task);
    expect([inputs.callbackUrl, inputs.extraCmd, inputs.backupSourceType, inputs.backupSourceUrl, inputs.operator]).toEqual([
      undefined, undefined, undefined, undefined, "pulumi",
    ]);
  });

  it("vodLoopTimes (and the other integers) are bounded by the API's Int64: 1e21 is refused, never sent as \"1e+21\"", () => {
    expectOnly(vodTask({ vodLoopTimes: 1e21 }), "vodLoopTimes", /less than 2\^63 \(9223372036854775808\), the API's 64-bit integer/);
    expectOnly(vodTask({ offsetTime: 1e21, fileIndex: 1 }), "offsetTime", /less than 2\^63/);
    expectClean(vodTask({ vodLoopTimes: 2 ** 53 + 2 }));
    expect(toCreateRequest(normaliseInputs(vodTask({ vodLoopTimes: 2 ** 53 + 2 }))).VodLoopTimes).toBe("9007199254740994");
  });
});
