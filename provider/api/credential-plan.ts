// Which credentials a client signs with, decided from settings alone (no I/O but reading the tccli
// profile): a key pair, a CVM instance role, or a role assumed on top of either, or a role assumed
// with a web identity (OIDC) that needs no key at all. The precedence follows the Terraform
// provider's providerConfigure (later steps there override earlier ones; here the first match wins):
//
//   1. tencentcloud:enablePodOidc = true      TKE pod OIDC (TKE_ROLE_ARN, TKE_PROVIDER_ID, ...)
//   2. tencentcloud:assumeRoleWithWebIdentity  OIDC from stack config
//   3. tencentcloud:assumeRole                 AssumeRole with the base credentials
//   4. TENCENTCLOUD_ASSUME_ROLE_ARN (+ _WEB_IDENTITY_TOKEN[_FILE]: OIDC, else AssumeRole on the base)
//   5. the tccli profile's role-arn / role-session-name: AssumeRole with the profile's key
//   6. the base credentials: tencentcloud:camRoleName / TENCENTCLOUD_CAM_ROLE_NAME (CVM role), else
//      the key pair (options, stack config, environment, tccli profile: credentials.ts)
//   7. nothing else found and every TKE_* variable set: TKE pod OIDC (as the official SDKs' chain)
//
// Plans hold the values they need (keys, tokens, an MFA code) and live only inside a client's
// private fields.
import { readRoleArnFile } from "./credential-files";
import {
  CONFIG_KEYS,
  CredentialsError,
  type CredentialSources,
  ENV_KEYS,
  checkEndpoint,
  clean,
  missingMessage,
  PROVIDER_OPTIONS,
  resolveBase,
} from "./credentials";

export const DEFAULT_STS_ENDPOINT = "https://sts.tencentcloudapi.com";
export const DEFAULT_METADATA_ENDPOINT = "http://metadata.tencentyun.com";
export const DEFAULT_SESSION_DURATION = 7200;
export const MAX_SESSION_DURATION = 43200;
/** Used when no session name is given (the API requires one; the Terraform provider makes you set it). */
export const DEFAULT_SESSION_NAME = "pulumi-css-pull-tasks";
export const DEFAULT_PROVIDER_ID = "OIDC";

export type BasePlan =
  | { kind: "keys"; secretId: string; secretKey: string; token?: string; source: string }
  | { kind: "cvm"; roleName: string; metadataEndpoint: string; source: string };

export interface AssumeRolePlan {
  kind: "assumeRole";
  base: BasePlan;
  roleArn: string;
  sessionName: string;
  duration: number;
  policy?: string;
  externalId?: string;
  /** AssumeRole's SourceIdentity (the caller's identity, a UIN: the API's model). */
  sourceIdentity?: string;
  /** MFA: the device (qcs::cam:uin/<uin>::mfa/softToken) and the code it shows now. */
  serialNumber?: string;
  tokenCode?: string;
  source: string;
}

export interface WebIdentityPlan {
  kind: "webIdentity";
  roleArn: string;
  sessionName: string;
  duration: number;
  providerId: string;
  /** The token itself, or the file it is read from at every exchange (projected tokens rotate). */
  token?: string;
  tokenFile?: string;
  /** X-TC-Region of the STS call (TKE_REGION); default the client's region. */
  region?: string;
  source: string;
}

export type CredentialPlan = BasePlan | AssumeRolePlan | WebIdentityPlan;

export interface Plan {
  credentials: CredentialPlan;
  region: string;
  regionSource: string;
  endpoint: string;
  stsEndpoint: string;
  /** Empty: no guard. */
  allowedAccountIds: string[];
}

type Bag = Record<string, unknown>;

function parseObject(text: string | undefined, key: string, fields: readonly string[]): Bag | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new CredentialsError(`${key} must be an object {${fields.join(", ")}}, got text that is not JSON`);
  }
  if (v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new CredentialsError(`${key} must be an object {${fields.join(", ")}}`);
  }
  const unknown = Object.keys(v).filter((k) => !fields.includes(k));
  if (unknown.length) {
    throw new CredentialsError(`${key} has unknown field ${unknown.join(", ")} (known: ${fields.join(", ")})`);
  }
  return v as Bag;
}

function field(o: Bag, name: string, key: string): string | undefined {
  const v = o[name];
  if (v === undefined || v === null || v === "") return undefined;
  // `pulumi config set --path` stores digits as a number (an MFA code, a UIN): its digits are meant
  // (a leading 0 keeps it a string: config/object.go coerce).
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v !== "string") throw new CredentialsError(`${key}.${name} must be a string`);
  return v.trim() || undefined;
}

/** 0 or unset: the API's default, 7200 s. */
export function parseDuration(v: unknown, setting: string): number {
  if (v === undefined || v === null || v === "") return DEFAULT_SESSION_DURATION;
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > MAX_SESSION_DURATION) {
    throw new CredentialsError(`${setting} must be a whole number of seconds from 0 to ${MAX_SESSION_DURATION}`);
  }
  return n === 0 ? DEFAULT_SESSION_DURATION : n;
}

