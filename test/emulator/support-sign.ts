// Signed requests and an HTTP caller for the emulator's tests, written from Tencent's
// signing documentation (css-api.md §1), independent of provider/api.
import { request } from "node:http";
import { sign } from "../security/support/tc3";

export const SECRET_ID = "AKIDEMULATOR";
export const SECRET_KEY = "emulator-secret-key";
export const VERSION = "2018-08-01";

export interface SignOptions {
  secretId?: string;
  secretKey?: string;
  /** unix seconds; default: now */
  timestamp?: number;
  /** scope service; default "live" */
  service?: string;
  /** scope date; default: UTC date of timestamp */
  date?: string;
  region?: string;
  version?: string;
  token?: string;
  contentType?: string;
  /** Host header value to send and sign; default from the URL */
  host?: string;
  /** sign x-tc-action too (default true); the official SDK signs only content-type;host */
  signAction?: boolean;
  /** extra headers, sent but not signed */
  extraHeaders?: Record<string, string>;
}

/**
 * Returns all headers to send for a POST / of `body`. Signed: content-type;host;x-tc-action (or
 * content-type;host, as the official SDK does). The signing itself is the test suite's one
 * independent TC3 signer (test/security/support/tc3.ts), written from the reference, not from
 * provider/api.
 */
export function signedHeaders(action: string, body: Buffer | string, host: string, o: SignOptions = {}): Record<string, string> {
  const { headers } = sign({
    secretId: o.secretId ?? SECRET_ID,
    secretKey: o.secretKey ?? SECRET_KEY,
    action,
    body,
    host,
    timestamp: o.timestamp ?? Math.floor(Date.now() / 1000),
    region: o.region,
    token: o.token,
    service: o.service,
    scopeDate: o.date,
    signedHeaders: (o.signAction ?? true) ? ["content-type", "host", "x-tc-action"] : ["content-type", "host"],
    contentType: o.contentType,
  });
  // X-TC-Version is not signed: a test may send any version with a valid signature.
  return { ...headers, "X-TC-Version": o.version ?? VERSION, ...(o.extraHeaders ?? {}) };
}

export interface RawResponse {
  status: number;
  text: string;
  json: any;
}

/** POST with exactly these headers and bytes (node:http, so Host is sent as given). */
export function rawPost(
  url: string,
  headers: Record<string, string>,
  body: Buffer | string,
  path = "/",
  method = "POST",
  timeoutMs?: number,
): Promise<RawResponse> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path, method, headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (timeoutMs !== undefined) req.setTimeout(timeoutMs, () => req.destroy(new Error("client timeout")));
    req.end(body);
  });
}

/** Signs and sends one action; resolves to the parsed `Response` object (success or Error). */
export async function call(url: string, action: string, params: unknown, o: SignOptions & { timeoutMs?: number } = {}): Promise<any> {
  const body = typeof params === "string" ? params : JSON.stringify(params);
  const host = o.host ?? new URL(url).host;
  const r = await rawPost(url, signedHeaders(action, body, host, o), body, "/", "POST", o.timeoutMs);
  if (r.status !== 200 || !r.json?.Response) throw new Error(`HTTP ${r.status}: ${r.text.slice(0, 200)}`);
  return r.json.Response;
}

/** The error code of a Response, or "OK". */
export function codeOf(resp: any): string {
  return resp?.Error?.Code ?? "OK";
}

export async function inspect(url: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${url}/_emulator/${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  return r.json();
}
