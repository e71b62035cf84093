// Normalisation: one canonical form per meaning, so that equal configurations never diff and an
// imported task (fromTaskInfo) compares equal to the program a user writes for it.
//
// Defaults filled in, each with its source:
// - status "enable": tasks are created enabled (Create has no Status) and Describe reports "enable".
// - operator "pulumi": ours. The API needs an Operator on every write but never returns it.
// - vodLoopTimes -1 (video-file tasks only): documented Create default ("-1: loop forever").
// - vodLocalMode 0 (video-file tasks only): documented default ("The default is 0").
// - region: the provider's configured region, when the caller passes it (so that switching
//   between an explicit region and the default is compared literally).
// Not defaulted, on purpose: vodRefreshType (no documented default; leaving it out means "keep
// whatever the task has", see diff.ts) and callbackEvents (left out = every event; diff.ts
// compares "absent" and "all events" as equal).
// User text is never trimmed or rewritten, except times (canonical UTC, milliseconds truncated).
import { EMPTY_IS_UNSET_FIELDS } from "./fields";
import { canonicalTime } from "./time";
import { TaskInputs, VOD } from "./types";
import { UNKNOWN } from "./unknown";

export const DEFAULT_STATUS = "enable";
export const DEFAULT_OPERATOR = "pulumi";
export const DEFAULT_VOD_LOOP_TIMES = -1;
export const DEFAULT_VOD_LOCAL_MODE = 0;

/** Absent, null, or "" for a field whose empty value the API reads as "not set" (schema x-empty-is-unset). */
export function isUnset(key: string, value: unknown): boolean {
  return value === undefined || value === null || (value === "" && EMPTY_IS_UNSET_FIELDS.has(key));
}

export interface NormaliseOptions {
  /** Region used when the task names none (the provider's `tencentcloud:region`). */
  defaultRegion?: string;
}

export function normaliseInputs(raw: unknown, opts: NormaliseOptions = {}): TaskInputs {
  const src = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(src)) {
    const value = src[key];
    // null is how YAML and JSON say "not set"; keep absent and null the same thing, and "" where the
    // API documents the empty value as "none" (ToUrl's empty DomainName/AppName/StreamName, ...).
    if (isUnset(key, value)) continue;
    out[key] = value;
  }
  for (const key of ["startTime", "endTime"]) {
    const value = out[key];
    if (typeof value === "string" && value !== UNKNOWN) {
      const canonical = canonicalTime(value);
      if (canonical !== null) out[key] = canonical;
    }
  }
  if (out.status === undefined) out.status = DEFAULT_STATUS;
  if (out.operator === undefined) out.operator = DEFAULT_OPERATOR;
  if (out.region === undefined && opts.defaultRegion) out.region = opts.defaultRegion;
  if (out.sourceType === VOD) {
    if (out.vodLoopTimes === undefined) out.vodLoopTimes = DEFAULT_VOD_LOOP_TIMES;
    if (out.vodLocalMode === undefined) out.vodLocalMode = DEFAULT_VOD_LOCAL_MODE;
  }
  return out as unknown as TaskInputs;
}
