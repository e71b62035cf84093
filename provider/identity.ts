// Which resource of which stack a task belongs to, carried as a hidden input so that create can
// derive a SpecifyTaskId that is stable across runs for THIS resource only (see readback.ts).
// Two resources never share it, so a re-run after an interruption adopts the task it left behind,
// never another resource's task with the same destination.

/** Input key set by LivePullStreamTask; not a task field (check strips it before validating). */
export const IDENTITY_KEY = "__identity";

/** The unique part of the resource's URN (the type is always css:LivePullStreamTask). */
export function resourceIdentity(project: string, stack: string, name: string): string {
  return `${project}/${stack}/${name}`;
}
