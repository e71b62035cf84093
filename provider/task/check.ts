// check, end to end: normalise, fill a rolling schedule, validate — in the order that makes
// "rules relative to now apply only to fields that will be sent" hold.
import { diffTask } from "./diff";
import { normaliseInputs, NormaliseOptions } from "./normalise";
import { applySchedule } from "./schedule";
import { Failure, TaskInputs } from "./types";
import { validateTask } from "./validate";

export interface CheckOptions extends NormaliseOptions {
  now: Date;
  /** The previous inputs (state) for an update; undefined for a new task. */
  olds?: TaskInputs;
  /** The span limit (span.ts); default 7 days. Used by the rolling schedule and the time rules. */
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
  return { inputs, failures, warnings };
}
