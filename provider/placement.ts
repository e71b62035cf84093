// Where a replacement of a task whose program names no region is created: where the old task
// lives. The engine's second Check of a replacement has no olds, so the only sight of the old
// task's region is the Diff just before it, in the same process (pulumi step_generator.go
// `continueStepsFromDiff`: Diff, Check without olds, then the steps, all of one deployment).
// Placement, and one courtesy: an adoptTaskId naming the task this Diff saw is not adopted again by
// the replacement's Create (protocol/adopt.ts), which without it would refuse (the task pushes
// elsewhere) rather than write. No write, delete or count rests on it: a process that did not see
// the Diff (a forced replacement never calls it) creates in the default region and refuses, as
// docs/engine.md says.

export interface StateTask {
  taskId: string;
  region?: string;
}

const seen = new Map<string, StateTask>();

/** Diff of the resource with this identity saw its state holding `task`. */
export function noteStateTask(identity: string, task: StateTask): void {
  seen.set(identity, task);
}

/** The task the state held for this resource when Diff last ran in this host, if it did. */
export function stateTaskOf(identity: string): StateTask | undefined {
  return seen.get(identity);
}
