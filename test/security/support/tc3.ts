// An independent TC3-HMAC-SHA256 signer written from the reference (css-api.md §1), not from our
// client, so the tampering tests can forge requests field by field: every input that the
// signature covers is a parameter here, and `tamper` hooks let a test change the request after
// signing (the case a man in the middle or a buggy proxy produces).
import { createHash, createHmac } from "node:crypto";
import http from "node:http";

export interface SignInput {
  secretId: string;
  secretKey: string;
  action: string;
  body: string | Buffer;
  host: string;
  timestamp: number; // unix seconds
  region?: string;
  token?: string;
  service?: string; // the scope's service; "live" by default
  scopeDate?: string; // the scope's date; the UTC date of `timestamp` by default
  signedHeaders?: string[]; // lower-case names; default content-type;host;x-tc-action
  contentType?: string;
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string | Buffer;
}

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
const hmac = (key: string | Buffer, s: string) => createHmac("sha256", key).update(s).digest();

export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function sign(input: SignInput): SignedRequest {
  const service = input.service ?? "live";
  const date = input.scopeDate ?? utcDate(input.timestamp);
  const contentType = input.contentType ?? "application/json; charset=utf-8";
  const headers: Record<string, string> = {
    "Content-Type": contentType,
    Host: input.host,
    "X-TC-Action": input.action,
    "X-TC-Version": "2018-08-01",
    "X-TC-Timestamp": String(input.timestamp),
    "X-TC-Region": input.region ?? "ap-guangzhou",
  };
  if (input.token !== undefined) headers["X-TC-Token"] = input.token;
  const signed = (input.signedHeaders ?? ["content-type", "host", "x-tc-action"]).slice().sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = signed.map((h) => `${h}:${(lower[h] ?? "").trim().toLowerCase()}\n`).join("");
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, signed.join(";"), sha256(input.body)].join("\n");
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = ["TC3-HMAC-SHA256", String(input.timestamp), scope, sha256(canonicalRequest)].join("\n");
  const kDate = hmac("TC3" + input.secretKey, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, "tc3_request");
  const signature = createHmac("sha256", kSigning).update(stringToSign).digest("hex");
  headers.Authorization =
    `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${signature}`;
  return { headers, body: input.body };
}

/**
 * POSTs a request with exactly these headers. node:http rather than fetch, because fetch owns the
 * Host header and the tests need to send a tampered one.
 */
export function send(url: string, req: SignedRequest): Promise<{ status: number; json: any }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: u.hostname, port: u.port, path: "/", method: "POST", headers: req.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = { unparsable: text };
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}
