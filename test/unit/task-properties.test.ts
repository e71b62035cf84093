// Property-based checks over generated valid tasks: the invariants the provider relies on.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffTask, fromTaskInfo, normaliseInputs, TaskInfo, toCreateRequest, toModifyRequest, UNKNOWN, validateTask, WRITE_ONLY_FIELDS } from "../../provider/task";
import { at, DAY, HOUR, NOW } from "./task-fixtures";

const host = fc.constantFrom("a.example.com", "cdn.example.org", "8.8.4.4", "[2001:db8::7]");
const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);
const watermarks = fc.shuffledSubarray([0, 1, 2, 3], { minLength: 1 }).chain((locations) =>
  fc.tuple(...locations.map((location) =>
    fc.record({ pictureUrl: fc.tuple(host, name, fc.constantFrom("png", "jpg", "jpeg")).map(([h, n, e]) => `https://${h}/${n}.${e}`), xPosition: fc.nat(100), yPosition: fc.nat(100), width: fc.nat(500), height: fc.nat(500), location: fc.constant(location) }),
  )),
);
const common = {
  startTime: fc.integer({ min: 1, max: 48 }).map((h) => at(h * HOUR)),
  status: fc.constantFrom("enable", "pause"),
  operator: name,
  callbackEvents: fc.shuffledSubarray(["TaskStart", "TaskExit", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig", "TaskAlarm"], { minLength: 1 }),
  callbackUrl: fc.tuple(host, name).map(([h, n]) => `https://${h}/${n}?token=abc`),
  comment: fc.string({ maxLength: 100 }).filter((s) => !/[\u0000-\u001f\u007f\ud800-\udfff]/.test(s)),
  watermarkList: watermarks,
  region: fc.constantFrom("ap-guangzhou", "ap-singapore"),
  pushArgs: fc.constantFrom("bak=1", "txSecret=s&txTime=t"),
  recordTemplateId: fc.constantFrom("1001", "2002"),
  transcodeTemplateName: name,
  extraCmd: fc.constant("ignore_region"),
};
const triple = fc.record({ domainName: fc.tuple(name, host).map(([n, h]) => `${n}.${h}`), appName: name, streamName: name });
const toUrl = fc.record({ toUrl: fc.tuple(fc.constantFrom("rtmp", "rtmps", "srt"), host, name).map(([s, h, n]) => `${s}://${h}/live/${n}?txSecret=x`) });

const live = fc.record({
  sourceType: fc.constant("PullLivePushLive"),
  sourceUrls: fc.tuple(fc.constantFrom("rtmp", "rtmps", "rtsp", "http", "srt"), host, name).map(([s, h, n]) => [`${s}://${h}/live/${n}`]),
  backup: fc.option(fc.record({ backupSourceType: fc.constant("PullVodPushLive"), backupSourceUrl: fc.tuple(host, name).map(([h, n]) => `https://${h}/${n}.mp4`) }), { nil: undefined }),
  ...common,
}, { requiredKeys: ["sourceType", "sourceUrls", "startTime"] });
const vod = fc.record({
  sourceType: fc.constant("PullVodPushLive"),
  sourceUrls: fc.array(fc.tuple(host, name, fc.constantFrom("mp4", "flv", "m3u8")).map(([h, n, e]) => `https://${h}/${n}.${e}`), { minLength: 1, maxLength: 30 }),
  vodLoopTimes: fc.integer({ min: -1, max: 100 }),
  vodRefreshType: fc.constantFrom("ImmediateNewSource", "ContinueBreakPoint"),
  vodLocalMode: fc.constantFrom(0, 1),
  fileIndex: fc.constant(1),
  ...common,
}, { requiredKeys: ["sourceType", "sourceUrls", "startTime"] });

const task = fc.tuple(fc.oneof(live, vod), fc.oneof(triple, toUrl), fc.integer({ min: 1, max: 6 * 24 })).map(([t, dest, hours]) => {
  const { backup, ...rest } = t as Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest, ...(backup as object | undefined), ...dest };
  out.endTime = new Date(Date.parse(String(out.startTime)) + hours * HOUR).toISOString().replace(/\.\d{3}Z$/, "Z");
  return out;
});

/** Describe as documented: write-only fields absent, empty values for what was not set. */
function describe_(req: Record<string, unknown>, region = "ap-guangzhou"): TaskInfo {
  const info: Record<string, unknown> = { TaskId: "t", Region: region, Status: "enable", CallbackEvents: [], WatermarkList: [], Comment: "", VodRefreshType: "", VodLoopTimes: -1, VodLocalMode: 0 };
  for (const [k, v] of Object.entries(req)) if (!["ToUrl", "ExtraCmd", "FileIndex", "OffsetTime", "Operator", "SpecifyTaskId"].includes(k)) info[k] = k === "VodLoopTimes" ? Number(v) : v;
  return info as TaskInfo;
}

/** Every leaf path of a JSON value. */
function leaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return [path, ...v.flatMap((x, i) => leaves(x, [...path, i]))];
  if (v !== null && typeof v === "object") return [path, ...Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]))];
  return [path];
}
function replaced(v: unknown, path: (string | number)[]): unknown {
  if (path.length === 0 || v === UNKNOWN) return UNKNOWN; // an ancestor already became UNKNOWN
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  copy[path[0]] = replaced(copy[path[0]], path.slice(1));
  return copy;
}

describe("generated valid tasks", () => {
  it("validate clean", () => {
    fc.assert(fc.property(task, (t) => {
      expect(validateTask(t, { now: NOW })).toEqual([]);
    }));
  });

  it("never fail because some values are UNKNOWN", () => {
    fc.assert(
      fc.property(task, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (t, picks) => {
        const paths = leaves(t).filter((p) => p.length > 0);
        let u: unknown = t;
        for (const pick of picks) u = replaced(u, paths[pick % paths.length]);
        expect(validateTask(u, { now: NOW })).toEqual([]);
        const d = diffTask(normaliseInputs(t), normaliseInputs(u));
        expect(d.replaces.every((f) => d.changed.includes(f))).toBe(true);
      }),
    );
  });

  it("survive create → Describe → read with no diff, and import with no diff apart from write-only fields", () => {
    fc.assert(
      fc.property(task, (t) => {
        const inputs = normaliseInputs(t, { defaultRegion: "ap-guangzhou" });
        const info = describe_(toCreateRequest(inputs), inputs.region);
        if (inputs.status === "pause") info.Status = "pause";
        const read = fromTaskInfo(info, inputs);
        expect(diffTask(read.outputs, inputs).changes).toBe(false);
        expect(toModifyRequest("t", read.outputs, inputs)).toBeNull();
        const imported = fromTaskInfo(info).inputs;
        const changed = diffTask(imported, inputs).changed;
        expect(changed.filter((f) => !WRITE_ONLY_FIELDS.includes(f))).toEqual([]);
        expect(changed).not.toContain("toUrl");
      }),
    );
  });

  it("never diff against themselves and differ from any one real change", () => {
    fc.assert(
      fc.property(task, (t) => {
        const a = normaliseInputs(t);
        expect(diffTask(a, normaliseInputs(structuredClone(t))).changes).toBe(false);
        expect(diffTask(a, { ...a, endTime: at(7 * DAY) }).changed).toEqual(a.endTime === at(7 * DAY) ? [] : ["endTime"]);
      }),
    );
  });
});
