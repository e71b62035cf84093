// Resolves the secret pair, session token, region and endpoint. For the secret pair the first place
// that has one wins and the token comes from the same place (a token never pairs with another key).
// Region and endpoint are resolved the same way, independently.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const DEFAULT_ENDPOINT = "https://live.tencentcloudapi.com";
/**
 * Used when no place names a region: Guangzhou, the region Tencent Cloud API examples use.
 * Documented in provider/api/README.md.
 */
export const DEFAULT_REGION = "ap-guangzhou";

export const CONFIG_KEYS = {
  secretId: "tencentcloud:secretId",
  secretKey: "tencentcloud:secretKey",
  securityToken: "tencentcloud:securityToken",
  region: "tencentcloud:region",
  endpoint: "tencentcloud:cssEndpoint",
} as const;

export const ENV_KEYS = {
  secretId: "TENCENTCLOUD_SECRET_ID",
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  // The Terraform provider's name for the token is accepted too, after the SDK's.
  securityToken: ["TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_SECURITY_TOKEN"],
  region: "TENCENTCLOUD_REGION",
  endpoint: "TENCENTCLOUD_CSS_ENDPOINT",
} as const;

export interface ExplicitCredentials {
  secretId?: string;
  secretKey?: string;
  securityToken?: string;
  region?: string;
  endpoint?: string;
}

export interface CredentialSources {
  options?: ExplicitCredentials;
  /** Pulumi stack config handed over by the provider's configure(), keys as in CONFIG_KEYS. */
  config?: Record<string, string | undefined>;
  env?: Record<string, string | undefined>;
  /** Home directory holding `.tccli/`; injectable for tests. */
  homeDir?: string;
}

export interface ResolvedCredentials {
  secretId: string;
  secretKey: string;
  securityToken?: string;
  region: string;
  endpoint: string;
  /** Where the secret pair came from, for messages (never the values). */
  source: string;
  regionSource: string;
}

export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialsError";
  }
}

interface Candidate {
  place: string;
  secretId?: string;
  secretKey?: string;
  securityToken?: string;
  region?: string;
  endpoint?: string;
}

