// The files a role setting may name instead of a value: the web identity token file (read at every
// exchange, since projected tokens rotate) and the role ARN file (read once, when the plan is made).
// Each takes the Terraform provider's format, a JSON object (`{"web_identity_token": …}`,
// `{"role_arn": …}`: its getConfigFromWebIdentityTokenFile / getConfigFromRoleArnFile), or the bare
// value as the file's whole text (what a projected service-account token file holds). Errors name
// the file and what is wrong with it, never its content.
import { readFileSync } from "node:fs";
import { CredentialsError } from "./credentials";

/** The value of `file`: its JSON object's `key`, or its trimmed text when it is not a JSON object. */
function readValue(file: string, key: string, what: string, source: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new CredentialsError(`${source}: cannot read the ${what} file ${file} (${code})`);
  }
  const trimmed = text.trim();
  if (!trimmed) throw new CredentialsError(`${source}: the ${what} file ${file} is empty`);
  // A bare token (a JWT) or ARN never starts with "{": such a file is the Terraform provider's JSON.
  if (!trimmed.startsWith("{")) return trimmed;
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new CredentialsError(`${source}: the ${what} file ${file} starts with "{" but is not JSON`);
  }
  const value = (json as Record<string, unknown> | null)?.[key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new CredentialsError(`${source}: the ${what} file ${file} is a JSON object without a "${key}" string`);
  }
  return value.trim();
}

/** The web identity token: the setting's value, or the file's current content. */
export function readWebIdentityToken(p: { token?: string; tokenFile?: string; source: string }): string {
  if (p.token) return p.token;
  return readValue(p.tokenFile!, "web_identity_token", "web identity token", p.source);
}

/** The role's ARN from a role ARN file (`roleArnFile`, Terraform's `role_arn_file`). */
export function readRoleArnFile(file: string, source: string): string {
  return readValue(file, "role_arn", "role ARN", source);
}
