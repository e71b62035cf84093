// Secrets on the wire. The plugin tells the engine it accepts secrets (Configure), so secret values
// arrive wrapped as {"4dabf…": "1b47…", value} and must be unwrapped before the core sees them;
// outputs of secret fields are wrapped again, so state and `pulumi stack output` keep them secret
// whatever the calling language (Pulumi YAML and SDKs all rely on the provider for that).
import { specialSigKey, specialSecretSig } from "@pulumi/pulumi/runtime/rpc";
import { SECRET_FIELDS } from "../provider/task/fields";

type Bag = Record<string, unknown>;

export function isSecretValue(v: unknown): v is Bag {
  return !!v && typeof v === "object" && (v as Bag)[specialSigKey] === specialSecretSig;
}

export function secret(value: unknown): Bag {
  return { [specialSigKey]: specialSecretSig, value };
}

export function unwrapSecrets(v: unknown): unknown {
  if (isSecretValue(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") {
    const out: Bag = {};
    for (const [k, x] of Object.entries(v as Bag)) out[k] = unwrapSecrets(x);
    return out;
  }
  return v;
}

/** The task's secret fields (sourceUrls, toUrl, …: schema x-secret) wrapped; the rest as is. */
export function wrapSecretFields(bag: Bag | undefined): Bag | undefined {
  if (!bag) return bag;
  const out: Bag = { ...bag };
  for (const key of SECRET_FIELDS) if (out[key] !== undefined && !isSecretValue(out[key])) out[key] = secret(out[key]);
  return out;
}
