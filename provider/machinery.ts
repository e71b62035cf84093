// Keys that Pulumi's dynamic-resource machinery and our resource add to a resource's properties:
// never task fields. The provider edge strips them before the pure core (provider/task) sees a task.
import { ALIASES_KEY, IDENTITY_KEY } from "./identity";

/** Where Pulumi's dynamic resources carry the serialised provider, in inputs and outputs alike. */
export const PROVIDER_KEY = "__provider";

/**
 * Set by check when the program names no region: the task then lives wherever it is (or, new, in
 * this machine's default region), so a replacement keeps the old task's region and another
 * machine's default region is no change (impl.ts: diff, create, update).
 */
export const REGION_UNSET_KEY = "__regionUnset";

/**
 * Every key of the machinery: the serialised provider, the resource identity and its aliases'
 * (identity.ts), the region mark.
 */
export const MACHINERY_KEYS: ReadonlySet<string> = new Set([PROVIDER_KEY, IDENTITY_KEY, ALIASES_KEY, REGION_UNSET_KEY]);
