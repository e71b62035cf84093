// Keys that Pulumi's dynamic-resource machinery and our resource add to a resource's properties:
// never task fields. The provider edge strips them before the pure core (provider/task) sees a task.
import { IDENTITY_KEY } from "./identity";

/** Where Pulumi's dynamic resources carry the serialised provider, in inputs and outputs alike. */
export const PROVIDER_KEY = "__provider";

/** Every key of the machinery: the serialised provider and the resource identity (identity.ts). */
export const MACHINERY_KEYS: ReadonlySet<string> = new Set([PROVIDER_KEY, IDENTITY_KEY]);
