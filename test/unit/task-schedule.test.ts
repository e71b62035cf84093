import { describe, expect, it } from "vitest";
import {
  applySchedule,
  checkTask,
  fromTaskInfo,
  diffTask,
  MAX_TASK_SPAN_MS,
  normaliseInputs,
  parseTime,
  SCHEDULE_LEAD_MS,
  TaskInputs,
  toModifyRequest,
  UNKNOWN,
} from "../../provider/task";
import { at, DAY, HOUR, iso, liveTask, NOW } from "./task-fixtures";

function scheduled(window: string, renewBefore: string): TaskInputs {
  const t = liveTask({ schedule: { window, renewBefore } });
  delete t.startTime, delete t.endTime;
  return normaliseInputs(t);
}
const t0 = NOW.getTime();
const span = (t: TaskInputs) => (parseTime(t.endTime!) ?? 0) - (parseTime(t.startTime!) ?? 0);

const SEVEN = 7 * DAY;

describe("applySchedule", () => {
  it("leaves tasks without a schedule alone", () => {
    const t = normaliseInputs(liveTask());
    expect(applySchedule(t, undefined, NOW)).toBe(t);
  });

  it("on create starts one minute from now and runs for the window", () => {
    const t = applySchedule(scheduled("3d", "1d"), undefined, NOW);
    expect(t.startTime).toBe(iso(t0 + SCHEDULE_LEAD_MS));
    expect(t.endTime).toBe(iso(t0 + SCHEDULE_LEAD_MS + 3 * DAY));
  });

  it("caps the window just under the span limit: 30 days by default, 7 where configured", () => {
    const t = applySchedule(scheduled("40d", "1d"), undefined, NOW);
    expect(MAX_TASK_SPAN_MS).toBe(30 * DAY);
    expect(span(t)).toBe(MAX_TASK_SPAN_MS - 60_000);
    expect(span(applySchedule(scheduled("10d", "1d"), undefined, NOW))).toBe(10 * DAY);
    expect(span(applySchedule(scheduled("10d", "1d"), undefined, NOW, SEVEN))).toBe(SEVEN - 60_000);
  });

  it("rounds the start up to a whole second", () => {
    const t = applySchedule(scheduled("1d", "1h"), undefined, new Date(t0 + 400));
    expect(t.startTime).toBe(iso(t0 + 1000 + SCHEDULE_LEAD_MS));
  });

  describe("later runs (window 3d, renewBefore 1d, created at t0)", () => {
    const created = applySchedule(scheduled("3d", "1d"), undefined, NOW);
    const end = parseTime(created.endTime!)!;
    const run = (nowMs: number) => applySchedule(scheduled("3d", "1d"), created, new Date(nowMs));

    it("keeps the times while more than renewBefore remains (clean preview)", () => {
      for (const now of [t0 + HOUR, end - DAY - 1000]) {
        const t = run(now);
        expect([t.startTime, t.endTime]).toEqual([created.startTime, created.endTime]);
        expect(diffTask(created, t).changes).toBe(false);
      }
    });

    it("at the threshold extends only endTime to now + window", () => {
      const now = end - DAY;
      const t = run(now);
      expect(t.startTime).toBe(created.startTime);
      expect(t.endTime).toBe(iso(now + 3 * DAY));
      expect(diffTask(created, t).changed).toEqual(["endTime"]);
      expect(toModifyRequest("t-1", created, t)).toEqual({ TaskId: "t-1", Operator: "pulumi", EndTime: iso(now + 3 * DAY) });
    });

    it("extends no further than the limit (7 days configured) after the start", () => {
      const renewed = { ...created, endTime: iso(t0 + 5 * DAY) };
      const t = applySchedule(scheduled("3d", "1d"), renewed, new Date(t0 + 4 * DAY + HOUR), SEVEN);
      expect(t.startTime).toBe(created.startTime);
      expect(t.endTime).toBe(iso(parseTime(created.startTime!)! + SEVEN - 60_000));
    });

    it("re-bases start and end once the 7-day span is used up", () => {
      const capped = { ...created, endTime: iso(parseTime(created.startTime!)! + MAX_TASK_SPAN_MS - 60_000) };
      const now = parseTime(capped.endTime!)! - HOUR;
      const t = applySchedule(scheduled("3d", "1d"), capped, new Date(now));
      expect(t.startTime).toBe(iso(now + SCHEDULE_LEAD_MS));
      expect(t.endTime).toBe(iso(now + SCHEDULE_LEAD_MS + 3 * DAY));
      expect(diffTask(capped, t).changed).toEqual(["startTime", "endTime"]);
    });

    it("with window 7d under a 7-day limit every renewal is a re-base: no room to extend", () => {
      const week = applySchedule(scheduled("7d", "2d"), undefined, NOW, SEVEN);
      expect(span(week)).toBe(SEVEN - 60_000);
      const before = applySchedule(scheduled("7d", "2d"), week, new Date(parseTime(week.endTime!)! - 2 * DAY - 1000), SEVEN);
      expect(diffTask(week, before).changes).toBe(false);
      const now = parseTime(week.endTime!)! - 2 * DAY;
      const renewed = applySchedule(scheduled("7d", "2d"), week, new Date(now), SEVEN);
      expect(renewed.startTime).toBe(iso(now + SCHEDULE_LEAD_MS));
      expect(span(renewed)).toBe(SEVEN - 60_000);
    });

    it("renews a task whose window has already passed", () => {
      const t = run(end + HOUR);
      expect(parseTime(t.endTime!)! > end + HOUR).toBe(true);
    });
  });

  it("starts afresh when the task is replaced (a create-only field changed)", () => {
    const created = applySchedule(scheduled("3d", "1d"), undefined, NOW);
    const later = new Date(t0 + DAY);
    const t = applySchedule({ ...scheduled("3d", "1d"), streamName: "other" }, created, later);
    expect(t.startTime).toBe(iso(later.getTime() + SCHEDULE_LEAD_MS));
    expect(t.endTime).toBe(iso(later.getTime() + SCHEDULE_LEAD_MS + 3 * DAY));
  });

  it("keeps fixed times from before a schedule was added until renewal is due", () => {
    const fixed = normaliseInputs(liveTask({ startTime: at(-DAY), endTime: at(3 * DAY) }));
    const t = applySchedule(scheduled("5d", "1d"), fixed, NOW);
    expect([t.startTime, t.endTime]).toEqual([fixed.startTime, fixed.endTime]);
  });

  it("leaves an unknown schedule for later", () => {
    const t = { ...scheduled("3d", "1d"), schedule: UNKNOWN as unknown as TaskInputs["schedule"] };
    expect(applySchedule(t, undefined, NOW)).toBe(t);
  });
});

