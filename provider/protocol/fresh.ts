// When a read may be believed after a write. The API's reads can lag its writes by seconds, and a
// lagging read shows a task as it was: a Modify confirmed by it may never have arrived (A→B→A: the
// read shows A from before B). Describe shows the task's UpdateTime (whole seconds, the API's
// clock), and our client knows bounds on that clock from every answer's Date header
// (provider/api/clock.ts). So:
//  - a write is sent only once the API's clock is surely past the second of the state it builds
//    on (`sendAfter`), so that state and any older one carry an earlier UpdateTime than the write;
//  - a read is believed to show the task after our write only when its UpdateTime is not before
//    the earliest second the write can have reached the API in (`writeMark`, `shownSince`).
// Both rest on the clock's bounds (never its midpoint estimate) and on UpdateTime, which every
// process reads alike. Concurrent writers of one task are outside the protocol (one task, one
// resource): another writer within the same second as ours is taken as not older.
import type { CssClient } from "../api/client";
import type { PullStreamTaskInfo } from "../api/types";
import { realSleep } from "../api/retry";

/** Ms since the epoch of an API time ("2019-01-08T10:00:00Z"), or undefined. */
export function apiTimeMs(time: string | undefined): number | undefined {
  if (!time) return undefined;
  const ms = Date.parse(time);
  return Number.isFinite(ms) ? ms : undefined;
}

const second = (ms: number) => Math.floor(ms / 1000) * 1000;

/** Learns the API's clock before a write whose outcome may have to be read back. */
export async function knowTheClock(client: CssClient): Promise<void> {
  if (!client.clock.known) await client.learnApiTime();
}

/**
 * The start of the earliest API second a request sent now can reach the API in: a task written by
 * it shows an UpdateTime (CreateTime for a Create) not before this. -Infinity while the clock is
 * unknown (no answer yet): every read then counts as fresh, as before this rule.
 */
export function writeMark(client: CssClient): number {
  const earliest = client.clock.earliestNow();
  return Number.isFinite(earliest) ? second(earliest) : -Infinity;
}

/** Whether `info` shows the task as written at or after `mark` (writeMark before our write). */
export function shownSince(info: PullStreamTaskInfo, mark: number): boolean {
  const updated = apiTimeMs(info.UpdateTime);
  return mark === -Infinity || (updated !== undefined && updated >= mark);
}

/**
 * Waits (at most a few seconds) until a write sent now surely lands in a later API second than
 * `basis`, the UpdateTime of the state the write builds on: a read showing that state can then never
 * pass for one showing the write. No wait without a basis or a known clock.
 */
export async function sendAfter(client: CssClient, basis: string | undefined): Promise<void> {
  const at = apiTimeMs(basis);
  if (at === undefined || !client.clock.known) return;
  for (let i = 0; i < 40 && writeMark(client) <= second(at); i++) {
    await realSleep(Math.min(250, Math.max(20, second(at) + 1000 - client.clock.earliestNow())));
  }
}

/**
 * The latest the task's UpdateTime can be after a write whose answer just came: recorded in the
 * outputs when no read showing the write is at hand, so that a later write (`sendAfter`) and the
 * delete guard (story.ts deleteTask) compare against a time not before the write.
 */
export function latestUpdateTime(client: CssClient): string | undefined {
  const latest = client.clock.latestNow();
  return Number.isFinite(latest) ? new Date(second(latest)).toISOString().slice(0, 19) + "Z" : undefined;
}
