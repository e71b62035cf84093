// Which task the state holds for each resource, as Diff saw it in this run. The engine calls Diff
// before it replaces a resource (for `pulumi up --replace` and replaceOnChanges too), then Create
// with inputs checked WITHOUT the old state: this note, kept in the provider host's memory for the
// run, is how that Create knows which existing task is the one being replaced and must never be
// adopted (the engine deletes it afterwards, or did just before). Tasks this host deleted are
// remembered too: a read lagging the delete may still show one holding the id being created.

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
