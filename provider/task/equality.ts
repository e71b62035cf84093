// Field equality as the API means it, shared by diff.ts and requests.ts so that "changed" means
// the same thing in a preview and in the request that follows it.
import { CALLBACK_EVENTS, MODIFY_CALLBACK_EVENTS } from "./fields";
import { TaskInputs } from "./types";
import { containsUnknown } from "./unknown";

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object" || Array.isArray(b)) return false;
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of ak) if (!deepEqual(ra[k], rb[k])) return false;
  return true;
}

/**
 * Callback events are a set, and leaving them out means every event (the API's documented rule).
 * "Every event" is Create's list, or Modify's (without TaskAlarm) once a Modify has removed the list.
 */
function sameEvents(a: unknown, b: unknown): boolean {
  const given = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;
  const equal = (x: readonly unknown[], y: readonly unknown[]): boolean => {
    const sx = new Set(x);
    const sy = new Set(y);
    return sx.size === sy.size && [...sx].every((e) => sy.has(e));
  };
  if (given(a) && given(b)) return equal(a, b);
  const list = given(a) ? a : given(b) ? b : CALLBACK_EVENTS;
  return equal(list, CALLBACK_EVENTS) || equal(list, MODIFY_CALLBACK_EVENTS);
}

/**
 * Watermarks sit at distinct corners (validate.ts enforces it), so their order carries no
 * meaning: compare them sorted by location. Absent and [] both mean "no watermarks".
 */
function sameWatermarks(a: unknown, b: unknown): boolean {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? [...v].sort(byLocation) : []);
  return deepEqual(list(a), list(b));
}
function byLocation(x: unknown, y: unknown): number {
  const lx = (x as { location?: unknown })?.location;
  const ly = (y as { location?: unknown })?.location;
  return typeof lx === "number" && typeof ly === "number" ? lx - ly : 0;
}

const TRIPLE = ["domainName", "appName", "streamName"] as const;

/**
 * Whether field `name` is the same in `olds` (previous inputs, never Describe output for
 * write-only fields) and `news`. A value not known yet is never the same.
 */
export function sameField(name: string, olds: TaskInputs, news: TaskInputs): boolean {
  const o = (olds as unknown as Record<string, unknown>)[name];
  const n = (news as unknown as Record<string, unknown>)[name];
  if (containsUnknown(n) || containsUnknown(o)) return false;
  switch (name) {
    case "callbackEvents":
      return sameEvents(o, n);
    case "watermarkList":
      return sameWatermarks(o, n);
    case "region":
      // Absent means "the provider's region". The provider should fill it in check
      // (normaliseInputs' defaultRegion) so that this branch is only a fallback for programs
      // read without one: an imported task's region must not force a replacement.
      return n === undefined || o === n;
    case "vodRefreshType":
      // No documented default and no way to "unset" it: leaving it out keeps what the task has.
      return n === undefined || o === n;
    case "toUrl":
      // The API never returns toUrl. State without any destination comes from an import (a
      // real task always has one): adopt the program's toUrl rather than replace the task.
      if (o === undefined && n !== undefined && TRIPLE.every((k) => olds[k] === undefined)) return true;
      return o === n;
    default:
      // "" and absent mean the same to the API (Create omits a field, Describe returns "").
      if ((o === undefined || o === "") && (n === undefined || n === "")) return true;
      return deepEqual(o, n);
  }
}
