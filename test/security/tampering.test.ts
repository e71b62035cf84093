// A generated set of tampered signed requests: each signed header changed, body bytes flipped, a
// wrong date or service in the scope, timestamps beyond ±5 min, wrong SecretIds, a temporary key
// without (or with the wrong) token. The emulator must reject 100% with the right AuthFailure code,
// and nothing may be applied. Then our client: an auth failure is reported clearly and never retried.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startEmulator } from "../../emulator";
import { CssClient } from "../../provider/api/client";
import { CssApiError } from "../../provider/api/errors";
import { send, sign, utcDate, type SignInput, type SignedRequest } from "./support/tc3";
import { callCounts, emulatorTasks } from "../../harness/inspect";

const KEY = { secretId: "AKIDTAMPER", secretKey: "tamper-secret-key" };
const TEMP = { secretId: "AKIDTEMP", secretKey: "temp-secret-key", token: "temp-session-token-123" };
const ALL_SIGNED = ["content-type", "host", "x-tc-action", "x-tc-region", "x-tc-timestamp", "x-tc-version"];

let emu: { url: string; close(): Promise<void> };
let host: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, secretId: KEY.secretId, secretKey: KEY.secretKey, tempCredentials: [TEMP], rateScale: 1000 });
  host = new URL(emu.url).host;
});
afterAll(async () => emu?.close());

const now = () => Math.floor(Date.now() / 1000);
/** A Create body that would succeed if the signature were right: a rejection is the signature's doing. */
function createBody(stream: string): string {
  const start = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const end = new Date(Date.now() + 2 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return JSON.stringify({
    SourceType: "PullLivePushLive", SourceUrls: ["https://src.example.com/live/a.flv"],
    DomainName: "push.example.com", AppName: "live", StreamName: stream,
    StartTime: start, EndTime: end, Operator: "tamper-test",
  });
}
function base(stream: string, over: Partial<SignInput> = {}): SignInput {
  return { ...KEY, action: "CreateLivePullStreamTask", body: createBody(stream), host, timestamp: now(), signedHeaders: ALL_SIGNED, ...over };
}

interface Case { name: string; req: SignedRequest; code: string }

/** Flips one bit of one byte of the body, keeping everything else as signed. */
function flipBody(req: SignedRequest, index: number, bit: number): SignedRequest {
  const b = Buffer.isBuffer(req.body) ? Buffer.from(req.body) : Buffer.from(req.body, "utf8");
  b[index % b.length] ^= 1 << bit;
  return { ...req, body: b.toString("latin1") };
}

const HEADER_TAMPERS: Record<string, (v: string) => string> = {
  "Content-Type": () => "application/json",
  Host: (v) => v.replace(/^127\.0\.0\.1/, "localhost"),
  "X-TC-Action": () => "DeleteLivePullStreamTask",
  "X-TC-Region": () => "ap-beijing",
  "X-TC-Timestamp": (v) => String(Number(v) - 1),
  "X-TC-Version": () => "2017-03-12",
};

function cases(): Case[] {
  const out: Case[] = [];
  let n = 0;
  const stream = () => `tamper-${n++}`;
  for (const [header, change] of Object.entries(HEADER_TAMPERS)) {
    const req = sign(base(stream()));
    out.push({ name: `signed header ${header} changed`, req: { ...req, headers: { ...req.headers, [header]: change(req.headers[header]) } }, code: "AuthFailure.SignatureFailure" });
  }
  // Body flips at generated positions (fast-check picks them; seeded for repeatability).
  const flips = fc.sample(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 6 })), { numRuns: 40, seed: 4242 });
  for (const [i, bit] of flips) out.push({ name: `body byte ${i} bit ${bit} flipped`, req: flipBody(sign(base(stream())), i, bit), code: "AuthFailure.SignatureFailure" });
  const appended = sign(base(stream()));
  out.push({ name: "byte appended to the body", req: { ...appended, body: appended.body + " " }, code: "AuthFailure.SignatureFailure" });
  const yesterday = utcDate(now() - 86400);
  const tomorrow = utcDate(now() + 86400);
  out.push({ name: "scope date yesterday", req: sign(base(stream(), { scopeDate: yesterday })), code: "AuthFailure.SignatureFailure" });
  out.push({ name: "scope date tomorrow", req: sign(base(stream(), { scopeDate: tomorrow })), code: "AuthFailure.SignatureFailure" });
  for (const service of ["cvm", "cdn", "Live", "vod"]) {
    out.push({ name: `scope service ${service}`, req: sign(base(stream(), { service })), code: "AuthFailure.SignatureFailure" });
  }
  // 330 s, not 301: the emulator reads its clock a moment after the request was signed, and a loaded
  // machine must not turn "just over 5 minutes" into "exactly 5".
  for (const skew of [-330, -900, -86400, 330, 900, 86400]) {
    out.push({ name: `timestamp ${skew > 0 ? "+" : ""}${skew} s`, req: sign(base(stream(), { timestamp: now() + skew })), code: "AuthFailure.SignatureExpire" });
  }
  out.push({ name: "unknown SecretId", req: sign(base(stream(), { secretId: "AKIDNOBODY" })), code: "AuthFailure.SecretIdNotFound" });
  out.push({ name: "right SecretId, wrong SecretKey", req: sign(base(stream(), { secretKey: "not-the-key" })), code: "AuthFailure.SignatureFailure" });
  out.push({ name: "other key's id with this key's secret", req: sign(base(stream(), { secretId: TEMP.secretId, token: TEMP.token })), code: "AuthFailure.SignatureFailure" });
  out.push({ name: "temporary key without token", req: sign(base(stream(), { ...TEMP, token: undefined })), code: "AuthFailure.TokenFailure" });
  out.push({ name: "temporary key with a wrong token", req: sign(base(stream(), { ...TEMP, token: "forged-token" })), code: "AuthFailure.TokenFailure" });
  const sig = sign(base(stream()));
  const auth = sig.headers.Authorization;
  const last = auth.slice(-1) === "0" ? "1" : "0";
  out.push({ name: "signature hex digit changed", req: { ...sig, headers: { ...sig.headers, Authorization: auth.slice(0, -1) + last } }, code: "AuthFailure.SignatureFailure" });
  const signedLess = sign(base(stream()));
  out.push({
    name: "SignedHeaders list changed after signing",
    req: { ...signedLess, headers: { ...signedLess.headers, Authorization: auth.replace(/SignedHeaders=[^,]+/, "SignedHeaders=content-type;host") } },
    code: "AuthFailure.SignatureFailure",
  });
  out.push({ name: "no Authorization", req: { ...sig, headers: Object.fromEntries(Object.entries(sig.headers).filter(([k]) => k !== "Authorization")) }, code: "AuthFailure.InvalidAuthorization" });
  out.push({ name: "garbage Authorization", req: { ...sig, headers: { ...sig.headers, Authorization: "Basic dXNlcjpwYXNz" } }, code: "AuthFailure.InvalidAuthorization" });
  return out;
}

