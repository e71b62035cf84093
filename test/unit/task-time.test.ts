import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalTime, formatTime, parseDuration, parseTime } from "../../provider/task";

describe("time", () => {
  it("turns offsets and milliseconds into canonical UTC seconds (milliseconds truncated)", () => {
    expect(canonicalTime("2026-01-08T18:00:00+08:00")).toBe("2026-01-08T10:00:00Z");
    expect(canonicalTime("2026-01-08T10:00:00.999Z")).toBe("2026-01-08T10:00:00Z");
    expect(canonicalTime("2026-01-08T05:30:00-0430")).toBe("2026-01-08T10:00:00Z");
    expect(canonicalTime("2026-01-08t10:00:00z")).toBe("2026-01-08T10:00:00Z");
    expect(canonicalTime("2026-01-01T01:00:00+02:00")).toBe("2025-12-31T23:00:00Z");
  });

  it("refuses times without a zone and impossible dates", () => {
    for (const bad of ["2026-01-08T10:00:00", "2026-02-30T10:00:00Z", "2026-13-01T00:00:00Z", "2026-01-08T24:00:00Z", "2026-01-08T10:00:00+25:00", "tomorrow", "2026-01-08"]) {
      expect(parseTime(bad), bad).toBeNull();
    }
    expect(parseTime("2028-02-29T00:00:00Z")).not.toBeNull();
  });

  it("formats epoch milliseconds", () => {
    expect(formatTime(Date.UTC(2026, 0, 8, 10, 0, 0, 750))).toBe("2026-01-08T10:00:00Z");
  });

  it("parses durations", () => {
    expect(parseDuration("7d")).toBe(7 * 86_400_000);
    expect(parseDuration("36h")).toBe(36 * 3_600_000);
    expect(parseDuration("90m")).toBe(90 * 60_000);
    expect(parseDuration("3600s")).toBe(3_600_000);
    expect(parseDuration("1d12h")).toBe(36 * 3_600_000);
    for (const bad of ["", "7", "d", "7w", "1h1d", "-1d", "7 d"]) expect(parseDuration(bad), bad).toBeNull();
  });
  it("parse, format and canonical form agree with Date on any second from 1970 to 9999, in any zone", () => {
    const second = fc.integer({ min: 0, max: Math.floor(Date.UTC(9999, 11, 31, 23, 59, 59) / 1000) });
    const zone = fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 });
    fc.assert(
      fc.property(second, zone, fc.boolean(), (s, z, fraction) => {
        const ms = s * 1000;
        const utc = new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
        expect(formatTime(ms + (fraction ? 999 : 0))).toBe(utc);
        expect(canonicalTime(utc)).toBe(utc);
        const local = new Date(ms + z * 60_000).toISOString().slice(0, 19);
        const hh = String(Math.floor(Math.abs(z) / 60)).padStart(2, "0");
        const mm = String(Math.abs(z) % 60).padStart(2, "0");
        const text = `${local}${fraction ? ".5" : ""}${z < 0 ? "-" : "+"}${hh}:${mm}`;
        if (Number(local.slice(0, 4)) >= 1970) expect(canonicalTime(text), text).toBe(utc);
      }),
      { numRuns: 2000, seed: 24 },
    );
  });
});
