// diff: what an update would change, and whether it needs a replacement. Inputs are normalised
// (normaliseInputs / applySchedule) on both sides; olds are the previous inputs (state), so
// write-only fields are compared with what the program said last time, never with Describe.
import { FIELDS } from "./fields";
import { shareDestination } from "./destination";
import { sameField } from "./equality";
import { TaskInputs } from "./types";

export interface TaskDiff {
  /** Anything to do at all. */
  changes: boolean;
  /** Create-only fields that differ: the task must be replaced. */
  replaces: string[];
  /** With replaces: delete the old task before creating the new one (they share a destination). */
  deleteBeforeReplace: boolean;
  /** Every differing field (replaces included), except no-change fields such as operator. */
  changed: string[];
}

export function diffTask(olds: TaskInputs, news: TaskInputs): TaskDiff {
  const changed: string[] = [];
  const replaces: string[] = [];
  for (const f of FIELDS) {
    if (f.noChange || sameField(f.name, olds, news)) continue;
    changed.push(f.name);
    if (!f.modifiable) replaces.push(f.name);
  }
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && shareDestination(olds, news),
    changed,
  };
}
