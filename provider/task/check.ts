// check, end to end: normalise, fill a rolling schedule, validate — in the order that makes
// "rules relative to now apply only to fields that will be sent" hold.
import { diffTask } from "./diff";
import { normaliseInputs, NormaliseOptions } from "./normalise";
import { applySchedule } from "./schedule";
import { DAY_MS, MAX_TASK_SPAN_MS, MAX_TASK_SPAN_SETTING } from "./span";
import { parseTime } from "./time";
import { Failure, TaskInputs } from "./types";
import { validateTask } from "./validate";

export interface CheckOptions extends NormaliseOptions {
  now: Date;
  /** The previous inputs (state) for an update; undefined for a new task. */
  olds?: TaskInputs;
  /** The span limit (span.ts); default 30 days. Used by the rolling schedule and the time rules. */
  maxSpanMs?: number;
}

export interface CheckResult {
  /** Normalised inputs with schedule times filled: what diff, create and update work on. */
  inputs: TaskInputs;
  failures: Failure[];
  /** Accepted, but probably not what was meant (the API ignores it): shown, never refused. */
  warnings: Failure[];
}

export function checkTask(raw: unknown, opts: CheckOptions): CheckResult {
  const inputs = applySchedule(normaliseInputs(raw, opts), opts.olds, opts.now, opts.maxSpanMs);
  // For an update only the changed fields are sent, so only they must be in the future; a
  // replacement creates a new task, which sends everything.
  const d = opts.olds ? diffTask(opts.olds, inputs) : undefined;
  const sent = d && d.replaces.length === 0 ? new Set(d.changed) : undefined;
  const warnings: Failure[] = [];
  const onWarning = (w: Failure): number => warnings.push(w);
  const failures = validateTask(raw, { now: opts.now, sent, maxSpanMs: opts.maxSpanMs, onWarning });
  const wider = widerThanLimit(inputs, opts.olds, opts.maxSpanMs ?? MAX_TASK_SPAN_MS);
  if (wider) failures.push(wider);
  return { inputs, failures, warnings };
}

/**
 * A rolling task whose times span more than this limit was applied under a higher
 * tencentcloud:maxTaskSpanDays (another machine, or before the setting changed). Fixed times that
 * span too much fail validation; a schedule would instead keep them silently and, at the renewal,
 * shrink the task to this limit by moving startTime, which interrupts the push.
 */
function widerThanLimit(news: TaskInputs, olds: TaskInputs | undefined, maxSpanMs: number): Failure | undefined {
  if (!news.schedule || !olds?.startTime || !olds.endTime) return undefined;
  const start = parseTime(olds.startTime);
  const end = parseTime(olds.endTime);
  if (start === null || end === null || end - start < maxSpanMs) return undefined;
  const days = (end - start) / DAY_MS;
  return {
    property: "schedule",
    path: ["schedule"],
    reason:
      `the task's times span ${days.toFixed(2)} days (${olds.startTime} to ${olds.endTime}), not less than the ` +
      `${maxSpanMs / DAY_MS}-day limit here: it was applied with a higher ${MAX_TASK_SPAN_SETTING} (30 by default, ` +
      `at most 30). Set it to at least ${Math.floor(days) + 1} as there: renewing it under this limit would move ` +
      "startTime and interrupt the push. To shrink the task on purpose, give it startTime/endTime within the " +
      "limit for one `up`, then the schedule again",
  };
}
