// Rolling schedules: `schedule: { window, renewBefore }` instead of fixed times.
//
// The API's constraints: endTime − startTime < 7 days (MAX_TASK_SPAN_MS), and any time SENT in a
// Modify must be later than now. A sent startTime of a running task re-times it, while sending
// only EndTime extends it without interruption. Hence:
// 1. Create (no previous times, or a replacement: a create-only field changed, so a new task is
//    created and the old times, possibly in the past, cannot be reused): startTime = now + SCHEDULE_LEAD_MS (1 minute, whole second, so
//    it is still in the future when the request arrives), endTime = startTime + window, the
//    window capped at 7 days − SPAN_MARGIN_MS.
// 2. Later runs, while more than renewBefore remains before the previous endTime: the previous
//    times are kept unchanged (clean preview, no request).
// 3. Once at most renewBefore remains: endTime = min(now + window, startTime + 7 days − margin)
//    with the start kept — only EndTime is sent, the task is not interrupted.
// 4. If the task has used its whole 7-day span (the capped end is not later than the previous
//    end), it cannot be extended any further from its start: it is re-based, startTime = now +
//    lead and endTime = startTime + window. Both are sent (both in the future, as the API
//    requires); the push may pause until the new start. With window 7d every renewal is a
//    re-base; a window of at most 7d − 2×renewBefore leaves room for extensions.
import { sameField } from "./equality";
import { REPLACE_FIELDS } from "./fields";
import { MAX_TASK_SPAN_MS } from "./rules";
import { formatTime, parseDuration, parseTime } from "./time";
import { TaskInputs } from "./types";
import { containsUnknown } from "./unknown";

export const SCHEDULE_LEAD_MS = 60_000;
export const SPAN_MARGIN_MS = 60_000;
/** The longest span applySchedule produces (strictly under the API's limit). */
export const MAX_SCHEDULED_SPAN_MS = MAX_TASK_SPAN_MS - SPAN_MARGIN_MS;

export function applySchedule(news: TaskInputs, olds: TaskInputs | undefined, now: Date): TaskInputs {
  const schedule = news.schedule;
  if (!schedule || containsUnknown(schedule)) return news;
  const windowMs = parseDuration(schedule.window);
  const renewMs = parseDuration(schedule.renewBefore);
  if (windowMs === null || renewMs === null) return news; // validateTask reports it
  const window = Math.min(windowMs, MAX_SCHEDULED_SPAN_MS);
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
  const end = Math.min(nowMs + window, oldStart + MAX_SCHEDULED_SPAN_MS);
  if (end > oldEnd && end > nowMs) return { ...keep, endTime: formatTime(end) };
  return fresh();
}
