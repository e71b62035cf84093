// The few STS (sts 2018-08-13) calls and the CVM metadata read that turn a plan into temporary
// credentials. Signed like CSS calls (sign.ts) with service "sts"; AssumeRoleWithWebIdentity is sent
// unsigned (Authorization "SKIP"), as the API documents and the official SDKs do.
import type { ApiClock } from "./clock";
import { CredentialsError } from "./credentials";
import { CssApiError } from "./errors";
import { CONTENT_TYPE, signRequest } from "./sign";
import { exchange, type FetchLike } from "./transport";

export const STS_SERVICE = "sts";
export const STS_VERSION = "2018-08-13";
const ATTEMPTS = 3;
const SIGNATURE_EXPIRE = "AuthFailure.SignatureExpire";

export interface KeyCredentials {
  secretId: string;
  secretKey: string;
  token?: string;
}

export interface TempCredentials extends KeyCredentials {
  /** When the API stops accepting them (ms, the API's clock); undefined: never (a long-lived key). */
  expiresAtMs?: number;
}

export interface StsDeps {
  endpoint: string;
  region: string;
  clock: ApiClock;
  timeoutMs: number;
  fetch: FetchLike;
  sleep?: (ms: number) => Promise<void>;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One STS action: a few attempts for what is worth another (throttle, 5xx, network), once more signed
 * with the API's time when the answer said our clock is off. `signWith` undefined: unsigned.
 */
export async function stsCall(
  deps: StsDeps,
  action: string,
  params: Record<string, unknown>,
  signWith: KeyCredentials | undefined,
  secrets: string[],
): Promise<Record<string, unknown>> {
  const body = JSON.stringify(params);
  const url = new URL(deps.endpoint);
  let relearned = false;
  for (let attempt = 1; ; attempt++) {
    const timestamp = Math.floor(deps.clock.now() / 1000);
    const headers = signWith
      ? signRequest({
          secretId: signWith.secretId, secretKey: signWith.secretKey, token: signWith.token, service: STS_SERVICE,
          host: url.host, action, timestamp, body, version: STS_VERSION, region: deps.region,
        })
      : {
          Authorization: "SKIP", "Content-Type": CONTENT_TYPE, "X-TC-Action": action,
          "X-TC-Timestamp": String(timestamp), "X-TC-Version": STS_VERSION, "X-TC-Region": deps.region,
        };
    const offset = deps.clock.offsetMs();
    try {
      return await exchange({
        url: `${url.origin}/`, action, headers, body, timeoutMs: deps.timeoutMs, fetch: deps.fetch, secrets,
        onAnswer: (date, sent, got) => deps.clock.observe(date, sent, got),
      });
    } catch (err) {
      if (!(err instanceof CssApiError)) throw err;
      if (err.code === SIGNATURE_EXPIRE && deps.clock.offsetMs() !== offset && !relearned) {
        relearned = true;
        continue;
      }
      if (!err.retryable || attempt >= ATTEMPTS) throw err;
      await (deps.sleep ?? pause)(200 * 2 ** (attempt - 1));
    }
  }
}

/** Credentials from an STS answer (AssumeRole, AssumeRoleWithWebIdentity share the shape). */
export function fromStsAnswer(r: Record<string, unknown>, what: string): TempCredentials {
  const c = r.Credentials as Record<string, unknown> | undefined;
  const id = c?.TmpSecretId;
  const key = c?.TmpSecretKey;
  const token = c?.Token;
  const expired = r.ExpiredTime;
  if (typeof id !== "string" || typeof key !== "string" || typeof token !== "string" || typeof expired !== "number") {
    throw new CredentialsError(
      `${what}: the answer has no Credentials {TmpSecretId, TmpSecretKey, Token} and ExpiredTime`,
    );
  }
  return { secretId: id, secretKey: key, token, expiresAtMs: expired * 1000 };
}

/** The CVM metadata service's credentials for the instance's role (plain GET, link-local, no signature). */
export async function metadataCredentials(
  endpoint: string,
  roleName: string,
  timeoutMs: number,
  fetcher: FetchLike,
): Promise<TempCredentials> {
  const url = `${endpoint}/latest/meta-data/cam/security-credentials/${encodeURIComponent(roleName)}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let status: number;
  let text: string;
  try {
    // FetchLike is POST-shaped for the API; the metadata service is read with GET and no body.
    const res = await (fetcher as unknown as typeof fetch)(url, { method: "GET", signal: controller.signal });
    status = res.status;
    text = await res.text();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new CredentialsError(
      `cannot reach the CVM metadata service at ${endpoint} (${cause}); is this a CVM instance?`,
    );
  } finally {
    clearTimeout(timer);
  }
  if (status !== 200) {
    throw new CredentialsError(
      `the CVM metadata service answered HTTP ${status} for role ${roleName}: is it bound to this instance?`,
    );
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CredentialsError(`the CVM metadata service's answer for role ${roleName} is not JSON`);
  }
  if (json.Code !== "Success") {
    throw new CredentialsError(`the CVM metadata service refused role ${roleName}: Code ${String(json.Code)}`);
  }
  return fromStsAnswer({ Credentials: json, ExpiredTime: json.ExpiredTime }, `CVM role ${roleName}`);
}
