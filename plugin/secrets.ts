// Secrets on the wire. The plugin tells the engine it accepts secrets (Configure), so secret values
// arrive wrapped as {"4dabf…": "1b47…", value} and must be unwrapped before the core sees them;
// outputs of secret fields are wrapped again, so state and `pulumi stack output` keep them secret
// whatever the calling language (Pulumi YAML and SDKs all rely on the provider for that). A value
// the user made secret keeps its secretness on any field (keepSecrets).
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

function containsSecrets(v: unknown): boolean {
  if (isSecretValue(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecrets);
  if (v && typeof v === "object") return Object.values(v as Bag).some(containsSecrets);
  return false;
}

const isPlainObject = (v: unknown): v is Bag =>
  !!v && typeof v === "object" && !Array.isArray(v) && !isSecretValue(v);

/**
 * `outs` with the secretness of `ins` carried over, key by key: what the engine's annotateSecrets
 * (sdk/go/common/resource/plugin/provider_plugin.go) does for a provider that does NOT accept
 * secrets. Ours accepts them (Configure's acceptSecrets), so the engine leaves this to us: a value
 * the user made secret (`fn::secret`, `pulumi.secret`) on a field the schema does not mark secret
 * must come back secret from Check, Create, Read and Update, or state and outputs hold it in plain.
 * As there, two objects are followed into; anything else holding a secret (an array, a secret
 * object) makes the whole output value secret, since its parts may have moved.
 */
export function keepSecrets(outs: Bag | undefined, ins: unknown): Bag | undefined {
  if (!outs || !isPlainObject(ins)) return outs;
  const out: Bag = { ...outs };
  for (const [key, inValue] of Object.entries(ins)) {
    const value = out[key];
    if (value === undefined || isSecretValue(value)) continue;
    if (isPlainObject(value) && isPlainObject(inValue)) out[key] = keepSecrets(value, inValue);
    else if (containsSecrets(inValue)) out[key] = secret(value);
  }
  return out;
}

/** The text of every string or number inside a secret of `v` (the user's secret values). */
export function secretTexts(v: unknown, inSecret = false): string[] {
  if (isSecretValue(v)) return secretTexts(v.value, true);
  if (Array.isArray(v)) return v.flatMap((x) => secretTexts(x, inSecret));
  if (v && typeof v === "object") return Object.values(v as Bag).flatMap((x) => secretTexts(x, inSecret));
  if (!inSecret) return [];
  return (typeof v === "string" && v !== "") || typeof v === "number" ? [String(v)] : [];
}

/** `text` with each of `texts` replaced by [secret], longest first (a Check failure may quote a value). */
export function maskTexts(text: string, texts: string[]): string {
  return [...new Set(texts)].sort((a, b) => b.length - a.length).reduce((t, s) => t.split(s).join("[secret]"), text);
}
