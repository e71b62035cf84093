// The "now" of check: the API's time as this process has learned it (provider/api/clock.ts), so a
// machine whose clock is off fills schedules and judges "must be in the future" as the API will.
// Learning costs one request, so a fresh host makes it only when the check depends on the clock:
// a rolling schedule filled or renewed now, or a time within NEAR_NOW_MS of now. A preview of tasks
// with settled times calls no API. The request is one listing row, shared by concurrent checks and
// bounded to a few seconds; without credentials (an offline preview) or an answer, the local clock
// is used and the API judges the write. Every answer teaches the offset, and a request refused for
// a clock more than 5 minutes off is signed again with the API's time (client.ts).
import { apiClient } from "./config";
import type { CssClient } from "./api/client";
import { normaliseInputs } from "./task/normalise";
import { applySchedule } from "./task/schedule";
import { parseTime } from "./task/time";

/** Times this close to now may be judged differently by a clock that is off by minutes. */
export const NEAR_NOW_MS = 15 * 60_000;

type Bag = Record<string, unknown>;

/** Whether checking `news` (with previous inputs `olds`) at `now` depends on the exact time. */
export function dependsOnNow(news: Bag, olds: Bag, now: number): boolean {
  try {
    const inputs = normaliseInputs(news);
    const old = Object.keys(olds).length > 0 ? normaliseInputs(olds) : undefined;
    const filled = applySchedule(inputs, old, new Date(now));
    if (inputs.schedule && (filled.startTime !== old?.startTime || filled.endTime !== old?.endTime)) return true;
    return [filled.startTime, filled.endTime].some((t) => {
      const ms = typeof t === "string" ? parseTime(t) : null;
      return ms !== null && Math.abs(ms - now) < NEAR_NOW_MS;
    });
  } catch {
    return false; // check reports what is wrong with these inputs
  }
}

export async function apiTime(news: Bag, olds: Bag): Promise<Date> {
  let client: CssClient;
  try {
    client = apiClient();
  } catch {
    return new Date();
  }
  if (!client.clock.known && dependsOnNow(news, olds, Date.now())) await client.learnApiTime();
  return new Date(client.apiNow());
}
