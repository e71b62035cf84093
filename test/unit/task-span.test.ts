// The span limit: 30 days by default (the newest model), 7 or more a warning naming the international
// page that still says 7; configurable 1..30 (7 makes the page's limit strict).
import { describe, expect, it } from "vitest";
import { applySchedule, checkTask, DAY_MS, MAX_TASK_SPAN_MS, parseMaxTaskSpanDays, parseTime, spanMs, validateTask } from "../../provider/task";
import { maxTaskSpanDaysFrom } from "../../provider/config";
import { liveTask, NOW } from "./task-fixtures";

const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const spanned = (days: number) => liveTask({ startTime: at(DAY_MS), endTime: at(DAY_MS + days * DAY_MS) });

describe("span limit", () => {
  it("parses 1..30 whole days, default 30, and names the source of a bad value", () => {
    expect(parseMaxTaskSpanDays(undefined, "x")).toBe(30);
    expect(parseMaxTaskSpanDays("", "x")).toBe(30);
    expect(parseMaxTaskSpanDays(" 30 ", "x")).toBe(30);
    expect(parseMaxTaskSpanDays(1, "x")).toBe(1);
    for (const bad of ["0", "31", "2.5", "-1", "seven"]) expect(() => parseMaxTaskSpanDays(bad, "tencentcloud:maxTaskSpanDays")).toThrow(/tencentcloud:maxTaskSpanDays must be a whole number of days from 1 to 30/);
    expect(spanMs()).toBe(MAX_TASK_SPAN_MS);
  });

  it("stack config wins over the environment; both fall back to 30", () => {
    expect(maxTaskSpanDaysFrom("12", { TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS: "20" })).toBe(12);
    expect(maxTaskSpanDaysFrom(undefined, { TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS: "20" })).toBe(20);
    expect(maxTaskSpanDaysFrom(undefined, {})).toBe(30);
    expect(() => maxTaskSpanDaysFrom(undefined, { TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS: "45" })).toThrow(/TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS/);
  });

  it("validate refuses a span at or over the limit, default 30 days; 7 when configured", () => {
    expect(validateTask(spanned(29.9), { now: NOW })).toEqual([]);
    expect(validateTask(spanned(30), { now: NOW })[0].reason).toMatch(/less than 30 days/);
    expect(validateTask(spanned(6.9), { now: NOW, maxSpanMs: spanMs(7) })).toEqual([]);
    expect(validateTask(spanned(7), { now: NOW, maxSpanMs: spanMs(7) }).map((f) => f.property)).toEqual(["endTime"]);
  });

  it("a span of 7 days or more under a higher limit is a warning naming the international page and the setting", () => {
    const warned = checkTask(spanned(9), { now: NOW });
    expect(warned.failures).toEqual([]);
    expect(warned.warnings).toEqual([
      {
        property: "endTime",
        path: ["endTime"],
        reason: expect.stringMatching(
          /^endTime is 9\.00 days after startTime: the newest API model accepts less than 30 days, the international API page \(ModifyLivePullStreamTask, 2025-10-30\) still says less than 7; .*tencentcloud:maxTaskSpanDays .* to 7$/,
        ),
      },
    ]);
    expect(checkTask(spanned(6.9), { now: NOW }).warnings).toEqual([]);
    // Under the strict limit it is an error, never also a warning.
    const strict = checkTask(spanned(9), { now: NOW, maxSpanMs: spanMs(7) });
    expect([strict.failures.length, strict.warnings]).toEqual([1, []]);
    const rolling = liveTask({ startTime: undefined, endTime: undefined, schedule: { window: "10d", renewBefore: "1d" } });
    for (const key of ["startTime", "endTime"]) delete (rolling as Record<string, unknown>)[key];
    expect(checkTask(rolling, { now: NOW }).warnings.map((w) => [w.property, w.reason.slice(0, 20)])).toEqual([
      ["schedule.window", "a window of 10d: the"],
    ]);
  });

  it("rolling schedules stay under the configured limit, and renewBefore is judged against it", () => {
    const task = liveTask({ startTime: undefined, endTime: undefined, schedule: { window: "20d", renewBefore: "10d" } });
    delete (task as Record<string, unknown>).startTime;
    delete (task as Record<string, unknown>).endTime;
    const wide = checkTask(task, { now: NOW, maxSpanMs: spanMs(30) });
    expect(wide.failures).toEqual([]);
    expect(parseTime(wide.inputs.endTime!)! - parseTime(wide.inputs.startTime!)!).toBe(20 * DAY_MS);
    // Under a 7-day limit the window is capped just below 7 days and renewBefore 10d is refused.
    const narrow = checkTask(task, { now: NOW, maxSpanMs: spanMs(7) });
    expect(narrow.failures.map((f) => f.property)).toEqual(["schedule.renewBefore"]);
    const capped = applySchedule({ ...wide.inputs, startTime: undefined, endTime: undefined }, undefined, NOW, spanMs(7));
    expect(parseTime(capped.endTime!)! - parseTime(capped.startTime!)!).toBe(spanMs(7) - 60_000);
    expect(MAX_TASK_SPAN_MS).toBe(spanMs(30));
  });
});
