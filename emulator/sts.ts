// STS (sts 2018-08-13) on the emulator's port, told apart from CSS by X-TC-Version / X-TC-Action:
// AssumeRole (signed with a known key), AssumeRoleWithWebIdentity (unsigned, Authorization "SKIP",
// as the API documents; the token must be one given by --oidc-token) and GetCallerIdentity. Temporary
// credentials it issues expire after DurationSeconds on the emulator's clock; CSS and STS calls signed
// with one after that get AuthFailure.TokenFailure (auth.ts). Also the CVM metadata answer
// (metadata.ts) draws its credentials from here. AssumeRole takes SourceIdentity and MFA
// (SerialNumber, TokenCode): a role named by --mfa-role is assumed only with the account's softToken
// device and a code it shows now (--mfa-code); a wrong or missing one is FailedOperation.CheckMFAError,
// another device type FailedOperation.MFATypeNotSupported (the codes AssumeRole documents).
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { type Credential, verifyRequest } from "./auth";
import { ErrorCode, fail } from "./errors";

export const STS_VERSION = "2018-08-13";
export const STS_ACTIONS = ["AssumeRole", "AssumeRoleWithWebIdentity", "GetCallerIdentity"] as const;
/** The main account's UIN when none is given (`--account-uin`). */
export const DEFAULT_ACCOUNT_UIN = "100000000001";
/** AssumeRole's documented default and upper bound of DurationSeconds. */
export const DEFAULT_DURATION_SECONDS = 7200;
export const MAX_DURATION_SECONDS = 43200;
const ROLE_ARN = /^qcs::cam::uin\/(\d+):roleName\/([\w+=,.@-]{1,128})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;
/** SerialNumber's documented format, qcs::cam:uin/${ownerUin}::mfa/${mfaType}; softToken the one type. */
const MFA_SERIAL = /^qcs::cam:uin\/(\d+)::mfa\/(\w+)$/;
const MFA_TYPE = "softToken";

export interface StsOptions {
  accountUin?: string;
  /** Web identity tokens AssumeRoleWithWebIdentity accepts. */
  oidcTokens?: string[];
  /** Roles the metadata service hands credentials for (CVM instance roles). */
  camRoles?: string[];
  /** Roles whose trust policy asks for MFA: AssumeRole of them needs SerialNumber and TokenCode. */
  mfaRoles?: string[];
  /** The codes the account's softToken MFA device accepts now (a real one shows a new code every 30 s). */
  mfaCodes?: string[];
}

/** One issued set of temporary credentials: a Credential the signature check accepts until it expires. */
interface Issued extends Credential {
  token: string;
  expiresAtMs: number;
  /** `qcs::cam::uin/<uin>:roleName/<name>/<session>` for GetCallerIdentity. */
  arn: string;
}

export interface TempCredentials {
  Credentials: { Token: string; TmpSecretId: string; TmpSecretKey: string };
  ExpiredTime: number;
  Expiration: string;
}

export class StsState {
  readonly accountUin: string;
  oidcTokens: Set<string>;
  readonly camRoles: Set<string>;
  readonly mfaRoles: Set<string>;
  mfaCodes: Set<string>;
  private readonly issued = new Map<string, Issued>();
  /** Issued per action (and "metadata"), for tests. */
  readonly counts: Record<string, number> = {};

  constructor(o: StsOptions = {}) {
    this.accountUin = o.accountUin ?? DEFAULT_ACCOUNT_UIN;
    if (!/^\d{1,20}$/.test(this.accountUin)) throw new Error(`accountUin must be digits, got ${this.accountUin}`);
    this.oidcTokens = new Set(o.oidcTokens ?? []);
    this.camRoles = new Set(o.camRoles ?? []);
    this.mfaRoles = new Set(o.mfaRoles ?? []);
    this.mfaCodes = new Set(o.mfaCodes ?? []);
  }

