// The span limit: 7 days by default (the seed page), configurable 1..30 (the newest model's 30).
import { describe, expect, it } from "vitest";
import { applySchedule, checkTask, DAY_MS, MAX_TASK_SPAN_MS, parseMaxTaskSpanDays, parseTime, spanMs, validateTask } from "../../provider/task";
import { maxTaskSpanDaysFrom } from "../../provider/config";
import { liveTask, NOW } from "./task-fixtures";

const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const spanned = (days: number) => liveTask({ startTime: at(DAY_MS), endTime: at(DAY_MS + days * DAY_MS) });

describe("span limit", () => {
  it("parses 1..30 whole days, default 7, and names the source of a bad value", () => {
    expect(parseMaxTaskSpanDays(undefined, "x")).toBe(7);
    expect(parseMaxTaskSpanDays("", "x")).toBe(7);
    expect(parseMaxTaskSpanDays(" 30 ", "x")).toBe(30);
    expect(parseMaxTaskSpanDays(1, "x")).toBe(1);
    for (const bad of ["0", "31", "2.5", "-1", "seven"]) expect(() => parseMaxTaskSpanDays(bad, "tencentcloud:maxTaskSpanDays")).toThrow(/tencentcloud:maxTaskSpanDays must be a whole number of days from 1 to 30/);
    expect(spanMs()).toBe(MAX_TASK_SPAN_MS);
  });

  it("stack config wins over the environment; both fall back to 7", () => {
    expect(maxTaskSpanDaysFrom("12", { TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS: "20" })).toBe(12);
    expect(maxTaskSpanDaysFrom(undefined, { TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS: "20" })).toBe(20);
    expect(maxTaskSpanDaysFrom(undefined, {})).toBe(7);
    expect(() => maxTaskSpanDaysFrom(undefined, { TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS: "45" })).toThrow(/TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS/);
  });

  it("validate refuses a span at or over the limit, default 7 days", () => {
    expect(validateTask(spanned(6.9), { now: NOW })).toEqual([]);
    expect(validateTask(spanned(7), { now: NOW }).map((f) => f.property)).toEqual(["endTime"]);
    expect(validateTask(spanned(20), { now: NOW, maxSpanMs: spanMs(30) })).toEqual([]);
    expect(validateTask(spanned(30), { now: NOW, maxSpanMs: spanMs(30) })[0].reason).toMatch(/less than 30 days/);
  });

  it("rolling schedules stay under the configured limit, and renewBefore is judged against it", () => {
    const task = liveTask({ startTime: undefined, endTime: undefined, schedule: { window: "20d", renewBefore: "10d" } });
    delete (task as Record<string, unknown>).startTime;
    delete (task as Record<string, unknown>).endTime;
    const wide = checkTask(task, { now: NOW, maxSpanMs: spanMs(30) });
    expect(wide.failures).toEqual([]);
    expect(parseTime(wide.inputs.endTime!)! - parseTime(wide.inputs.startTime!)!).toBe(20 * DAY_MS);
    // Under the default limit the window is capped just below 7 days and renewBefore 10d is refused.
    const narrow = checkTask(task, { now: NOW });
    expect(narrow.failures.map((f) => f.property)).toEqual(["schedule.renewBefore"]);
    const capped = applySchedule({ ...wide.inputs, startTime: undefined, endTime: undefined }, undefined, NOW);
    expect(parseTime(capped.endTime!)! - parseTime(capped.startTime!)!).toBe(MAX_TASK_SPAN_MS - 60_000);
  });
});
