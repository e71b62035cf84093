// What this provider process saw of each resource in this run, for the write protocol (readback.ts,
// impl.ts). The engine calls Diff before a replacement it decides from the provider's answer (a
// destination change) but NOT before one it forces itself (`pulumi up --replace`, taint, a changed
// explicit provider, ReplaceWith/DeletedWith: pulumi pkg/resource/deploy/step_generator.go `diff`),
// and Create never sees the state. So:
//  - the task Diff found in state (noteStateTask): a Create of the same resource later in the run
//    never adopts it, and creates where it lives when the program names no region;
//  - the tasks this host deleted (noteDeleted): a read lagging the delete may still show one;
//  - the task each resource is held live under (noteLive / heldLive, below): guards a Delete.

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

const deleted = new Set<string>();

/** This host deleted the task (or found it already gone). */
export function noteDeleted(taskId: string): void {
  deleted.add(taskId);
}

/** Whether this host deleted the task: a read showing it is stale. */
export function wasDeleted(taskId: string): boolean {
  return deleted.has(taskId);
}

// The task each resource is held live under in this run, as this provider process saw it: the id
// its Create adopted (a task it created new cannot be the old object of any delete), an Update
// succeeded on, or a Diff found unchanged. The engine
// deletes the OLD object of a create-before-delete replacement at the end of the run (or of a later
// run, when a step failed) by its id; when the replacement's Create adopted that very task (a
// `pulumi up --replace` or taint of a task whose SpecifyTaskId is unchanged: Create cannot tell it
// from a task an interrupted run left behind, and must adopt that one), that Delete would remove
// the task the state now holds. Delete skips an id held live here; a process that saw nothing of
// the resource (destroy, a removed resource) deletes as before. A Diff asking for changes notes
// nothing: the engine may still replace the resource (replaceOnChanges) and delete the id first.
const live = new Map<string, string>();

/** The resource with this identity is held live under `taskId` in this run (undefined: nothing known). */
export function noteLive(identity: string, taskId: string | undefined): void {
  if (taskId === undefined) live.delete(identity);
  else live.set(identity, taskId);
}

/**
 * Whether any resource is held live under `taskId` in this run. Any, not only the one being deleted:
 * a renamed resource that adopted its old self's task (adoptTaskId) holds it under another URN, and
 * a delete of a task some resource holds live would take that resource's stream.
 */
export function heldLive(taskId: string): boolean {
  for (const id of live.values()) if (id === taskId) return true;
  return false;
}
