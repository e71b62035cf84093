// Secret scrubbing for the client's error texts: exact secrets (a SecretKey, a session token) plus
// the URL auth masking rule, which lives in the pure core so check failures share it.
import { MASK, maskSecrets } from "../task/mask";

export { AUTH_PARAM_NAMES, MASK, maskSecrets } from "../task/mask";

/** Removes exact secret strings (a SecretKey, a session token) wherever they appear, then masks URL auth. */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    // Very short strings would shred ordinary words; real keys and tokens are long.
    if (s && s.length >= 4) out = out.split(s).join(MASK);
  }
  return maskSecrets(out);
}
