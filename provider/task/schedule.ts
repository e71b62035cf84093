// Rolling schedules: `schedule: { window, renewBefore }` instead of fixed times. The API wants
// endTime − startTime < the span limit (30 days by default; span.ts, stack config
// tencentcloud:maxTaskSpanDays) and every time it is sent in the future; a Modify sending EndTime alone
// extends a running task without interrupting it. So a new task (or a replacement) starts a minute
// from now and runs for `window`; later runs keep its times until renewBefore remains, then extend
// the end only; once the span from its start is used up, both times are re-based (the push may
// pause until the new start). A window of at most limit − 2 × renewBefore leaves room for extensions.
import { sameField } from "./equality";
import { REPLACE_FIELDS } from "./fields";
import { MAX_TASK_SPAN_MS } from "./span";
import { formatTime, parseDuration, parseTime } from "./time";
import { TaskInputs } from "./types";
import { containsUnknown } from "./unknown";

export const SCHEDULE_LEAD_MS = 60_000;
export const SPAN_MARGIN_MS = 60_000;
/** The longest span applySchedule produces under the default limit (strictly under it). */
export const MAX_SCHEDULED_SPAN_MS = MAX_TASK_SPAN_MS - SPAN_MARGIN_MS;

export function applySchedule(
  news: TaskInputs,
  olds: TaskInputs | undefined,
  now: Date,
  maxSpanMs = MAX_TASK_SPAN_MS,
): TaskInputs {
  const maxScheduled = maxSpanMs - SPAN_MARGIN_MS;
  const schedule = news.schedule;
  if (!schedule || containsUnknown(schedule)) return news;
  const windowMs = parseDuration(schedule.window);
  const renewMs = parseDuration(schedule.renewBefore);
  if (windowMs === null || renewMs === null) return news; // validateTask reports it
  const window = Math.min(windowMs, maxScheduled);
  const nowMs = Math.floor(now.getTime() / 1000) * 1000;
  const fresh = (): TaskInputs => {
    const start = Math.ceil((now.getTime() + SCHEDULE_LEAD_MS) / 1000) * 1000;
    return { ...news, startTime: formatTime(start), endTime: formatTime(start + window) };
  };

  const oldStart = olds?.startTime !== undefined ? parseTime(olds.startTime) : null;
  const oldEnd = olds?.endTime !== undefined ? parseTime(olds.endTime) : null;
  if (!olds || oldStart === null || oldEnd === null) return fresh();
  if (REPLACE_FIELDS.some((f) => !sameField(f, olds, news))) return fresh();
  const keep = { ...news, startTime: olds.startTime, endTime: olds.endTime };
  if (oldEnd - nowMs > renewMs) return keep;
  const end = Math.min(nowMs + window, oldStart + maxScheduled);
  if (end > oldEnd && end > nowMs) return { ...keep, endTime: formatTime(end) };
  return fresh();
}
