// check: the JSON Schema (ajv, compiled once at module load) and then every rule that can be
// judged offline (rules.ts). One failure per property, in words a user understands; values not
// known yet (UNKNOWN, during preview) are never failures; secrets are masked in every reason.
import Ajv, { ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import { FIELD_NAMES, TASK_SCHEMA } from "./fields";
import { expiryWarnings } from "./expiry";
import { maskSecrets } from "./mask";
import { isUnset } from "./normalise";
import { MAX_TASK_SPAN_MS } from "./span";
import { parseDuration, parseTime } from "./time";
import { offlineRules } from "./rules";
import { Failure, propertyOf } from "./types";
import { containsUnknown, UNKNOWN } from "./unknown";

export interface ValidateOptions {
  /** The current time (rules relative to now: start and end in the future). */
  now: Date;
  /**
   * Fields that will be sent to the API: undefined for a new task (all of them); for an update,
   * the changed ones. Rules relative to now apply only to these, so a running task whose
   * startTime has passed still checks clean.
   */
  sent?: ReadonlySet<string>;
  /** The span limit (span.ts: stack config tencentcloud:maxTaskSpanDays); default 30 days. */
  maxSpanMs?: number;
  /** Receives what the API accepts but ignores (a backup source on a non-live primary). */
  onWarning?: (warning: Failure) => void;
}

export const ANNOTATION_KEYWORDS = [
  "x-api-name", "x-modifiable", "x-write-only", "x-secret", "x-no-change", "x-modify-only",
  "x-restarts-playback", "x-adopts", "x-shares-destination", "x-modify-enum", "x-empty-is-unset",
];

// The schema is checked against JSON Schema's meta-schema by a test (task-schema.test.ts), not
// here: compiling the meta-schema costs every provider process and `validate` run 25 ms.
const ajv = new Ajv({ allErrors: true, strict: true, validateSchema: false });
addFormats(ajv);
ajv.addVocabulary(ANNOTATION_KEYWORDS);
const schemaValidator = ajv.compile(TASK_SCHEMA);

const WATERMARK_KEYS = Object.keys(TASK_SCHEMA.definitions.watermark.properties);
const SCHEDULE_KEYS = ["window", "renewBefore"];


export function validateTask(raw: unknown, opts: ValidateOptions): Failure[] {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return [{ property: "", path: [], reason: "a task must be an object of task fields" }];
  }
  const task: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!isUnset(k, v)) task[k] = v;
  }
  const failures: Failure[] = [];
  const seen = new Set<string>();
  const add = (path: (string | number)[], reason: string): void => {
    const property = propertyOf(path);
    if (seen.has(property)) return; // one failure per property: the first (most basic) one wins
    seen.add(property);
    failures.push({ property, path, reason: maskSecrets(reason) });
  };

  if (!schemaValidator(task)) {
    for (const error of schemaValidator.errors ?? []) schemaFailure(task, error, add);
  }
  const warn = (path: (string | number)[], reason: string): void => {
    opts.onWarning?.({ property: propertyOf(path), path, reason: maskSecrets(reason) });
  };
  const ctx = { now: opts.now.getTime(), sent: opts.sent, maxSpanMs: opts.maxSpanMs, add, warn, reported: seen };
  offlineRules(task, ctx);
  const end = taskEnd(task, ctx.now, opts.maxSpanMs ?? MAX_TASK_SPAN_MS);
  if (end) expiryWarnings(task, end.ms, end.what, warn);
  return failures;
}

/** When the task ends: its endTime, or for a rolling schedule the end its next renewal sets. */
function taskEnd(task: Record<string, unknown>, now: number, maxSpanMs: number): { ms: number; what: string } | null {
  const end = typeof task.endTime === "string" ? parseTime(task.endTime) : null;
  if (end !== null) return { ms: end, what: "endTime" };
  const window = (task.schedule as { window?: unknown } | undefined)?.window;
  const ms = typeof window === "string" ? parseDuration(window) : null;
  return ms === null ? null : { ms: now + Math.min(ms, maxSpanMs), what: "the end a renewal of the schedule sets" };
}

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let v: unknown = root;
  for (const p of path)
    v = v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  integer: "a whole number",
  number: "a number",
  array: "a list",
  object: "an object",
  boolean: "true or false",
};

function schemaFailure(
  task: Record<string, unknown>,
  e: ErrorObject,
  add: (path: (string | number)[], reason: string) => void,
): void {
  const path = pathOf(e.instancePath);
  const value = valueAt(task, path);
  if (value === UNKNOWN) return; // not known yet: judged when it is
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperty":
    case "additionalProperties": {
      const name = String(p.additionalProperty);
      const known = path.length === 0 ? FIELD_NAMES : path[0] === "schedule" ? SCHEDULE_KEYS : WATERMARK_KEYS;
      const hint = closest(name, known);
      add(
        [...path, name],
        hint ? `unknown property; did you mean "${hint}"?` : `unknown property; known properties: ${known.join(", ")}`,
      );
      return;
    }
    case "required":
      add([...path, String(p.missingProperty)], "is required");
      return;
    case "type":
      add(path, `must be ${TYPE_WORDS[String(p.type)] ?? String(p.type)}`);
      return;
    case "enum":
      add(path, `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`);
      return;
    case "pattern": {
      const last = path[path.length - 1];
      add(
        path,
        last === "startTime" || last === "endTime"
          ? "must be an ISO 8601 date-time with a time zone, e.g. 2026-01-08T10:00:00Z or 2026-01-08T18:00:00+08:00"
          : "must be a duration such as 7d, 36h, 90m, 3600s or 1d12h",
      );
      return;
    }
    case "minLength":
      add(path, "must not be empty");
      return;
    case "minItems":
      add(path, `needs at least ${String(p.limit)} item(s)`);
      return;
    case "maxItems":
      add(path, `has ${(value as unknown[]).length} items; at most ${String(p.limit)} are allowed`);
      return;
    case "uniqueItems":
      if (containsUnknown(value)) return;
      add(path, `lists ${JSON.stringify((value as unknown[])[Number(p.i)])} more than once`);
      return;
    case "minimum":
    case "maximum":
      add(path, `must be ${e.keyword === "minimum" ? "at least" : "at most"} ${String(p.limit)}`);
      return;
    // The API's integers are 64-bit (Int64 in the SDKs): a larger number would be sent as "1e+21".
    case "exclusiveMaximum":
      add(path, `must be less than 2^63 (${BigInt(p.limit as number)}), the API's 64-bit integer`);
      return;
    case "format":
      add(path, `must be a valid ${String(p.format).toUpperCase()}`);
      return;
    default:
      add(path, e.message ?? `fails the schema rule ${e.keyword}`);
  }
}

/**
 * The known name nearest to a typo: same letters ignoring case, "_" and "-" (SourceUrls,
 * source_urls), a prefix of at least 4 letters (domain → domainName), or an edit distance of
 * at most 2 (3 for long names).
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  const flat = (s: string): string => s.toLowerCase().replace(/[-_]/g, "");
  const n = flat(name);
  const same = known.find((k) => flat(k) === n);
  if (same) return same;
  if (n.length >= 4) {
    const prefixed = known.find((k) => flat(k).startsWith(n));
    if (prefixed) return prefixed;
  }
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(n, flat(k));
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= (n.length >= 9 ? 3 : 2) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
