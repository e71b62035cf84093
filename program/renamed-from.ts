// `renamedFrom: <old key>` on a task entry: the entry was renamed, and the program declares its
// resource with a Pulumi alias of the old name, so the engine moves the running task's state to the
// new name instead of creating a new task and deleting the old one. A key of the tasks file only
// (schema/tasks-file.schema.json#/definitions/renamedFrom): never a task field, never sent to the API.

/** The tasks-file key, as schema/tasks-file.schema.json names it under definitions/taskEntry. */
export const RENAMED_FROM = "renamedFrom";

/** What a rule here needs of a task entry: its key, its line, and the old key it names. */
export interface RenamedEntry {
  name: string;
  line: number;
  column: number;
  renamedFrom?: string;
}

/** A rule broken by a `renamedFrom`: at the task entry's `renamedFrom` line. */
export interface RenameFailure {
  task: string;
  reason: string;
}

/**
 * `renamedFrom` naming a key that is still under `tasks` would alias one resource to another (or to
 * itself); two entries renamed from one key would both claim its task. Both are refused, each at the
 * later entry, naming the other's line.
 */
export function renamedFromFailures(tasks: readonly RenamedEntry[]): RenameFailure[] {
  const byName = new Map(tasks.map((t) => [t.name, t]));
  const claimed = new Map<string, RenamedEntry>();
  const failures: RenameFailure[] = [];
  for (const t of tasks) {
    const old = t.renamedFrom;
    if (old === undefined) continue;
    const still = byName.get(old);
    if (still === t) {
      failures.push({ task: t.name, reason: `names this task's own key: give the key it had before` });
      continue;
    }
    if (still) {
      failures.push({
        task: t.name,
        reason:
          `"${old}" is still a task (line ${still.line}): only a key that is gone can be renamed; ` +
          `remove tasks.${old}, or drop ${RENAMED_FROM} if this is a new task`,
      });
      continue;
    }
    const first = claimed.get(old);
    if (first) {
      failures.push({
        task: t.name,
        reason:
          `tasks.${first.name} (line ${first.line}) is already renamed from "${old}": one task keeps ` +
          `${old}'s running task; drop ${RENAMED_FROM} here and this one is created new`,
      });
      continue;
    }
    claimed.set(old, t);
  }
  return failures;
}
