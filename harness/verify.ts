// Judges the emulator's tasks against the engine's state and the program's desired set, in one
// place: duplicates (two tasks pushing one destination, or holding one SpecifyTaskId), orphans (a
// task the state does not know: nobody will ever delete it), tasks owned twice, missing (a desired
// resource without a live task), lost changes (a desired field value the task does not carry) and
// leftover failures (operations still failing when the phase gave up re-running).
import type { Props } from "./host";
import type { StateEntry } from "./engine";
import type { StoredTask as EmulatorTask } from "../emulator";

export interface Verdict {
  tasks: number;
  duplicates: number;
  orphans: number;
  /** Resources beyond the first whose state points at the same task: one task, two owners. */
  shared: number;
  missing: number;
  lostChanges: number;
  /** Operations of the phase's last `up` that still failed. */
  leftoverFailures: number;
  /** Human-readable evidence, capped: the first problems found. */
  problems: string[];
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The API shape of a program value: lowerCamel keys → UpperCamel, recursively. */
function apiShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(apiShape);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v as Props).map(([k, x]) => [cap(k), apiShape(x)]));
  return v;
}

/** JSON with object keys sorted: field order is not a difference. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v as Props).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Props)[k])}`).join(",")}}`;
  return JSON.stringify(v) ?? "undefined";
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/**
 * The stream a task pushes: domain/app/stream, or toUrl without its query string (a re-signed
 * URL, new txSecret/txTime, still pushes the same stream).
 */
export function destinationOf(t: EmulatorTask): string {
  return t.ToUrl ? `to:${t.ToUrl.split("?")[0]}` : `push:${t.DomainName.toLowerCase()}/${t.AppName}/${t.StreamName}`;
}

/** Whether a verdict finds nothing wrong. */
export function isClean(v: Verdict): boolean {
  return v.duplicates === 0 && v.orphans === 0 && v.shared === 0 && v.missing === 0 && v.lostChanges === 0 && v.leftoverFailures === 0;
}

/** Program inputs that are not task fields (or not stored as such): not compared. */
const NOT_STORED = new Set(["operator", "region", "schedule"]);
/** Engine/provider machinery keys (`__provider`, the resource identity): never task fields. */
const isMachinery = (k: string) => k.startsWith("__");

export function verify(
  tasks: EmulatorTask[],
  state: Map<string, StateEntry>,
  desired: Map<string, Props>,
  leftovers: { failures: number; pendingDeletes?: StateEntry[] } = { failures: 0 },
): Verdict {
  const problems: string[] = [];
  const note = (p: string) => {
    if (problems.length < 20) problems.push(p);
  };
  let duplicates = 0;
  const groups = new Map<string, EmulatorTask[]>();
  for (const t of tasks) groups.set(destinationOf(t), [...(groups.get(destinationOf(t)) ?? []), t]);
  for (const [dest, ts] of groups) {
    if (ts.length > 1) {
      duplicates += ts.length - 1;
      note(`duplicate: ${ts.length} tasks (${ts.map((t) => t.TaskId).join(", ")}) push ${dest}`);
    }
  }
  const bySpecify = new Map<string, number>();
  for (const t of tasks) if (t.SpecifyTaskId) bySpecify.set(t.SpecifyTaskId, (bySpecify.get(t.SpecifyTaskId) ?? 0) + 1);
  for (const [id, n] of bySpecify) if (n > 1) { duplicates += n - 1; note(`duplicate SpecifyTaskId ${id} ×${n}`); }

  // A pending delete is still the state's (the next `up` deletes it), not an orphan.
  const known = new Set([...state.values(), ...(leftovers.pendingDeletes ?? [])].map((e) => e.id));
  let orphans = 0;
  for (const t of tasks) {
    if (!known.has(t.TaskId)) {
      orphans++;
      note(`orphan: task ${t.TaskId} (${destinationOf(t)}) is not in state`);
    }
  }

  let shared = 0;
  const owners = new Map<string, string[]>();
  for (const [name, e] of state) owners.set(e.id, [...(owners.get(e.id) ?? []), name]);
  for (const [id, names] of owners) {
    if (names.length > 1) {
      shared += names.length - 1;
      note(`shared: task ${id} is in state for ${names.join(", ")}`);
    }
  }

  const byId = new Map(tasks.map((t) => [t.TaskId, t]));
  let missing = 0;
  let lostChanges = 0;
  for (const [name, want] of desired) {
    const entry = state.get(name);
    const task = entry ? byId.get(entry.id) : undefined;
    if (!task) {
      missing++;
      note(`missing: ${name} ${entry ? `(state id ${entry.id} has no task)` : "(not in state)"}`);
      continue;
    }
    for (const [k, v] of Object.entries(want)) {
      if (NOT_STORED.has(k) || isMachinery(k)) continue;
      const stored = (task as unknown as Record<string, unknown>)[cap(k)];
      if (!same(apiShape(v), stored)) {
        lostChanges++;
        note(`lost change: ${name}.${k} wanted ${String(JSON.stringify(v)).slice(0, 80)}, task ${task.TaskId} has ${String(JSON.stringify(stored)).slice(0, 80)}`);
      }
    }
  }
  const leftoverFailures = leftovers.failures;
  if (leftoverFailures > 0) note(`${leftoverFailures} operation(s) still failing when the phase stopped re-running`);
  return { tasks: tasks.length, duplicates, orphans, shared, missing, lostChanges, leftoverFailures, problems };
}
