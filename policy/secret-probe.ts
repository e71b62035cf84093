// Which inputs of a resource are Pulumi secrets. @pulumi/policy unwraps secrets before a
// validateResource sees them (deserializeProperties(..., false)), but hands a remediation the
// properties with each secret as a policy.Secret behind a proxy that unwraps on read. The engine
// runs every analyzer's Remediate on a resource before its Analyze (pkg/resource/deploy/
// step_generator.go: "first we perform remediations, and *then* we do analysis"), so a remediation
// that changes nothing records the secret paths per URN and auth-secrets reads them.
import { Secret } from "@pulumi/policy";

/** The raw value under a proxy: the proxies trap `get` only, so a descriptor shows the target's value. */
function raw(obj: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(obj, key)?.value;
}

/** Display paths of every secret in `props` ("toUrl", "sourceUrls[0]"), outermost only. */
export function secretPaths(props: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const walk = (value: unknown, path: string): void => {
    if (value instanceof Secret) {
      out.add(path);
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(raw(value, String(i)), `${path}[${i}]`);
    } else if (value !== null && typeof value === "object") {
      for (const k of Object.keys(value)) walk(raw(value, k), path === "" ? k : `${path}.${k}`);
    }
  };
  walk(props, "");
  return out;
}

/** URN → secret paths of its latest inputs (one pack process serves one preview or update). */
export class SecretRegistry {
  private readonly byUrn = new Map<string, Set<string>>();
  record(urn: string, props: Record<string, unknown>): void {
    this.byUrn.set(urn, secretPaths(props));
  }
  get(urn: string): ReadonlySet<string> | undefined {
    return this.byUrn.get(urn);
  }
}
