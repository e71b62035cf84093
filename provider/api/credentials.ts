// Resolves the secret pair, session token, region and endpoint. For the secret pair the first place
// that has one wins and the token comes from the same place (a token never pairs with another key).
// Region and endpoint are resolved the same way, independently. The roles built on top of a pair
// (assume role, OIDC, CVM role) are chosen in credential-plan.ts; this file is the key pair's part.
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
  // The Terraform provider's `protocol` and `domain`: the endpoint is <protocol>://live.<domain>.
  protocol: "tencentcloud:protocol",
  domain: "tencentcloud:domain",
  // Roles and guards (credential-plan.ts); names as the Terraform provider's, camelCased.
  profile: "tencentcloud:profile",
  sharedCredentialsDir: "tencentcloud:sharedCredentialsDir",
  camRoleName: "tencentcloud:camRoleName",
  assumeRole: "tencentcloud:assumeRole",
  assumeRoleWithWebIdentity: "tencentcloud:assumeRoleWithWebIdentity",
  enablePodOidc: "tencentcloud:enablePodOidc",
  allowedAccountIds: "tencentcloud:allowedAccountIds",
  stsEndpoint: "tencentcloud:stsEndpoint",
} as const;

export const ENV_KEYS = {
  secretId: "TENCENTCLOUD_SECRET_ID",
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  // The Terraform provider's name for the token is accepted too, after the SDK's.
  securityToken: ["TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_SECURITY_TOKEN"],
  region: "TENCENTCLOUD_REGION",
  endpoint: "TENCENTCLOUD_CSS_ENDPOINT",
  protocol: "TENCENTCLOUD_PROTOCOL",
  domain: "TENCENTCLOUD_DOMAIN",
  profile: "TENCENTCLOUD_PROFILE",
  sharedCredentialsDir: "TENCENTCLOUD_SHARED_CREDENTIALS_DIR",
  camRoleName: "TENCENTCLOUD_CAM_ROLE_NAME",
  stsEndpoint: "TENCENTCLOUD_STS_ENDPOINT",
  roleArn: "TENCENTCLOUD_ASSUME_ROLE_ARN",
  sessionName: "TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME",
  sessionDuration: "TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION",
  externalId: "TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID",
  // AssumeRole's SourceIdentity and MFA (SerialNumber, TokenCode), as the Terraform provider reads them.
  sourceIdentity: "TENCENTCLOUD_ASSUME_ROLE_SOURCE_IDENTITY",
  serialNumber: "TENCENTCLOUD_ASSUME_ROLE_SERIAL_NUMBER",
  tokenCode: "TENCENTCLOUD_ASSUME_ROLE_TOKEN_CODE",
  webIdentityToken: "TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN",
  webIdentityTokenFile: "TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE",
  providerId: "TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID",
  /** Not a user setting: where the CVM metadata service is, for tests (default metadata.tencentyun.com). */
  metadataEndpoint: "TENCENTCLOUD_METADATA_ENDPOINT",
  tkeRegion: "TKE_REGION",
  tkeTokenFile: "TKE_WEB_IDENTITY_TOKEN_FILE",
  tkeProviderId: "TKE_PROVIDER_ID",
  tkeRoleArn: "TKE_ROLE_ARN",
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

export interface Candidate {
  place: string;
  secretId?: string;
  secretKey?: string;
  securityToken?: string;
  region?: string;
  endpoint?: string;
  /** A tccli profile may name a role to assume with its key (`role-arn`, `role-session-name`). */
  roleArn?: string;
  roleSessionName?: string;
}

export function clean(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

export interface Profile {
  name: string;
  dir: string;
  /** True when a setting named the profile or directory: then a missing file is an error. */
  named: boolean;
}

/** Which tccli profile: `tencentcloud:profile` / TENCENTCLOUD_PROFILE, in `sharedCredentialsDir` (~/.tccli). */
export function profileOf(src: CredentialSources, home: string): Profile {
  const c = src.config ?? {};
  const e = src.env ?? process.env;
  const name = clean(c[CONFIG_KEYS.profile]) ?? clean(e[ENV_KEYS.profile]);
  const dir = clean(c[CONFIG_KEYS.sharedCredentialsDir]) ?? clean(e[ENV_KEYS.sharedCredentialsDir]);
  const expanded = dir?.replace(/^~(?=$|[/\\])/, home);
  return { name: name ?? "default", dir: expanded ?? join(home, ".tccli"), named: !!(name || dir) };
}

function tccliPaths(p: Profile): { credential: string; configure: string } {
  return { credential: join(p.dir, `${p.name}.credential`), configure: join(p.dir, `${p.name}.configure`) };
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

/** The place name of a key pair given to the client in code. */
export const PROVIDER_OPTIONS = "provider options (secretId/secretKey)";

/** The setting that names the endpoint, per inline candidate (options, stack config, environment). */
const ENDPOINT_SETTINGS = ["the endpoint option", CONFIG_KEYS.endpoint, ENV_KEYS.endpoint];

function inlineCandidates(src: CredentialSources): Candidate[] {
  const o = src.options ?? {};
  const c = src.config ?? {};
  const e = src.env ?? process.env;
  return [
    {
      place: PROVIDER_OPTIONS,
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

/** tccli keeps the key pair in <profile>.credential and the region in <profile>.configure's _sys_param. */
function tccliCandidate(profile: Profile): Candidate {
  const paths = tccliPaths(profile);
  const cred = readJson(paths.credential);
  if (!cred.found && profile.named) {
    throw new CredentialsError(`tccli profile "${profile.name}" not found: no file ${paths.credential}`);
  }
  const conf = readJson(paths.configure);
  const sys = conf.value?._sys_param;
  return {
    place: `tccli profile ${paths.credential}`,
    secretId: clean(cred.value?.secretId),
    secretKey: clean(cred.value?.secretKey),
    securityToken: clean(cred.value?.token),
    region: clean(sys && typeof sys === "object" ? (sys as Record<string, unknown>).region : undefined),
    roleArn: clean(cred.value?.["role-arn"]),
    roleSessionName: clean(cred.value?.["role-session-name"]),
  };
}

export function missingMessage(profile: Profile): string {
  const p = tccliPaths(profile);
  return [
    "No Tencent Cloud credentials found (a SecretId and SecretKey are required). Looked, in this order, in:",
    "  1. the provider's options: secretId / secretKey (securityToken for temporary credentials)",
    `  2. Pulumi stack config: ${CONFIG_KEYS.secretId} and ${CONFIG_KEYS.secretKey} ` +
      `(pulumi config set --secret ${CONFIG_KEYS.secretKey} ...), ${CONFIG_KEYS.securityToken}`,
    `  3. environment variables: ${ENV_KEYS.secretId} and ${ENV_KEYS.secretKey} ` +
      `(${ENV_KEYS.securityToken.join(" or ")} for temporary credentials)`,
    `  4. the tccli profile ${p.credential} ` +
      '(JSON {"secretId": ..., "secretKey": ..., "token": ...}, written by `tccli configure`; ' +
      `${CONFIG_KEYS.profile} / ${ENV_KEYS.profile} and ${CONFIG_KEYS.sharedCredentialsDir} choose it)`,
    `Without a key pair: ${CONFIG_KEYS.assumeRoleWithWebIdentity} (OIDC), ${CONFIG_KEYS.camRoleName} ` +
      `(CVM instance role) or TKE pod OIDC (${ENV_KEYS.tkeRoleArn}, ...): see docs/credentials.md.`,
  ].join("\n");
}

/** Loopback hosts: plain http to them never leaves the machine (the emulator, a local proxy). */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export function checkEndpoint(endpoint: string, place: string, setting: string): string {
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

/** Region, endpoint and the key pair if any place has one (`pair` undefined otherwise). */
export interface BaseResolution {
  pair?: Candidate;
  /** The tccli profile's candidate when it was read (its role-arn may be used). */
  profileCandidate?: Candidate;
  profile: Profile;
  region: string;
  regionSource: string;
  endpoint: string;
}

export function resolveBase(src: CredentialSources = {}): BaseResolution {
  const home = src.homeDir ?? homedir();
  const profile = profileOf(src, home);
  const list = inlineCandidates(src);
  // The profile is read only when needed, so a broken one cannot block explicit credentials.
  let profileCandidate: Candidate | undefined;
  if (!list.some((c) => c.secretId || c.secretKey) || !list.some((c) => c.region)) {
    profileCandidate = tccliCandidate(profile);
    list.push(profileCandidate);
  }
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
  const regionFrom = list.find((c) => c.region);
  const endpointFrom = list.find((c) => c.endpoint);
  return {
    pair,
    profileCandidate,
    profile,
    region: regionFrom?.region ?? DEFAULT_REGION,
    regionSource: regionFrom?.place ?? "default",
    endpoint: endpointFrom
      ? checkEndpoint(endpointFrom.endpoint!, endpointFrom.place, ENDPOINT_SETTINGS[list.indexOf(endpointFrom)])
      : endpointFromDomain(src),
  };
}

/**
 * Without an explicit endpoint: Terraform's `protocol` (HTTPS or HTTP) and `domain` (default
 * tencentcloudapi.com), stack config first, then TENCENTCLOUD_PROTOCOL / TENCENTCLOUD_DOMAIN.
 */
function endpointFromDomain(src: CredentialSources): string {
  const c = src.config ?? {};
  const e = src.env ?? process.env;
  const protocol = clean(c[CONFIG_KEYS.protocol]) ?? clean(e[ENV_KEYS.protocol]);
  const domain = clean(c[CONFIG_KEYS.domain]) ?? clean(e[ENV_KEYS.domain]);
  if (protocol === undefined && domain === undefined) return DEFAULT_ENDPOINT;
  const scheme = (protocol ?? "HTTPS").toLowerCase();
  if (scheme !== "https" && scheme !== "http") {
    const setting = `${CONFIG_KEYS.protocol} (${ENV_KEYS.protocol})`;
    throw new CredentialsError(`${setting} must be HTTPS or HTTP, got "${protocol}"`);
  }
  const place = `${CONFIG_KEYS.protocol}/${CONFIG_KEYS.domain} (${ENV_KEYS.protocol}/${ENV_KEYS.domain})`;
  return checkEndpoint(`${scheme}://live.${domain ?? "tencentcloudapi.com"}`, place, place);
}

/** The key pair (an error listing every place when none has one), region and endpoint. */
export function resolveCredentials(src: CredentialSources = {}): ResolvedCredentials {
  const base = resolveBase(src);
  const pair = base.pair;
  if (!pair) throw new CredentialsError(missingMessage(base.profile));
  return {
    secretId: pair.secretId!,
    secretKey: pair.secretKey!,
    securityToken: pair.securityToken,
    region: base.region,
    regionSource: base.regionSource,
    endpoint: base.endpoint,
    source: pair.place,
  };
}