describe("checkTask", () => {
  it("fills a schedule on create and validates clean", () => {
    const raw = liveTask({ schedule: { window: "3d", renewBefore: "1d" } });
    delete raw.startTime, delete raw.endTime;
    const { inputs, failures } = checkTask(raw, { now: NOW });
    expect(failures).toEqual([]);
    expect(inputs.startTime).toBe(iso(t0 + SCHEDULE_LEAD_MS));
  });

  it("lets a running task (start in the past) preview clean, and checks a changed endTime", () => {
    const olds = normaliseInputs(liveTask({ startTime: at(-2 * DAY), endTime: at(DAY) }));
    expect(checkTask(liveTask({ startTime: at(-2 * DAY), endTime: at(DAY), comment: "x" }), { now: NOW, olds }).failures).toEqual([]);
    const late = checkTask(liveTask({ startTime: at(-2 * DAY), endTime: at(-HOUR) }), { now: NOW, olds });
    expect(late.failures.map((f) => f.property)).toEqual(["endTime"]);
  });

  it("judges a replacement as a new task: a past start is fine (Create starts it at once), a past end is not", () => {
    const olds = normaliseInputs(liveTask({ startTime: at(-2 * DAY), endTime: at(DAY) }));
    const replaced = checkTask(liveTask({ startTime: at(-2 * DAY), endTime: at(DAY), streamName: "other" }), { now: NOW, olds });
    expect(replaced.failures).toEqual([]);
    const ended = checkTask(liveTask({ startTime: at(-2 * DAY), endTime: at(-HOUR), streamName: "other" }), { now: NOW, olds });
    expect(ended.failures.map((f) => f.property)).toEqual(["endTime"]);
  });

  it("fills the provider's region", () => {
    expect(checkTask(liveTask(), { now: NOW, defaultRegion: "ap-seoul" }).inputs.region).toBe("ap-seoul");
  });
});

describe("a scheduled task adopted by import", () => {
  it("keeps the imported times when the program leaves the region to the provider", () => {
    const program = liveTask({ schedule: { window: "2d", renewBefore: "12h" } });
    delete program.startTime, delete program.endTime;
    const created = checkTask(program, { now: NOW, defaultRegion: "ap-guangzhou" }).inputs;
    const info = {
      TaskId: "t-9",
      Region: "ap-guangzhou",
      SourceType: created.sourceType,
      SourceUrls: created.sourceUrls,
      DomainName: created.domainName,
      AppName: created.appName,
      StreamName: created.streamName,
      StartTime: created.startTime,
      EndTime: created.endTime,
      Status: "enable",
    };
    // The engine's Read for an import carries the program's inputs, which name no region.
    const imported = fromTaskInfo(info, normaliseInputs(program)).inputs;
    const later = new Date(t0 + 5_000);
    const checked = checkTask(program, { now: later, olds: imported, defaultRegion: "ap-guangzhou" }).inputs;
    expect([checked.startTime, checked.endTime]).toEqual([created.startTime, created.endTime]);
    expect(diffTask(imported, checked).changes).toBe(false);
  });
});
