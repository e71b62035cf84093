// The "now" of check: the API's time as this process has learned it (provider/api/clock.ts), so a
// machine whose clock is off fills schedules and judges "must be in the future" as the API will.
// Learning costs one request, so a fresh host makes it only when the check depends on the clock:
// a rolling schedule filled or renewed now, or a time within NEAR_NOW_MS of now. A preview of tasks
// with settled times needs no clock (its Creates ask the listing row for the quota, quota/watch.ts,
// and the clock learns from that answer). The request is one listing row, shared by concurrent checks and
// bounded to a few seconds; without credentials (an offline preview) or an answer, the local clock
// is used and the API judges the write. Every answer teaches the offset, and a request refused for
// a clock more than 5 minutes off is signed again with the API's time (client.ts).
import { apiClient, builtClient, maxTaskSpanMs } from "./config";
import type { CssClient } from "./api/client";
import { checkTask, type CheckResult } from "./task/check";
import { normaliseInputs } from "./task/normalise";
import { parseTime } from "./task/time";
import type { TaskInputs } from "./task/types";

/**
 * Times this close to now may be judged differently by a clock that is off. 5 minutes is the API's
 * own tolerance for request times: a clock off by more is learned from the first refused request.
 */
export const NEAR_NOW_MS = 5 * 60_000;

type Bag = Record<string, unknown>;

// The only rules judged against now; any other failure (a malformed schedule too) holds at any time.
const TIME_FIELDS_CHECKED = new Set(["startTime", "endTime"]);

/** check's judgement of the inputs at a time (ms). */
export type Judge = (at: number) => CheckResult;

/**
 * Whether checking `news` (with previous inputs `olds`) at `now` depends on the exact time. Input
 * that fails a rule unrelated to time is refused whatever the time: no request is made for it.
 * `judge` is the check itself (default: checkTask with `olds` normalised and `maxSpanMs`).
 */
export function dependsOnNow(news: Bag, olds: Bag, now: number, maxSpanMs?: number, judge?: Judge): boolean {
  try {
    const old = (): TaskInputs | undefined => (Object.keys(olds).length > 0 ? normaliseInputs(olds) : undefined);
    const at: Judge = judge ?? ((t) => checkTask(news, { now: new Date(t), olds: old(), maxSpanMs }));
    const { inputs: filled, failures } = at(now);
    if (failures.some((f) => !TIME_FIELDS_CHECKED.has(f.property.split(/[.[]/)[0]))) return false;
    // Refused by a clock off either way (endTime not after startTime): the API's time changes nothing.
    const refused = (t: number) => at(t).failures.length > 0;
    if (failures.length > 0 && refused(now - NEAR_NOW_MS) && refused(now + NEAR_NOW_MS)) return false;
    // (A schedule normalisation drops is null, as falsy as none.)
    if (news.schedule) {
      const o = old();
      if (filled.startTime !== o?.startTime || filled.endTime !== o?.endTime) return true;
    }
    return [filled.startTime, filled.endTime].some((t) => {
      const ms = typeof t === "string" ? parseTime(t) : null;
      return ms !== null && Math.abs(ms - now) < NEAR_NOW_MS;
    });
  } catch {
    return false; // check reports what is wrong with these inputs
  }
}

/**
 * check's answer at the API's time: `judge` run at the time the process has learned, or at the
 * local time when the answer does not depend on it. Whether it does is read off the judgement at
 * the local time, which is then the answer: a check of settled times costs one judgement and no
 * credential lookup (the client is built only to learn the time, and a process without credentials
 * would otherwise look them up for every check). Learning costs one request (see the top).
 */
export async function checkAtApiTime(news: Bag, olds: Bag, judge: Judge): Promise<CheckResult> {
  const built = builtClient();
  if (built?.clock.known) return judge(built.apiNow());
  const local = Date.now();
  const first = judge(local);
  // Judged under this provider's span limit, as check judges: under another, a rolling task's
  // renewal may look like a failure that no clock changes, and go unprobed.
  let maxSpanMs: number | undefined;
  try {
    maxSpanMs = maxTaskSpanMs();
  } catch {
    return first; // check reports the bad setting
  }
  const memo: Judge = (at) => (at === local ? first : judge(at));
  if (!dependsOnNow(news, olds, local, maxSpanMs, memo)) return first;
  let client: CssClient;
  try {
    client = apiClient();
  } catch {
    return first; // no credentials (an offline preview): the local clock, and the API judges the write
  }
  await client.learnApiTime();
  return judge(client.apiNow());
}