describe("tampered signed requests", () => {
  it("a correctly signed request is accepted (the control: rejections below are the tampering's doing)", async () => {
    const ok = await send(emu.url, sign(base("tamper-control")));
    expect(ok.json.Response.Error).toBeUndefined();
    expect(typeof ok.json.Response.TaskId).toBe("string");
    const temp = await send(emu.url, sign(base("tamper-control-temp", { ...TEMP })));
    expect(temp.json.Response.Error).toBeUndefined();
  });

  it("rejects 100% of the tampered set with the right AuthFailure code and applies none", async () => {
    const before = (await emulatorTasks(emu.url)).length;
    const set = cases();
    const wrong: string[] = [];
    for (const c of set) {
      const res = await send(emu.url, c.req);
      const code = res.json?.Response?.Error?.Code;
      if (code !== c.code) wrong.push(`${c.name}: expected ${c.code}, got ${code ?? JSON.stringify(res.json).slice(0, 200)}`);
    }
    console.log(`tampering: ${set.length - wrong.length}/${set.length} rejected with the right code`);
    expect(wrong).toEqual([]);
    expect(set.length).toBeGreaterThanOrEqual(60);
    expect((await emulatorTasks(emu.url)).length).toBe(before);
  });
});

describe("our client on auth failures", () => {
  const failures: [string, Record<string, string>, string][] = [
    ["wrong SecretKey", { secretId: KEY.secretId, secretKey: "wrong-key-value" }, "AuthFailure.SignatureFailure"],
    ["unknown SecretId", { secretId: "AKIDNOBODY", secretKey: "whatever-key" }, "AuthFailure.SecretIdNotFound"],
    ["temporary key without its token", { secretId: TEMP.secretId, secretKey: TEMP.secretKey }, "AuthFailure.TokenFailure"],
    ["temporary key with a wrong token", { secretId: TEMP.secretId, secretKey: TEMP.secretKey, securityToken: "forged-token" }, "AuthFailure.TokenFailure"],
  ];
  for (const [name, creds, code] of failures) {
    it(`${name}: ${code}, reported once, not retried, secret not in the message`, async () => {
      const before = await callCounts(emu.url);
      const client = new CssClient({ ...creds, endpoint: emu.url, region: "ap-guangzhou", maxAttempts: 5 });
      const err = await client.describeTasks({ PageNum: 1, PageSize: 10 }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(CssApiError);
      const e = err as CssApiError;
      expect(e.code).toBe(code);
      expect(e.ambiguous).toBe(false);
      expect(e.message).toContain(code);
      for (const secret of [creds.secretKey, creds.securityToken].filter(Boolean)) expect(e.message).not.toContain(secret);
      const after = await callCounts(emu.url);
      expect((after.DescribeLivePullStreamTasks ?? 0) - (before.DescribeLivePullStreamTasks ?? 0)).toBe(1);
      expect(client.stats().retries).toBe(0);
    });
  }

  it("a Create with a wrong key is not retried either (non-idempotent path)", async () => {
    const before = await callCounts(emu.url);
    const client = new CssClient({ secretId: KEY.secretId, secretKey: "wrong-key-value", endpoint: emu.url, region: "ap-guangzhou", maxAttempts: 5 });
    const body = JSON.parse(createBody("tamper-client-create"));
    const err = await client.createTask(body).then(() => undefined, (e: unknown) => e);
    expect((err as CssApiError).code).toBe("AuthFailure.SignatureFailure");
    expect((err as CssApiError).ambiguous).toBe(false);
    const after = await callCounts(emu.url);
    expect((after.CreateLivePullStreamTask ?? 0) - (before.CreateLivePullStreamTask ?? 0)).toBe(1);
  });
});
