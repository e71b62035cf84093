// TC3-HMAC-SHA256 verification over the request exactly as received. We never rebuild the request
// from what we think a client should have sent: the SignedHeaders, the Host header and the credential
// scope all come from the wire, so any well-behaved signer (ours, the official SDK) is accepted and
// any change to a signed byte is caught.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { ErrorCode, fail } from "./errors";

export interface Credential {
  secretId: string;
  secretKey: string;
  /** Set for temporary (STS) keys: X-TC-Token must carry it. */
  token?: string;
  /** Temporary keys stop working at this time (ms, the emulator's clock): AuthFailure.TokenFailure. */
  expiresAtMs?: number;
}

export interface SignedRequest {
  method: string;
  /** Raw query string without "?" ("" for Tencent's POST /). */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Tencent refuses timestamps more than five minutes away from its clock. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
const ALGORITHM = "TC3-HMAC-SHA256";
const AUTH_PATTERN = new RegExp(
  /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/([^/\s,]+), ?/.source +
    /SignedHeaders=([a-z0-9;._-]+), ?Signature=([0-9a-f]{64})$/.source,
);

interface ParsedAuthorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(value: string | undefined): ParsedAuthorization {
  if (!value) fail(ErrorCode.InvalidAuthorization, "Authorization header is missing");
  const m = AUTH_PATTERN.exec(value.trim());
  if (!m) {
    fail(
      ErrorCode.InvalidAuthorization,
      `Authorization header is malformed: expected "${ALGORITHM} Credential=<SecretId>/<date>/<service>/tc3_request, ` +
        'SignedHeaders=<names>, Signature=<hex>"',
    );
  }
  const [, secretId, date, service, terminator, signed, signature] = m;
  if (terminator !== "tc3_request") {
    fail(ErrorCode.InvalidAuthorization, `Authorization credential scope must end with tc3_request, got ${terminator}`);
  }
  const signedHeaders = signed.split(";");
  for (const required of ["content-type", "host"]) {
    if (!signedHeaders.includes(required)) {
      fail(ErrorCode.InvalidAuthorization, `Authorization SignedHeaders must include ${required}`);
    }
  }
  return { secretId, date, service, signedHeaders, signature };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

export function computeSignature(
  req: SignedRequest,
  signedHeaders: string[],
  hostValue: string,
  secretKey: string,
  timestamp: string,
  date: string,
  service: string,
): string {
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const raw = name === "host" ? hostValue : headerValue(req.headers, name) ?? "";
      return `${name}:${raw.trim().toLowerCase()}\n`;
    })
    .join("");
  const canonicalRequest = [
    req.method.toUpperCase(),
    "/",
    req.query,
    canonicalHeaders,
    signedHeaders.join(";"),
    sha256Hex(req.body),
  ].join("\n");
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = [ALGORITHM, timestamp, scope, sha256Hex(canonicalRequest)].join("\n");
  const kDate = hmac("TC3" + secretKey, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, "tc3_request");
  return createHmac("sha256", kSigning).update(stringToSign, "utf8").digest("hex");
}

function sameHex(a: string, b: string): boolean {
  const ba = Buffer.from(a, "hex");
  const bb = Buffer.from(b, "hex");
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/**
 * Verifies the request and returns the SecretId it was signed with.
 * `nowSeconds` is the emulator's clock, so time rules can be tested with a fixed clock.
 */
export function verifyRequest(
  req: SignedRequest,
  lookup: (secretId: string) => Credential | undefined,
  nowSeconds: number,
  /** The credential scope's service: `live` for CSS, `sts` for STS. */
  service = "live",
): Credential {
  const auth = parseAuthorization(headerValue(req.headers, "authorization"));
  const credential = lookup(auth.secretId);
  if (!credential) fail(ErrorCode.SecretIdNotFound, `SecretId ${auth.secretId} is not known to this emulator`);

  const timestamp = headerValue(req.headers, "x-tc-timestamp");
  if (timestamp === undefined || timestamp === "") fail(ErrorCode.MissingParameter, "X-TC-Timestamp header is missing");
  if (!/^\d{1,12}$/.test(timestamp)) {
    fail(ErrorCode.InvalidParameterValue, `X-TC-Timestamp must be unix seconds, got ${JSON.stringify(timestamp)}`);
  }
  const ts = Number(timestamp);
  if (Math.abs(nowSeconds - ts) > MAX_CLOCK_SKEW_SECONDS) {
    fail(
      ErrorCode.SignatureExpire,
      `X-TC-Timestamp ${ts} is more than ${MAX_CLOCK_SKEW_SECONDS} s away from server time ${Math.floor(nowSeconds)}`,
    );
  }
  if (auth.date !== utcDate(ts)) {
    fail(
      ErrorCode.SignatureFailure,
      `credential scope date ${auth.date} is not the UTC date of X-TC-Timestamp (${utcDate(ts)})`,
    );
  }

  const host = headerValue(req.headers, "host") ?? "";
  const hostName = host.replace(/:\d+$/, "");
  // The official SDK signs service "live" for live.tencentcloudapi.com, and the first label of
  // whatever endpoint it was pointed at ("127" for 127.0.0.1).
  const services = new Set([service, hostName.split(".")[0]]);
  if (!services.has(auth.service)) {
    fail(ErrorCode.SignatureFailure, `credential scope service ${auth.service} is not ${service}`);
  }
  // The official SDK signs the host name without the port it sends; accept either reading.
  const hostCandidates = host === hostName ? [host] : [host, hostName];
  const matched = hostCandidates.some((h) =>
    sameHex(
      computeSignature(req, auth.signedHeaders, h, credential.secretKey, timestamp, auth.date, auth.service),
      auth.signature,
    ),
  );
  if (!matched) {
    fail(
      ErrorCode.SignatureFailure,
      "signature does not match the request (wrong key, or a signed header or the body changed)",
    );
  }

  if (credential.token !== undefined) {
    const token = headerValue(req.headers, "x-tc-token");
    if (!token) fail(ErrorCode.TokenFailure, `X-TC-Token is required for temporary SecretId ${credential.secretId}`);
    if (token !== credential.token) {
      fail(ErrorCode.TokenFailure, `X-TC-Token does not belong to SecretId ${credential.secretId}`);
    }
  }
  if (credential.expiresAtMs !== undefined && nowSeconds * 1000 >= credential.expiresAtMs) {
    fail(ErrorCode.TokenFailure, `the token of temporary SecretId ${credential.secretId} has expired`);
  }
  return credential;
}
