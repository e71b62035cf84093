// A renamed key is not a new stream. Against the file's base version (the PR's base branch), a key
// that disappeared while a new key pushes to the same destination is a rename: without
// `renamedFrom` (renamed-from.ts) Pulumi plans the new key's Create first and the old one's Delete
// at the end of the run, and the Create is refused while the old task pushes the stream
// (provider/protocol/shared.ts), so `up` fails. Pure: the caller loads both versions
// (tasks-file.ts) and prints the findings.
import { destinations } from "../provider/task/destination";
import type { TaskInputs } from "../provider/task/types";
import type { RenamedEntry } from "./renamed-from";

/** A task of the base version: its key and merged fields. */
export interface BaseTask {
  name: string;
  inputs: Record<string, unknown>;
}

/** A task of the file now: also where its key is, and its renamedFrom. */
export type CurrentTask = RenamedEntry & BaseTask;

/**
 * A new key that looks like an old one renamed, lacking `renamedFrom: <from>`; or one whose
 * `renamedFrom` names a key the base does not have (`named`), so that its alias keeps nothing.
 */
export interface Rename {
  /** The new key, and the line and column of it. */
  task: string;
  line: number;
  column: number;
  /** The key of the base version that is gone, pushing to `destination`: absent when none does. */
  from?: string;
  /** The destination both push to (host/app/stream: no query, so no auth value). */
  destination?: string;
  /** The entry's renamedFrom, when the base has no task of that name. */
  named?: string;
}

// A `${config:KEY}` is compared as written: the same text on both sides is the same destination, and
// a destination's identity ignores the query, where such references usually sit.
function destinationsOf(t: BaseTask): Set<string> {
  return destinations(t.inputs as unknown as TaskInputs) ?? new Set();
}

/**
 * The renames the file makes relative to `base` without saying so. A key present in both versions is
 * no rename; nor is an entry whose `renamedFrom` names a key of the base, and a key of the base some
 * entry names is taken. A `renamedFrom` naming no key of the base is reported, with the gone key
 * that shares its destination if there is one. Each gone key is matched to at most one new key, in
 * file order.
 */
export function undeclaredRenames(base: readonly BaseTask[], current: readonly CurrentTask[]): Rename[] {
  const now = new Set(current.map((t) => t.name));
  const claimed = new Set(current.flatMap((t) => (t.renamedFrom === undefined ? [] : [t.renamedFrom])));
  const gone = base.filter((t) => !now.has(t.name) && !claimed.has(t.name));
  const before = new Set(base.map((t) => t.name));
  const matched = new Set<string>();
  const found: Rename[] = [];
  for (const t of current) {
    if (before.has(t.name)) continue;
    const named = t.renamedFrom;
    if (named !== undefined && before.has(named)) continue;
    const wanted = destinationsOf(t);
    const at = { task: t.name, line: t.line, column: t.column, ...(named !== undefined ? { named } : {}) };
    const old = gone.find((o) => !matched.has(o.name) && [...destinationsOf(o)].some((d) => wanted.has(d)));
    if (old) {
      matched.add(old.name);
      const destination = [...destinationsOf(old)].find((d) => wanted.has(d));
      found.push({ ...at, from: old.name, destination });
    } else if (named !== undefined) {
      found.push(at);
    }
  }
  return found;
}

/** The warning's text, naming the line that keeps the running task. */
export function renameMessage(r: Rename, baseLabel: string): string {
  const line = `"renamedFrom: ${r.from}" under tasks.${r.task} (line ${r.line})`;
  if (r.named !== undefined) {
    const keepsNothing = `renamedFrom: ${r.named} is not a task in ${baseLabel}, so its alias keeps nothing`;
    if (r.from === undefined) return `${keepsNothing}: up creates this task new`;
    return (
      `${keepsNothing}; this task pushes to ${r.destination}, as tasks.${r.from} did: as written, up ` +
      `refuses to create it while ${r.from}'s task pushes that stream. To keep the running task, write ${line}`
    );
  }
  return (
    `pushes to ${r.destination}, as tasks.${r.from} did in ${baseLabel}: a renamed key? As written, up ` +
    `refuses to create it while ${r.from}'s task pushes that stream. To keep the running task, add ${line}`
  );
}
