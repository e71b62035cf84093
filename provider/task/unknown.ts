// Pulumi's dynamic-provider bridge turns an output that is not known yet (during preview) into
// this exact string, wherever it sits: a whole input, an array element or a nested property.
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `v` is UNKNOWN or holds UNKNOWN anywhere inside (arrays, plain objects). */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) {
    for (const item of v) if (containsUnknown(item)) return true;
    return false;
  }
  if (v !== null && typeof v === "object") {
    for (const key of Object.keys(v)) if (containsUnknown((v as Record<string, unknown>)[key])) return true;
  }
  return false;
}
