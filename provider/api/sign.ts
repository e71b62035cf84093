// TC3-HMAC-SHA256 request signing for Tencent Cloud API 3.0. Pure: the caller supplies the clock.
import { createHash, createHmac } from "node:crypto";

export const SIGN_ALGORITHM = "TC3-HMAC-SHA256";
export const CONTENT_TYPE = "application/json; charset=utf-8";
// Only the two headers every SDK signs: an intermediary that rewrites others cannot break us.
export const SIGNED_HEADERS = "content-type;host";

export interface SignInput {
  secretId: string;
  secretKey: string;
  /** Credential-scope service; `live` for CSS. */
  service: string;
  /** Host as sent in the Host header (the port included when the URL has one). */
  host: string;
  action: string;
  /** Unix seconds. */
  timestamp: number;
  /** The exact bytes that go on the wire, as a string (UTF-8 encoded when hashed). */
  body: string;
  version: string;
  region?: string;
  token?: string;
  language?: "zh-CN" | "en-US";
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** The UTC calendar date of a Unix-seconds timestamp, `YYYY-MM-DD` (the credential scope's date). */
export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function canonicalRequest(host: string, body: string): string {
  const headers = `content-type:${CONTENT_TYPE.toLowerCase()}\nhost:${host.trim().toLowerCase()}\n`;
  return ["POST", "/", "", headers, SIGNED_HEADERS, sha256Hex(Buffer.from(body, "utf8"))].join("\n");
}

export function credentialScope(timestamp: number, service: string): string {
  return `${utcDate(timestamp)}/${service}/tc3_request`;
}

export function stringToSign(timestamp: number, service: string, canonical: string): string {
  return [SIGN_ALGORITHM, String(timestamp), credentialScope(timestamp, service), sha256Hex(canonical)].join("\n");
}

export function signature(secretKey: string, timestamp: number, service: string, toSign: string): string {
  const kDate = hmac("TC3" + secretKey, utcDate(timestamp));
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, "tc3_request");
  return createHmac("sha256", kSigning).update(toSign, "utf8").digest("hex");
}

export function authorization(
  input: Pick<SignInput, "secretId" | "secretKey" | "service" | "host" | "timestamp" | "body">,
): string {
  // 1e11 s is the year 5138: anything above is a millisecond clock passed by mistake.
  if (!Number.isInteger(input.timestamp) || input.timestamp <= 0 || input.timestamp >= 1e11) {
    throw new RangeError(`timestamp must be a positive integer of Unix seconds, got ${input.timestamp}`);
  }
  const canonical = canonicalRequest(input.host, input.body);
  const sig = signature(
    input.secretKey,
    input.timestamp,
    input.service,
    stringToSign(input.timestamp, input.service, canonical),
  );
  return (
    `${SIGN_ALGORITHM} Credential=${input.secretId}/${credentialScope(input.timestamp, input.service)}, ` +
    `SignedHeaders=${SIGNED_HEADERS}, Signature=${sig}`
  );
}

/**
 * Every header a signed API 3.0 request carries, except Host (fetch derives it from the URL and the
 * signature covers the same value).
 */
export function signRequest(input: SignInput): Record<string, string> {
  const headers: Record<string, string> = {
    Authorization: authorization(input),
    "Content-Type": CONTENT_TYPE,
    "X-TC-Action": input.action,
    "X-TC-Timestamp": String(input.timestamp),
    "X-TC-Version": input.version,
  };
  if (input.region) headers["X-TC-Region"] = input.region;
  if (input.token) headers["X-TC-Token"] = input.token;
  if (input.language) headers["X-TC-Language"] = input.language;
  return headers;
}