function required(v: string | undefined, setting: string, what: string): string {
  if (!v) throw new CredentialsError(`${setting} needs ${what}`);
  return v;
}

// The Terraform provider's assume_role and assume_role_with_web_identity fields, camelCased.
export const ASSUME_ROLE_FIELDS = [
  "roleArn", "sessionName", "sessionDuration", "policy", "externalId", "sourceIdentity", "serialNumber", "tokenCode",
] as const;
export const WEB_IDENTITY_FIELDS = [
  "providerId", "webIdentityToken", "webIdentityTokenFile", "roleArn", "roleArnFile", "sessionName",
  "sessionDuration",
] as const;

/** `tencentcloud:allowedAccountIds`: a JSON list (stack config list) or comma-separated text. */
export function parseAccountIds(text: string | undefined): string[] {
  if (text === undefined || text.trim() === "") return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    list = text.split(",");
  }
  if (!Array.isArray(list)) list = [list];
  return (list as unknown[]).map((v) => {
    const s = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
    if (!/^\d{1,20}$/.test(s)) {
      throw new CredentialsError(`${CONFIG_KEYS.allowedAccountIds} must list account ids (UINs, digits only)`);
    }
    return s;
  });
}

function basePlan(src: CredentialSources, base: ReturnType<typeof resolveBase>): BasePlan | undefined {
  const c = src.config ?? {};
  const e = src.env ?? process.env;
  const cam = clean(c[CONFIG_KEYS.camRoleName]) ?? clean(e[ENV_KEYS.camRoleName]);
  if (cam) {
    const place = clean(c[CONFIG_KEYS.camRoleName]) ? CONFIG_KEYS.camRoleName : ENV_KEYS.camRoleName;
    const metadataEndpoint = (clean(e[ENV_KEYS.metadataEndpoint]) ?? DEFAULT_METADATA_ENDPOINT).replace(/\/+$/, "");
    return { kind: "cvm", roleName: cam, metadataEndpoint, source: `CVM instance role (${place})` };
  }
  const p = base.pair;
  if (!p) return undefined;
  return { kind: "keys", secretId: p.secretId!, secretKey: p.secretKey!, token: p.securityToken, source: p.place };
}

function tkePlan(e: Record<string, string | undefined>, why: string): WebIdentityPlan {
  const names = [ENV_KEYS.tkeRegion, ENV_KEYS.tkeTokenFile, ENV_KEYS.tkeProviderId, ENV_KEYS.tkeRoleArn];
  const missing = names.filter((n) => !clean(e[n]));
  if (missing.length) {
    throw new CredentialsError(`${why} needs ${missing.join(", ")} (set by TKE for a pod with a service account)`);
  }
  return {
    kind: "webIdentity",
    roleArn: clean(e[ENV_KEYS.tkeRoleArn])!,
    providerId: clean(e[ENV_KEYS.tkeProviderId])!,
    tokenFile: clean(e[ENV_KEYS.tkeTokenFile])!,
    region: clean(e[ENV_KEYS.tkeRegion])!,
    sessionName: DEFAULT_SESSION_NAME,
    duration: DEFAULT_SESSION_DURATION,
    source: `TKE pod OIDC (${names.join(", ")})`,
  };
}

function hasTke(e: Record<string, string | undefined>): boolean {
  const names = [ENV_KEYS.tkeRegion, ENV_KEYS.tkeTokenFile, ENV_KEYS.tkeProviderId, ENV_KEYS.tkeRoleArn];
  return names.every((n) => clean(e[n]));
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && /^(true|1|yes)$/i.test(v.trim());
}

