// Pure: which ended tasks `css-pull-tasks prune --ended` may delete. Ended tasks stay on the
// account and count against its task quota unless the console's auto-cleanup is on (Create's note
// 4), so they block new tasks; but a task a stack still holds is never touched, whatever its times.
import type { PullStreamTaskInfo } from "../provider/api/types";
import { hasEnded } from "../provider/quota/count";

/**
 * Every task id a Pulumi state file names (`pulumi stack export` JSON, or a local backend's state
 * file): each resource's `id` and `outputs.taskId`. Deliberately wide: any string a resource holds
 * as its id protects the task of that id.
 */
export function heldTaskIds(state: unknown): Set<string> {
  const held = new Set<string>();
  const root = state as { deployment?: { resources?: unknown[] }; checkpoint?: { latest?: { resources?: unknown[] } } };
  const resources = root?.deployment?.resources ?? root?.checkpoint?.latest?.resources ?? [];
  if (!Array.isArray(resources)) return held;
  for (const r of resources as { id?: unknown; outputs?: { taskId?: unknown } }[]) {
    if (typeof r?.id === "string" && r.id !== "") held.add(r.id);
    if (typeof r?.outputs?.taskId === "string") held.add(r.outputs.taskId);
  }
  return held;
}

export interface PrunePlan {
  /** Ended and held by no stack: deleted with --yes. */
  prune: PullStreamTaskInfo[];
  /** Ended but named by a state file: kept. */
  held: PullStreamTaskInfo[];
}

/** Tasks whose EndTime is not after `nowMs` (the API's clock), split by whether a stack holds them. */
export function prunePlan(tasks: PullStreamTaskInfo[], nowMs: number, held: ReadonlySet<string>): PrunePlan {
  const ended = tasks.filter((t) => hasEnded(t, nowMs));
  return { prune: ended.filter((t) => !held.has(t.TaskId)), held: ended.filter((t) => held.has(t.TaskId)) };
}