function clean(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function tccliPaths(home: string): { credential: string; configure: string } {
  return {
    credential: join(home, ".tccli", "default.credential"),
    configure: join(home, ".tccli", "default.configure"),
  };
}

function readJson(path: string): { found: boolean; value?: Record<string, unknown> } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") {
      return { found: false };
    }
    throw new CredentialsError(`cannot read tccli profile ${path}: ${(e as Error).message}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return { found: true, value: value as Record<string, unknown> };
    }
  } catch {
    // The content is not echoed: it holds secrets.
  }
  throw new CredentialsError(
    `tccli profile ${path} is not a JSON object (expected {"secretId": ..., "secretKey": ...})`,
  );
}

/** The setting that names the endpoint, per inline candidate (options, stack config, environment). */
const ENDPOINT_SETTINGS = ["the endpoint option", CONFIG_KEYS.endpoint, ENV_KEYS.endpoint];

function inlineCandidates(src: CredentialSources): Candidate[] {
  const o = src.options ?? {};
  const c = src.config ?? {};
  const e = src.env ?? process.env;
  return [
    {
      place: "provider options (secretId/secretKey)",
      secretId: clean(o.secretId),
      secretKey: clean(o.secretKey),
      securityToken: clean(o.securityToken),
      region: clean(o.region),
      endpoint: clean(o.endpoint),
    },
    {
      place: `stack config (${CONFIG_KEYS.secretId}/${CONFIG_KEYS.secretKey})`,
      secretId: clean(c[CONFIG_KEYS.secretId]),
      secretKey: clean(c[CONFIG_KEYS.secretKey]),
      securityToken: clean(c[CONFIG_KEYS.securityToken]),
      region: clean(c[CONFIG_KEYS.region]),
      endpoint: clean(c[CONFIG_KEYS.endpoint]),
    },
    {
      place: `environment (${ENV_KEYS.secretId}/${ENV_KEYS.secretKey})`,
      secretId: clean(e[ENV_KEYS.secretId]),
      secretKey: clean(e[ENV_KEYS.secretKey]),
      securityToken: ENV_KEYS.securityToken.map((k) => clean(e[k])).find((v) => v !== undefined),
      region: clean(e[ENV_KEYS.region]),
      endpoint: clean(e[ENV_KEYS.endpoint]),
    },
  ];
}

/** tccli keeps the key pair in default.credential and the region in default.configure's _sys_param. */
function tccliCandidate(home: string): Candidate {
  const paths = tccliPaths(home);
  const cred = readJson(paths.credential);
  const conf = readJson(paths.configure);
  const sys = conf.value?._sys_param;
  return {
    place: `tccli profile ${paths.credential}`,
    secretId: clean(cred.value?.secretId),
    secretKey: clean(cred.value?.secretKey),
    securityToken: clean(cred.value?.token),
    region: clean(sys && typeof sys === "object" ? (sys as Record<string, unknown>).region : undefined),
  };
}

function missingMessage(home: string): string {
  const p = tccliPaths(home);
  return [
    "No Tencent Cloud credentials found (a SecretId and SecretKey are required). Looked, in this order, in:",
    "  1. the provider's options: secretId / secretKey (securityToken for temporary credentials)",
    `  2. Pulumi stack config: ${CONFIG_KEYS.secretId} and ${CONFIG_KEYS.secretKey} ` +
      `(pulumi config set --secret ${CONFIG_KEYS.secretKey} ...), ${CONFIG_KEYS.securityToken}`,
    `  3. environment variables: ${ENV_KEYS.secretId} and ${ENV_KEYS.secretKey} ` +
      `(${ENV_KEYS.securityToken.join(" or ")} for temporary credentials)`,
    `  4. the tccli profile ${p.credential} ` +
      '(JSON {"secretId": ..., "secretKey": ..., "token": ...}, written by `tccli configure`)',
  ].join("\n");
}

/** Loopback hosts: plain http to them never leaves the machine (the emulator, a local proxy). */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function checkEndpoint(endpoint: string, place: string, setting: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new CredentialsError(
      `endpoint from ${place} must be a full URL such as https://live.tencentcloudapi.com ` +
        `or http://127.0.0.1:4566, got "${endpoint}"`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new CredentialsError(`endpoint from ${place} must use http or https, got "${url.protocol}"`);
  }
  // Requests are signed for path "/" with no query; anything else would be signed wrongly.
  if (url.username || url.password || url.search || url.hash || url.pathname !== "/") {
    throw new CredentialsError(
      `endpoint from ${place} must be scheme://host[:port] only (no path, query, user or password), ` +
        `got "${url.protocol}//${url.host}${url.pathname}"`,
    );
  }
  // Over plain http the signed requests, session token and auth-bearing push URLs travel in clear.
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new CredentialsError(
      `${setting} must use https: plain http is allowed only to a loopback host ` +
        `(127.0.0.1, localhost, [::1]), got "${url.origin}"`,
    );
  }
  return url.origin;
}

export function resolveCredentials(src: CredentialSources = {}): ResolvedCredentials {
  const home = src.homeDir ?? homedir();
  const list = inlineCandidates(src);
  // The profile is read only when needed, so a broken one cannot block explicit credentials.
  if (!list.some((c) => c.secretId || c.secretKey) || !list.some((c) => c.region)) list.push(tccliCandidate(home));
  let pair: Candidate | undefined;
  for (const cand of list) {
    if (cand.secretId && cand.secretKey) {
      pair = cand;
      break;
    }
    // Half a pair is a typo, not an absence: silently using another place's key would surprise.
    if (cand.secretId || cand.secretKey) {
      const missing = cand.secretId ? "SecretKey" : "SecretId";
      throw new CredentialsError(
        `${cand.place} has a ${cand.secretId ? "SecretId" : "SecretKey"} but no ${missing}; set both in the same place`,
      );
    }
  }
  if (!pair) throw new CredentialsError(missingMessage(home));
  const regionFrom = list.find((c) => c.region);
  const endpointFrom = list.find((c) => c.endpoint);
  return {
    secretId: pair.secretId!,
    secretKey: pair.secretKey!,
    securityToken: pair.securityToken,
    region: regionFrom?.region ?? DEFAULT_REGION,
    regionSource: regionFrom?.place ?? "default",
    endpoint: endpointFrom
      ? checkEndpoint(endpointFrom.endpoint!, endpointFrom.place, ENDPOINT_SETTINGS[list.indexOf(endpointFrom)])
      : DEFAULT_ENDPOINT,
    source: pair.place,
  };
}