/** Decides the credentials, region and endpoints. Throws CredentialsError naming the setting at fault. */
export function planCredentials(src: CredentialSources = {}): Plan {
  const c = src.config ?? {};
  const e = src.env ?? process.env;
  const base = resolveBase(src);
  const stsSetting = clean(c[CONFIG_KEYS.stsEndpoint]) ? CONFIG_KEYS.stsEndpoint : ENV_KEYS.stsEndpoint;
  const stsText = clean(c[CONFIG_KEYS.stsEndpoint]) ?? clean(e[ENV_KEYS.stsEndpoint]);
  const common = {
    region: base.region,
    regionSource: base.regionSource,
    endpoint: base.endpoint,
    stsEndpoint: stsText ? checkEndpoint(stsText, stsSetting, stsSetting) : DEFAULT_STS_ENDPOINT,
    allowedAccountIds: parseAccountIds(c[CONFIG_KEYS.allowedAccountIds]),
  };
  const plan = (credentials: CredentialPlan): Plan => ({ ...common, credentials });
  const needBase = (why: string): BasePlan => {
    const b = basePlan(src, base);
    if (!b) {
      throw new CredentialsError(
        `${why} assumes the role with a key pair or CVM role, and none was found.\n${missingMessage(base.profile)}`,
      );
    }
    return b;
  };

  // A key pair handed to the client in code (tests, tools) is meant as is: no setting outranks it.
  const p = base.pair;
  if (p && p.place === PROVIDER_OPTIONS) {
    const keys = { secretId: p.secretId!, secretKey: p.secretKey!, token: p.securityToken };
    return plan({ kind: "keys", ...keys, source: p.place });
  }
  if (isTrue(c[CONFIG_KEYS.enablePodOidc])) return plan(tkePlan(e, `${CONFIG_KEYS.enablePodOidc}`));

  const wiKey = CONFIG_KEYS.assumeRoleWithWebIdentity;
  const wi = parseObject(c[wiKey], wiKey, WEB_IDENTITY_FIELDS);
  if (wi) {
    const token = field(wi, "webIdentityToken", wiKey);
    const tokenFile = field(wi, "webIdentityTokenFile", wiKey);
    if (!token && !tokenFile) throw new CredentialsError(`${wiKey} needs webIdentityToken or webIdentityTokenFile`);
    // As the Terraform provider: roleArn first, else the file (read now: the role keys per-account state).
    const arnFile = field(wi, "roleArnFile", wiKey);
    const roleArn = field(wi, "roleArn", wiKey) ?? (arnFile && readRoleArnFile(arnFile, `${wiKey}.roleArnFile`));
    return plan({
      kind: "webIdentity",
      roleArn: required(roleArn, wiKey, "roleArn or roleArnFile"),
      sessionName: field(wi, "sessionName", wiKey) ?? DEFAULT_SESSION_NAME,
      duration: parseDuration(wi.sessionDuration, `${wiKey}.sessionDuration`),
      providerId: field(wi, "providerId", wiKey) ?? DEFAULT_PROVIDER_ID,
      token,
      tokenFile: token ? undefined : tokenFile,
      source: `stack config (${wiKey})`,
    });
  }

  const arKey = CONFIG_KEYS.assumeRole;
  const ar = parseObject(c[arKey], arKey, ASSUME_ROLE_FIELDS);
  if (ar) {
    return plan({
      kind: "assumeRole",
      base: needBase(arKey),
      roleArn: required(field(ar, "roleArn", arKey), arKey, "roleArn"),
      sessionName: field(ar, "sessionName", arKey) ?? DEFAULT_SESSION_NAME,
      duration: parseDuration(ar.sessionDuration, `${arKey}.sessionDuration`),
      policy: field(ar, "policy", arKey),
      externalId: field(ar, "externalId", arKey),
      sourceIdentity: field(ar, "sourceIdentity", arKey),
      serialNumber: field(ar, "serialNumber", arKey),
      tokenCode: field(ar, "tokenCode", arKey),
      source: `stack config (${arKey})`,
    });
  }

  const envArn = clean(e[ENV_KEYS.roleArn]);
  if (envArn) {
    const sessionName = clean(e[ENV_KEYS.sessionName]) ?? DEFAULT_SESSION_NAME;
    const duration = parseDuration(clean(e[ENV_KEYS.sessionDuration]), ENV_KEYS.sessionDuration);
    const token = clean(e[ENV_KEYS.webIdentityToken]);
    const tokenFile = clean(e[ENV_KEYS.webIdentityTokenFile]);
    if (token || tokenFile) {
      return plan({
        kind: "webIdentity",
        roleArn: envArn,
        sessionName,
        duration,
        providerId: clean(e[ENV_KEYS.providerId]) ?? DEFAULT_PROVIDER_ID,
        token,
        tokenFile: token ? undefined : tokenFile,
        source: `environment (${ENV_KEYS.roleArn}, ` +
          `${token ? ENV_KEYS.webIdentityToken : ENV_KEYS.webIdentityTokenFile})`,
      });
    }
    return plan({
      kind: "assumeRole",
      base: needBase(ENV_KEYS.roleArn),
      roleArn: envArn,
      sessionName,
      duration,
      externalId: clean(e[ENV_KEYS.externalId]),
      sourceIdentity: clean(e[ENV_KEYS.sourceIdentity]),
      serialNumber: clean(e[ENV_KEYS.serialNumber]),
      tokenCode: clean(e[ENV_KEYS.tokenCode]),
      source: `environment (${ENV_KEYS.roleArn})`,
    });
  }

  const b = basePlan(src, base);
  const prof = base.profileCandidate;
  if (b?.kind === "keys" && prof && b.source === prof.place && prof.roleArn) {
    return plan({
      kind: "assumeRole",
      base: b,
      roleArn: prof.roleArn,
      sessionName: prof.roleSessionName ?? DEFAULT_SESSION_NAME,
      duration: DEFAULT_SESSION_DURATION,
      source: `${prof.place} (role-arn)`,
    });
  }
  if (b) return plan(b);
  if (hasTke(e)) return plan(tkePlan(e, "TKE pod OIDC"));
  throw new CredentialsError(missingMessage(base.profile));
}
