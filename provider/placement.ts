// Where a replacement of a task whose program names no region is created: where the old task
// lives. The engine's second Check of a replacement has no olds, so the only sight of the old
// task's region is the Diff just before it, in the same process (pulumi step_generator.go
// `continueStepsFromDiff`: Diff, Check without olds, then the steps, all of one deployment).
// This is placement only: no decision of the write protocol (provider/protocol/) rests on it, and
// a process that did not see the Diff (a forced replacement, which never calls it) creates the
// task in the default region, which docs/engine.md says.

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
