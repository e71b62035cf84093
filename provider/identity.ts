// Which resource of which stack a task belongs to, carried as a hidden input so that create can
// derive a SpecifyTaskId that is stable across runs for THIS resource only (see protocol/ids.ts).
// Two resources never share it, so a re-run after an interruption adopts the task it left behind,
// never another resource's task with the same destination.

/** Input key set by LivePullStreamTask; not a task field (check strips it before validating). */
export const IDENTITY_KEY = "__identity";

/**
 * What makes the resource's URN unique. Project/stack/name alone collides for same-named tasks
 * under different parents (a URN names the parent's type chain, which the name alone lacks), so a
 * child's identity includes its parent's URN. Without a parent (the stack) the form is the one ids
 * were derived from before parents counted, so existing tasks are still adopted.
 */
export function resourceIdentity(project: string, stack: string, name: string, parent?: string): string {
  // `parent`: the parent's URN (the dynamic resource) or the URN's parent types (the native plugin).
  return parent ? `${project}/${stack}/${name}@${parent}` : `${project}/${stack}/${name}`;
}

/**
 * Input key set by LivePullStreamTask when it has aliases: the identities of the names it had
 * (a rename with `aliases`). Tasks created under them are this resource's own too: a Create after
 * an aliased rename does not take the task the old name created for another's (protocol/shared.ts).
 */
export const ALIASES_KEY = "__aliasIdentities";

/** The identity a URN alias names (`urn:pulumi:<stack>::<project>::<type>::<name>`); undefined for a child's. */
export function identityFromAliasUrn(urn: string): string | undefined {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) return undefined;
  // A parent's type in the chain (`parent$type`): its URN, which a child's identity holds, is not in it.
  if (parts[2].includes("$")) return undefined;
  return resourceIdentity(parts[1], parts[0].slice("urn:pulumi:".length), parts.slice(3).join("::"));
}
