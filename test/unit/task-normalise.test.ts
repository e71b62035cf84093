import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffTask, normaliseInputs, UNKNOWN } from "../../provider/task";
import { liveTask, vodTask } from "./task-fixtures";

describe("normaliseInputs", () => {
  it("fills the documented defaults", () => {
    const live = normaliseInputs(liveTask());
    expect(live.status).toBe("enable");
    expect(live.operator).toBe("pulumi");
    expect(live.vodLoopTimes).toBeUndefined();
    expect(live.vodLocalMode).toBeUndefined();
    const vod = normaliseInputs(vodTask());
    expect(vod.vodLoopTimes).toBe(-1);
    expect(vod.vodLocalMode).toBe(0);
    expect(vod.vodRefreshType).toBeUndefined();
    expect(vod.callbackEvents).toBeUndefined();
  });

  it("keeps values the user set", () => {
    const vod = normaliseInputs(vodTask({ status: "pause", operator: "ci", vodLoopTimes: 3, vodLocalMode: 1 }));
    expect([vod.status, vod.operator, vod.vodLoopTimes, vod.vodLocalMode]).toEqual(["pause", "ci", 3, 1]);
  });

  it("fills the region only when the caller gives a default", () => {
    expect(normaliseInputs(liveTask()).region).toBeUndefined();
    expect(normaliseInputs(liveTask(), { defaultRegion: "ap-guangzhou" }).region).toBe("ap-guangzhou");
    expect(normaliseInputs(liveTask({ region: "ap-tokyo" }), { defaultRegion: "ap-guangzhou" }).region).toBe("ap-tokyo");
  });

  it("canonicalises times and drops null values", () => {
    const n = normaliseInputs(liveTask({ startTime: "2026-03-01T09:00:00.999+08:00", comment: null })) as unknown as Record<string, unknown>;
    expect(n.startTime).toBe("2026-03-01T01:00:00Z");
    expect("comment" in n).toBe(false);
  });

  it("does not trim or reorder user data", () => {
    const urls = ["https://cdn.example.com/b.mp4", "https://cdn.example.com/a.mp4"];
    const n = normaliseInputs(vodTask({ sourceUrls: urls, comment: "  spaced  " }));
    expect(n.sourceUrls).toEqual(urls);
    expect(n.comment).toBe("  spaced  ");
  });

  it("leaves UNKNOWN alone", () => {
    const n = normaliseInputs(vodTask({ startTime: UNKNOWN, sourceUrls: [UNKNOWN], status: UNKNOWN }));
    expect([n.startTime, n.sourceUrls[0], n.status]).toEqual([UNKNOWN, UNKNOWN, UNKNOWN]);
  });

  it("is idempotent", () => {
    const once = normaliseInputs(vodTask({ startTime: "2026-03-01T09:00:00+08:00" }));
    expect(normaliseInputs(once)).toEqual(once);
  });
});

describe("equal configurations never diff", () => {
  const instant = fc.integer({ min: Date.UTC(2026, 2, 1), max: Date.UTC(2027, 0, 1) });
  const offsetMinutes = fc.integer({ min: -12 * 60, max: 14 * 60 }).map((m) => m - (m % 15));
  const ms = fc.integer({ min: 0, max: 999 });

  /** The same instant written with a given offset and extra milliseconds. */
  function write(epochMs: number, offset: number, extraMs: number): string {
    const local = new Date(epochMs + offset * 60_000 + extraMs).toISOString().slice(0, 23);
    const sign = offset < 0 ? "-" : "+";
    const abs = Math.abs(offset);
    const hh = String(Math.floor(abs / 60)).padStart(2, "0");
    const mm = String(abs % 60).padStart(2, "0");
    return offset === 0 && extraMs % 2 === 0 ? `${local}Z` : `${local}${sign}${hh}:${mm}`;
  }

  it("times written with any offset and milliseconds of the same second", () => {
    fc.assert(
      fc.property(instant, offsetMinutes, offsetMinutes, ms, ms, (t, o1, o2, m1, m2) => {
        const second = Math.floor(t / 1000) * 1000;
        const a = normaliseInputs(liveTask({ startTime: write(second, o1, m1), endTime: write(second + 3600_000, o1, m1) }));
        const b = normaliseInputs(liveTask({ startTime: write(second, o2, m2), endTime: write(second + 3600_000, o2, m2) }));
        expect(diffTask(a, b).changes).toBe(false);
      }),
    );
  });

  it("watermarks in any order, callback events in any order, defaults written out or not", () => {
    const watermarks = [0, 1, 2, 3].map((location) => ({ pictureUrl: `https://img.example.com/${location}.png`, xPosition: 1, yPosition: 2, width: 3, height: 4, location }));
    const events = ["TaskStart", "TaskExit", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig", "TaskAlarm"];
    fc.assert(
      fc.property(fc.shuffledSubarray(watermarks, { minLength: 1 }), fc.shuffledSubarray(events, { minLength: 1 }), fc.boolean(), (wms, evs, explicit) => {
        const a = normaliseInputs(vodTask({ watermarkList: wms, callbackEvents: evs }));
        const defaults = explicit ? { status: "enable", operator: "pulumi", vodLoopTimes: -1, vodLocalMode: 0 } : {};
        const b = normaliseInputs(vodTask({ watermarkList: [...wms].reverse(), callbackEvents: [...evs].reverse(), ...defaults }));
        expect(diffTask(a, b)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false, changed: [] });
      }),
    );
  });
});
