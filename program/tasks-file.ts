// Loads a tasks file (YAML): shape check, defaults merge, the resource's own validation for every task,
// and each failure mapped to the file:line:column of the node the user has to fix (file-places.ts).
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import tasksFileSchema from "../schema/tasks-file.schema.json";
import { validateTask } from "../provider/task/validate";
import { destinations } from "../provider/task/destination";
import type { TaskInputs } from "../provider/task/types";
import { ADOPT_FIELD, SHARED_DESTINATION_FIELD } from "../provider/task/fields";
import { propertyOf, type Failure } from "../provider/task/types";
import { UNKNOWN } from "../provider/task/unknown";
import type { Segment } from "./positions";
import { NeedsPlaces, parseWithPlaces, UNPLACED, type Place, type Places } from "./file-places";
import { quickValues } from "./yaml-values";
import { holdsConfigRef, mapConfigRefs } from "./config-refs";
import { RENAMED_FROM, renamedFromFailures } from "./renamed-from";

export interface Problem {
  file: string;
  line: number;
  column: number;
  /** Where in the file, e.g. `tasks.relay.watermarkList[1].location`. */
  path: string;
  message: string;
}

export interface TaskEntry {
  name: string;
  /** The task's fields with the defaults merged in, as written (the resource normalises them). */
  inputs: Record<string, unknown>;
  /** A TaskId to adopt (the file's `imports` block, also in `inputs` as adoptTaskId, or the task's own). */
  importId?: string;
  /** The entry's previous key (`renamedFrom`, not in `inputs`): the program aliases the resource to it. */
  renamedFrom?: string;
  /**
   * Where the entry's key is written: computed when first read (a clean file is judged without
   * positions; validate --base and the renamedFrom rules need them only for what they report).
   */
  readonly line: number;
  readonly column: number;
}

export interface TasksFile {
  tasks: TaskEntry[];
  problems: Problem[];
  /** Accepted but probably not meant (the API ignores it), e.g. a backup source on a video-file task. */
  warnings: Problem[];
}

export interface LoadOptions {
  now: Date;
  /**
   * Judge every task as a new one: rules relative to now (start and end in the future) apply to all
   * times. Off by default, because a file in git describes running tasks whose startTime has passed;
   * the resource's check applies those rules to the fields it will actually send.
   */
  assumeNew?: boolean;
  /** The span limit (provider/task/span.ts: tencentcloud:maxTaskSpanDays); default 30 days. */
  maxSpanMs?: number;
}

type Json = Record<string, unknown>;

let shapeValidator: ValidateFunction | undefined;

// The file-level shape only: the task entries are judged by validateTask after the merge, so here the
// task schema is stood in for by "an object" (otherwise every rule would be reported twice, and a
// required field supplied by `defaults` would be reported missing).
function shape(): ValidateFunction {
  if (!shapeValidator) {
    // Checked against the meta-schema by a test (task-schema.test.ts), not at every run.
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    ajv.addSchema({ type: "object", definitions: { partialTask: { type: "object" } } }, "task.schema.json");
    shapeValidator = ajv.compile(tasksFileSchema);
  }
  return shapeValidator;
}

/**
 * A task's inputs as judged offline: each `${config:KEY}` value unknown, as in a preview. `refs`:
 * whether the file holds any reference at all (most hold none: no task is walked for one).
 */
