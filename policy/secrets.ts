// Rule auth-secrets: a string carrying auth parameters (txSecret, sign, token, ...; provider/task/
// mask.ts's list) reaches a task only as a Pulumi secret, so it is encrypted in the state and hidden
// in the preview. Both resource types already make the fields the schema marks x-secret (sourceUrls,
// toUrl, pushArgs, ...) secret themselves; this rule holds every other input to the same standard
// (a signed watermark pictureUrl, a token in comment or extraCmd) and catches a type that stops
// doing so. Which inputs are secrets comes from secret-probe.ts: a validating policy of
// @pulumi/policy sees every secret unwrapped and cannot tell (pulumi/pulumi-policy#241).
import { maskSecrets } from "../provider/task/mask";
import { propertyOf } from "../provider/task/types";
import { Task, Violation, violation } from "./inputs";

/** Display paths of the inputs that are secrets ("toUrl", "sourceUrls[0]", "watermarkList[1].pictureUrl"). */
export type SecretPaths = ReadonlySet<string>;

const FIX =
  "pass it as a secret: in tasks.yaml `${config:key}` with `pulumi config set --secret key ...`, " +
  "pulumi.secret(...) in a program, fn::secret or a secret config value in Pulumi YAML";

export function hasAuthParams(text: string): boolean {
  return maskSecrets(text) !== text;
}

/** Every string in a task's inputs with its path, skipping the engine's own `__` keys. */
export function stringsIn(task: Task): [(string | number)[], string][] {
  const out: [(string | number)[], string][] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (typeof v === "string") out.push([path, v]);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v !== null && typeof v === "object") for (const k of Object.keys(v)) walk((v as Task)[k], [...path, k]);
  };
  for (const k of Object.keys(task)) if (!k.startsWith("__")) walk(task[k], [k]);
  return out;
}

/** True when the value at `path` is a secret or lies inside one. */
export function isSecretAt(path: (string | number)[], secrets: SecretPaths): boolean {
  for (let n = path.length; n > 0; n--) if (secrets.has(propertyOf(path.slice(0, n)))) return true;
  return false;
}

/**
 * `secrets` undefined: the probe did not run for this resource (secret-inputs disabled), so nothing
 * can be told apart; each auth-bearing value is reported as such rather than passed.
 */
export function checkAuthSecrets(name: string, task: Task, secrets: SecretPaths | undefined): Violation[] {
  const out: Violation[] = [];
  for (const [path, text] of stringsIn(task)) {
    if (!hasAuthParams(text)) continue;
    const field = propertyOf(path);
    if (secrets === undefined) {
      out.push(violation(name, field, "carries auth parameters and the pack cannot tell whether it is a secret",
        "enable the policy secret-inputs (it only records which inputs are secrets)"));
    } else if (!isSecretAt(path, secrets)) {
      out.push(violation(name, field, `carries auth parameters as plain text ("${text}")`, FIX));
    }
  }
  return out;
}
