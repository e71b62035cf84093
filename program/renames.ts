// A renamed key is not a new stream. Against the file's base version (the PR's base branch), a key
// that disappeared while a new key pushes to the same destination is a rename: without
// `renamedFrom` (renamed-from.ts) Pulumi creates the new key's task first and deletes the old one at
// the end of the run, so two tasks push one stream for that moment, and the running task is lost
// for a new one. Pure: the caller loads both versions (tasks-file.ts) and prints the findings.
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

/** A new key that looks like an old one renamed, lacking `renamedFrom: <from>`. */
export interface Rename {
  /** The new key, and the line and column of it. */
  task: string;
  line: number;
  column: number;
  /** The key of the base version that is gone. */
  from: string;
  /** The destination both push to (host/app/stream: no query, so no auth value). */
  destination: string;
}

// A `${config:KEY}` is compared as written: the same text on both sides is the same destination, and
// a destination's identity ignores the query, where such references usually sit.
function destinationsOf(t: BaseTask): Set<string> {
  return destinations(t.inputs as unknown as TaskInputs) ?? new Set();
}

/**
 * The renames the file makes relative to `base` without saying so. A key present in both versions is
 * no rename; nor is an entry that already names an old key (`renamedFrom`), and an old key some entry
 * names is taken. Each gone key is matched to at most one new key, in file order.
 */
export function undeclaredRenames(base: readonly BaseTask[], current: readonly CurrentTask[]): Rename[] {
  const now = new Set(current.map((t) => t.name));
  const claimed = new Set(current.flatMap((t) => (t.renamedFrom === undefined ? [] : [t.renamedFrom])));
  const gone = base.filter((t) => !now.has(t.name) && !claimed.has(t.name));
  const before = new Set(base.map((t) => t.name));
  const matched = new Set<string>();
  const found: Rename[] = [];
  for (const t of current) {
    if (before.has(t.name) || t.renamedFrom !== undefined) continue;
    const wanted = destinationsOf(t);
    for (const old of gone) {
      if (matched.has(old.name)) continue;
      const shared = [...destinationsOf(old)].find((d) => wanted.has(d));
      if (shared === undefined) continue;
      matched.add(old.name);
      found.push({ task: t.name, line: t.line, column: t.column, from: old.name, destination: shared });
      break;
    }
  }
  return found;
}

/** The warning's text, naming the line that keeps the running task. */
export function renameMessage(r: Rename, baseLabel: string): string {
  return (
    `pushes to ${r.destination}, as tasks.${r.from} did in ${baseLabel}: a renamed key? As written, up ` +
    `creates a new task for it, then deletes ${r.from}'s (both push the stream for a moment). To keep ` +
    `the running task, add "renamedFrom: ${r.from}" under tasks.${r.task} (line ${r.line})`
  );
}