function offline(inputs: Json, refs: boolean): unknown {
  return refs && holdsConfigRef(inputs) ? mapConfigRefs(inputs, () => UNKNOWN) : inputs;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

const TYPE_WORDS: Record<string, string> = {
  object: "a map (key: value lines)",
  array: "a list",
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "true or false",
};

const NAME_RULE = "start with a letter, then letters, digits, '.', '_' or '-' (at most 100 characters)";

function shapeMessage(err: ErrorObject, allowed: string): string {
  switch (err.keyword) {
    case "additionalProperties":
      return `unknown property "${String(err.params.additionalProperty)}" (allowed: ${allowed})`;
    case "pattern": // only a resource name has one here (`renamedFrom`; keys are propertyNames)
      return `is not a valid resource name: ${NAME_RULE}`;
    case "propertyNames":
      return `name "${String(err.params.propertyName)}" is not a valid resource name: ${NAME_RULE}`;
    case "type":
      return `must be ${String(err.params.type).split(",").map((t) => TYPE_WORDS[t] ?? t).join(" or ")}`;
    case "required":
      return `the property "${String(err.params.missingProperty)}" is required`;
    default:
      return err.message ?? err.keyword;
  }
}

function shapeProblems(raw: unknown, places: Places, file: string): Problem[] {
  const validate = shape();
  if (validate(raw)) return [];
  const allowed = Object.keys(tasksFileSchema.properties).join(", ");
  const problems: Problem[] = [];
  for (const err of validate.errors ?? []) {
    // ajv reports a bad property name twice: once for the inner pattern (with propertyName set) and
    // once as propertyNames; the latter is the one we word.
    if ((err as ErrorObject & { propertyName?: string }).propertyName !== undefined) continue;
    // A failed `then` (a task entry with renamedFrom) is also reported as its `if`: once is enough.
    if (err.keyword === "if") continue;
    const segs: Segment[] = pointerSegments(err.instancePath);
    if (err.keyword === "additionalProperties") segs.push(String(err.params.additionalProperty));
    if (err.keyword === "propertyNames") segs.push(String(err.params.propertyName));
    const pos = places.shape(segs);
    const path = propertyOf(segs) || "(file)";
    problems.push({ file, line: pos.line, column: pos.column, path, message: shapeMessage(err, allowed) });
  }
  return problems;
}

interface DefaultsFailure {
  line: number;
  column: number;
  property: string;
  reason: string;
  tasks: string[];
}

// A value written once in `defaults` is reported once, at its line, naming the tasks it fails for
// unless it fails for all of them (a typo there would otherwise be repeated for every task).
function defaultsProblems(found: Map<string, DefaultsFailure>, taskCount: number, file: string): Problem[] {
  return [...found.values()].map((d) => ({
    file,
    line: d.line,
    column: d.column,
    path: `defaults.${d.property}`,
    message: d.tasks.length === taskCount ? d.reason : `${d.reason} (in tasks: ${d.tasks.join(", ")})`,
  }));
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.path}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function loadTasksFile(text: string, file: string, opts: LoadOptions): TasksFile {
  // A clean file is judged on its values alone; the first problem or warning to locate sends the
  // whole judgement to the document with positions (file-places.ts), so the outcome is the same.
  const refs = text.includes("${config:");
  let positioned: Places | undefined;
  const keyPlace = (name: string): Place => (positioned ??= parseWithPlaces(text).places).entry("tasks", name);
  const quick = quickValues(text);
  if (quick !== undefined) {
    try {
      return judge(quick.value, UNPLACED, keyPlace, file, opts, refs);
    } catch (e) {
      if (!(e instanceof NeedsPlaces)) throw e;
    }
  }
  const parsed = parseWithPlaces(text);
  positioned = parsed.places;
  if (parsed.syntax.length > 0) {
    return { tasks: [], problems: parsed.syntax.map((p) => ({ file, ...p, path: "(file)" })), warnings: [] };
  }
  return judge(parsed.values, parsed.places, keyPlace, file, opts, refs);
}

/** `entry` with `line` and `column` read from `at` when first asked for. */
function placed<T extends object>(entry: T, at: () => Place): T & Place {
  let place: Place | undefined;
  return Object.defineProperties(entry, {
    line: { get: () => (place ??= at()).line, enumerable: true },
    column: { get: () => (place ??= at()).column, enumerable: true },
  }) as T & Place;
}

function judge(
  raw: unknown,
  places: Places,
  keyPlace: (name: string) => Place,
  file: string,
  opts: LoadOptions,
  refs: boolean,
): TasksFile {
  const problems = shapeProblems(raw ?? {}, places, file);
  if (!isObject(raw) || !isObject(raw.tasks)) return { tasks: [], problems, warnings: [] };
  const warnings: Problem[] = [];

  const defaults = isObject(raw.defaults) ? raw.defaults : {};
  const imports = isObject(raw.imports) ? raw.imports : {};
  const sent = opts.assumeNew ? undefined : new Set<string>();
  const tasks: TaskEntry[] = [];
  const fromDefaults = new Map<string, DefaultsFailure>();
  for (const [name, value] of Object.entries(raw.tasks)) {
    if (!isObject(value)) continue; // already reported by the shape check
    // renamedFrom is the file's, not a task field: the resource never sees it (renamed-from.ts).
    const { [RENAMED_FROM]: renamed, ...fields } = value;
    const inputs: Json = { ...defaults, ...fields };
    // A `${config:KEY}` value is only known to the stack: offline it is judged like a value
    // Pulumi does not know yet during preview (never a failure); the resource's check sees it.
    const judged = offline(inputs, refs);
    const warned: Failure[] = [];
    const onWarning = (w: Failure): number => warned.push(w);
    const failures = validateTask(judged, { now: opts.now, sent, maxSpanMs: opts.maxSpanMs, onWarning });
    for (const w of warned) {
      const { line, column, reason } = places.failure(name, w);
      warnings.push({ file, line, column, path: `tasks.${name}.${w.property}`, message: reason });
    }
    for (const f of failures) {
      const { line, column, inDefaults, reason } = places.failure(name, f);
      const property = f.property || propertyOf(f.path);
      if (inDefaults) {
        const key = `${line}:${column}:${property}:${reason}`;
        const entry = fromDefaults.get(key) ?? { line, column, property, reason, tasks: [] };
        entry.tasks.push(name);
        fromDefaults.set(key, entry);
        continue;
      }
      problems.push({ file, line, column, path: `tasks.${name}${property ? `.${property}` : ""}`, message: reason });
    }
    // TaskIds are opaque strings; an unquoted numeric one in YAML is the same id. The engine's import
    // cannot serve a dynamic resource (its Read sends no `__provider`): the resource's Create adopts it.
    const listed = imports[name];
    const importId = typeof listed === "string" || typeof listed === "number" ? String(listed) : undefined;
    const own = inputs[ADOPT_FIELD];
    if (importId !== undefined && own !== undefined && own !== importId) {
      const pos = places.entry("imports", name);
      const message = `says ${importId} but tasks.${name}.${ADOPT_FIELD} says ${String(own)}: keep one`;
      problems.push({ file, line: pos.line, column: pos.column, path: `imports.${name}`, message });
    }
    if (importId !== undefined) inputs[ADOPT_FIELD] = importId;
    const adopt = inputs[ADOPT_FIELD];
    const entry = {
      name,
      inputs,
      ...(typeof adopt === "string" ? { importId: adopt } : {}),
      ...(typeof renamed === "string" ? { renamedFrom: renamed } : {}),
    };
    tasks.push(placed(entry, () => keyPlace(name)));
  }
  for (const f of renamedFromFailures(tasks)) {
    const pos = places.failure(f.task, { property: RENAMED_FROM, path: [RENAMED_FROM], reason: f.reason });
    const where = `tasks.${f.task}.${RENAMED_FROM}`;
    problems.push({ file, line: pos.line, column: pos.column, path: where, message: pos.reason });
  }
  problems.push(...defaultsProblems(fromDefaults, Object.values(raw.tasks).filter(isObject).length, file));
  problems.push(...sharedDestinationProblems(tasks, places, file, refs));
  for (const name of Object.keys(imports)) {
    if (name in raw.tasks) continue;
    const pos = places.entry("imports", name);
    const message = `no task named "${name}" under tasks`;
    problems.push({ file, line: pos.line, column: pos.column, path: `imports.${name}`, message });
  }
  return { tasks, problems: dedupe(problems).sort((a, b) => a.line - b.line || a.column - b.column), warnings };
}

/**
 * Two tasks of one file pushing one stream: each would cut the other off (and a replacement of one
 * would be planned delete-first forever). Reported at the later task, naming the earlier one, unless
 * both set allowSharedDestination (the one set alone would still have the other's Create refused).
 */
function sharedDestinationProblems(tasks: TaskEntry[], places: Places, file: string, refs: boolean): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, { name: string; shares: boolean }>();
  for (const t of tasks) {
    const found = destinations(offline(t.inputs, refs) as unknown as TaskInputs);
    const shares = (t.inputs as Record<string, unknown>)[SHARED_DESTINATION_FIELD] === true;
    for (const d of found ?? []) {
      const first = seen.get(d);
      if (first === undefined) {
        seen.set(d, { name: t.name, shares });
        continue;
      }
      if (first.name === t.name || (first.shares && shares)) continue;
      const pos = places.entry("tasks", t.name);
      const message =
        `pushes to ${d}, as tasks.${first.name} does: two tasks would push one stream; keep one of them ` +
        `(or set ${SHARED_DESTINATION_FIELD}: true on both)`;
      problems.push({ file, line: pos.line, column: pos.column, path: `tasks.${t.name}`, message });
    }
  }
  return problems;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path}: ${p.message}`;
}