  /** The MFA device's serial number, as SerialNumber names it. */
  get mfaSerialNumber(): string {
    return `qcs::cam:uin/${this.accountUin}::mfa/${MFA_TYPE}`;
  }

  credential(secretId: string): Credential | undefined {
    return this.issued.get(secretId);
  }

  /** With the emulator's reset: counts go, issued credentials stay valid until they expire. */
  resetCounts(): void {
    for (const k of Object.keys(this.counts)) delete this.counts[k];
  }

  /** New temporary credentials for `roleName`, valid `seconds` from `nowMs`. */
  issue(roleName: string, session: string, seconds: number, nowMs: number, via: string): TempCredentials {
    this.counts[via] = (this.counts[via] ?? 0) + 1;
    const secretId = `AKIDTMP${randomBytes(12).toString("hex")}`;
    const expiresAtMs = Math.floor(nowMs / 1000) * 1000 + seconds * 1000;
    const cred: Issued = {
      secretId,
      secretKey: randomBytes(24).toString("base64url"),
      token: randomBytes(48).toString("base64url"),
      expiresAtMs,
      arn: `qcs::cam::uin/${this.accountUin}:roleName/${roleName}/${session}`,
    };
    this.issued.set(secretId, cred);
    return {
      Credentials: { Token: cred.token, TmpSecretId: cred.secretId, TmpSecretKey: cred.secretKey },
      ExpiredTime: expiresAtMs / 1000,
      Expiration: new Date(expiresAtMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
    };
  }

  /** Every temporary SecretKey and token issued: for tests proving none of them leaks. */
  secrets(): string[] {
    return [...this.issued.values()].flatMap((c) => [c.secretKey, c.token]);
  }

  arnOf(secretId: string): string | undefined {
    return this.issued.get(secretId)?.arn;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** STS and CSS share the port: the version names the service (or, without one, the action). */
export function isStsRequest(req: IncomingMessage): boolean {
  const version = header(req, "x-tc-version");
  if (version !== undefined) return version === STS_VERSION;
  return (STS_ACTIONS as readonly string[]).includes(header(req, "x-tc-action") ?? "");
}

function str(params: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = params[name];
  if (v === undefined || v === null) {
    if (required) fail(ErrorCode.MissingParameter, `${name} is required`);
    return undefined;
  }
  if (typeof v !== "string" || v === "") fail(ErrorCode.InvalidParameterValue, `${name} must be a non-empty string`);
  return v;
}

function duration(params: Record<string, unknown>): number {
  const v = params.DurationSeconds;
  if (v === undefined || v === null) return DEFAULT_DURATION_SECONDS;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_DURATION_SECONDS) {
    fail(ErrorCode.InvalidParameterValue, `DurationSeconds must be a whole number from 0 to ${MAX_DURATION_SECONDS}`);
  }
  // 0 is "not given" to the API (the Terraform provider sends it so): the default applies.
  return v === 0 ? DEFAULT_DURATION_SECONDS : v;
}

/** The role's name, after checking the ARN names a role of this account. */
function roleName(sts: StsState, arn: string): string {
  const m = ROLE_ARN.exec(arn);
  if (!m) fail(ErrorCode.InvalidParameterValue, "RoleArn must be qcs::cam::uin/<uin>:roleName/<name>");
  if (m[1] !== sts.accountUin) fail(ErrorCode.RoleNotExist, `role ${m[2]} does not exist in account ${m[1]}`);
  return m[2];
}

function session(params: Record<string, unknown>): string {
  const name = str(params, "RoleSessionName", true)!;
  if (!SESSION_NAME.test(name)) {
    fail(ErrorCode.InvalidParameterValue, "RoleSessionName must be 2 to 128 characters of [\\w+=,.@-]");
  }
  return name;
}

function parseBody(body: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    fail(ErrorCode.InvalidParameter, "request body is not valid JSON");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    fail(ErrorCode.InvalidParameter, "body must be an object");
  }
  return v as Record<string, unknown>;
}

export interface StsRequest {
  req: IncomingMessage;
  body: Buffer;
  nowMs: number;
  lookup: (secretId: string) => Credential | undefined;
}

/** The `Response` object (without RequestId) of one STS call; failures throw EmulatorError. */
export function handleSts(sts: StsState, r: StsRequest): Record<string, unknown> {
  const action = header(r.req, "x-tc-action") ?? "";
  if (!(STS_ACTIONS as readonly string[]).includes(action)) {
    fail(ErrorCode.InvalidAction, `action ${action || "(none)"} does not exist in sts ${STS_VERSION}`);
  }
  const query = (r.req.url ?? "").includes("?") ? (r.req.url ?? "").slice((r.req.url ?? "").indexOf("?") + 1) : "";
  const verify = (): Credential =>
    verifyRequest({ method: r.req.method ?? "POST", query, headers: r.req.headers, body: r.body }, r.lookup,
      r.nowMs / 1000, "sts");
  if (action === "AssumeRoleWithWebIdentity") {
    // Documented as sent unsigned: the web identity token is the proof.
    if (header(r.req, "authorization") !== "SKIP") {
      fail(ErrorCode.InvalidAuthorization, 'AssumeRoleWithWebIdentity is sent unsigned, with Authorization "SKIP"');
    }
    const p = parseBody(r.body);
    str(p, "ProviderId", true);
    const token = str(p, "WebIdentityToken", true)!;
    const role = roleName(sts, str(p, "RoleArn", true)!);
    const name = session(p);
    const seconds = duration(p);
    if (!sts.oidcTokens.has(token)) fail(ErrorCode.WebIdentityTokenError, "WebIdentityToken is not valid");
    return { ...sts.issue(role, name, seconds, r.nowMs, action) };
  }
  const caller = verify();
  const p = parseBody(r.body);
  if (action === "GetCallerIdentity") {
    const arn = sts.arnOf(caller.secretId);
    const uin = sts.accountUin;
    return arn
      ? { Arn: arn, AccountId: uin, UserId: arn.split(":roleName/")[1], PrincipalId: uin, Type: "CAMRole" }
      : { Arn: `qcs::cam::uin/${uin}:uin/${uin}`, AccountId: uin, UserId: uin, PrincipalId: uin, Type: "CAMUser" };
  }
  const role = roleName(sts, str(p, "RoleArn", true)!);
  const name = session(p);
  const seconds = duration(p);
  str(p, "Policy", false);
  str(p, "ExternalId", false);
  str(p, "SourceIdentity", false);
  checkMfa(sts, role, str(p, "SerialNumber", false), str(p, "TokenCode", false));
  return { ...sts.issue(role, name, seconds, r.nowMs, action) };
}

/** AssumeRole's MFA: required for the --mfa-role roles, checked whenever given. The code is never echoed. */
function checkMfa(sts: StsState, role: string, serial: string | undefined, code: string | undefined): void {
  if (serial === undefined && code === undefined) {
    if (sts.mfaRoles.has(role)) fail(ErrorCode.CheckMFAError, `role ${role} requires MFA: SerialNumber and TokenCode`);
    return;
  }
  if (serial === undefined || code === undefined) {
    fail(ErrorCode.CheckMFAError, "MFA needs both SerialNumber and TokenCode");
  }
  const m = MFA_SERIAL.exec(serial);
  if (!m) fail(ErrorCode.CheckMFAError, "SerialNumber must be qcs::cam:uin/<ownerUin>::mfa/<mfaType>");
  if (m[2] !== MFA_TYPE) fail(ErrorCode.MFATypeNotSupported, `MFA type ${m[2]} is not supported (only ${MFA_TYPE})`);
  if (m[1] !== sts.accountUin) fail(ErrorCode.CheckMFAError, `no MFA device ${serial}`);
  if (!sts.mfaCodes.has(code)) fail(ErrorCode.CheckMFAError, "the MFA TokenCode is not valid");
}
