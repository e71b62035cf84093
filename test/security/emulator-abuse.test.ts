// The emulator is a test fixture other people's clients will hit with anything: malformed JSON,
// wrong types, huge bodies, broken connections, bursts. Every request gets a well-formed error
// envelope (or, for what HTTP itself refuses, a plain HTTP error), and the server still answers.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { send, sign, type SignInput } from "./support/tc3";

const KEY = { secretId: "AKIDABUSE", secretKey: "abuse-secret-key" };
let emu: RunningEmulator;
let host: string;

beforeAll(async () => {
  // Rate limits scaled up here: the bursts below get their own emulator at the documented rates.
  emu = await startEmulator({ port: 0, ...KEY, taskLimit: 1000, rateScale: 100 });
  host = new URL(emu.url).host;
});
afterAll(async () => emu?.close());

const signed = (body: string, over: Partial<SignInput> = {}) =>
  sign({ ...KEY, action: "CreateLivePullStreamTask", body, host, timestamp: Math.floor(Date.now() / 1000), ...over });

/** An API 3.0 error envelope: HTTP 200, Error.Code and Error.Message strings, a RequestId. */
function expectEnvelope(res: { status: number; json: any }, codes: string[]): void {
  expect(res.status).toBe(200);
  const r = res.json?.Response;
  expect(typeof r?.RequestId).toBe("string");
  expect(typeof r?.Error?.Message).toBe("string");
  expect(codes).toContain(r?.Error?.Code);
}

async function stillAlive(): Promise<void> {
  const res = await send(emu.url, signed(JSON.stringify({ PageNum: 1, PageSize: 1 }), { action: "DescribeLivePullStreamTasks" }));
  expect(res.json.Response.Error).toBeUndefined();
  expect(typeof res.json.Response.TotalNum).toBe("number");
}

function raw(options: http.RequestOptions, body?: Buffer | string): Promise<{ status: number; text: string }> {
  const u = new URL(emu.url);
  return new Promise((resolve, reject) => {
    const r = http.request({ host: u.hostname, port: u.port, path: "/", method: "POST", ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    r.on("error", reject);
    r.end(body);
  });
}

const BAD_PARAMS = ["InvalidParameter", "InvalidParameterValue", "MissingParameter", "UnknownParameter"];

describe("malformed and mistyped bodies (correctly signed, so they reach parsing)", () => {
  const bodies: [string, string, string[]][] = [
    ["truncated JSON", '{"SourceType":', ["InvalidParameter"]],
    ["not JSON at all", "SourceType=PullLivePushLive", ["InvalidParameter"]],
    ["empty body", "", ["InvalidParameter", "MissingParameter"]],
    ["JSON array", "[]", BAD_PARAMS],
    ["JSON null", "null", BAD_PARAMS],
    ["JSON string", '"hello"', BAD_PARAMS],
    ["JSON number", "42", BAD_PARAMS],
    ["invalid UTF-8", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("latin1"), BAD_PARAMS],
    ["SourceUrls as a string", JSON.stringify({ SourceType: "PullLivePushLive", SourceUrls: "https://a.example.com/x.flv" }), ["InvalidParameterValue", "MissingParameter"]],
    ["Operator as a number", JSON.stringify(createBody({ Operator: 5 })), ["InvalidParameterValue"]],
    ["SourceUrls with a number", JSON.stringify(createBody({ SourceUrls: [1] })), ["InvalidParameterValue"]],
    ["WatermarkList of strings", JSON.stringify(createBody({ WatermarkList: ["x"] })), ["InvalidParameterValue"]],
    ["Watermark Location as a string", JSON.stringify(createBody({ WatermarkList: [{ PictureUrl: "https://i.example.com/a.png", XPosition: 0, YPosition: 0, Width: 10, Height: 10, Location: "top" }] })), ["InvalidParameterValue"]],
    ["FileIndex as a float", JSON.stringify(createBody({ SourceType: "PullVodPushLive", SourceUrls: ["https://a.example.com/a.mp4"], FileIndex: 1.5 })), ["InvalidParameterValue"]],
    ["unknown field", JSON.stringify(createBody({ Sourceurl: "x" })), ["UnknownParameter"]],
    ["__proto__ key", '{"__proto__":{"polluted":true},"SourceType":"PullLivePushLive"}', BAD_PARAMS],
    ["constructor key", JSON.stringify({ constructor: { prototype: { polluted: true } } }), BAD_PARAMS],
    ["100k-deep nesting", "[".repeat(100_000) + "]".repeat(100_000), BAD_PARAMS],
    ["a 5 MB string field", JSON.stringify(createBody({ Comment: "x".repeat(5 * 1024 * 1024) })), ["InvalidParameter", "InvalidParameterValue"]],
  ];
  for (const [name, body, codes] of bodies) {
    it(`${name} → ${codes.join(" | ")}`, async () => {
      const before = emu.tasks().length;
      expectEnvelope(await send(emu.url, signed(body)), codes);
      expect(emu.tasks().length).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await stillAlive();
    });
  }
});

function createBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  const start = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const end = new Date(Date.now() + 7200_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    SourceType: "PullLivePushLive", SourceUrls: ["https://src.example.com/live/a.flv"],
    DomainName: "push.example.com", AppName: "live", StreamName: `abuse-${Math.random().toString(36).slice(2)}`,
    StartTime: start, EndTime: end, Operator: "abuse", ...over,
  };
}

describe("oversized, unsigned and broken requests", () => {
  it("an 11 MB body → RequestSizeLimitExceeded, then the server still answers", async () => {
    const body = JSON.stringify(createBody({ Comment: "y".repeat(11 * 1024 * 1024) }));
    expectEnvelope(await send(emu.url, signed(body)), ["RequestSizeLimitExceeded"]);
    await stillAlive();
  });

  it("a 70 MB upload is cut off without taking the server down", async () => {
    const res = await raw({ headers: { "Content-Type": "application/json" } }, Buffer.alloc(70 * 1024 * 1024, 0x20)).catch((e: Error) => ({ status: 0, text: e.message }));
    if (res.status !== 0) expect(JSON.parse(res.text).Response.Error.Code).toBe("RequestSizeLimitExceeded");
    await stillAlive();
  });

  it("unsigned, wrong method, missing or unknown action: error envelopes", async () => {
    const get = await raw({ method: "GET" });
    expect(JSON.parse(get.text).Response.Error.Code).toBe("UnsupportedOperation");
    const unsigned = await raw({ headers: { "Content-Type": "application/json", "X-TC-Action": "DescribeLivePullStreamTasks" } }, "{}");
    expect(JSON.parse(unsigned.text).Response.Error.Code).toBe("AuthFailure.InvalidAuthorization");
    const unknown = await send(emu.url, signed("{}", { action: "DropAllTheTables" }));
    expectEnvelope(unknown, ["InvalidAction"]);
    const noAction = signed("{}");
    delete noAction.headers["X-TC-Action"];
    expectEnvelope(await send(emu.url, { ...noAction, headers: noAction.headers }), ["MissingParameter", "AuthFailure.SignatureFailure"]);
    await stillAlive();
  });

  it("a connection dropped mid-body, and a huge header, leave the server answering", async () => {
    const u = new URL(emu.url);
    await new Promise<void>((resolve) => {
      const r = http.request({ host: u.hostname, port: u.port, path: "/", method: "POST", headers: { "Content-Length": "100000" } });
      r.on("error", () => resolve());
      r.write("{\"SourceType\":");
      setImmediate(() => { r.destroy(); resolve(); });
    });
    const big = await raw({ headers: { "X-Junk": "z".repeat(64 * 1024) } }, "{}").catch((e: Error) => ({ status: 0, text: e.message }));
    expect([0, 431]).toContain(big.status);
    await stillAlive();
  });

  it("the inspection API refuses junk with HTTP 400 and keeps its state", async () => {
    const before = emu.faults();
    for (const body of ["{", "[]", '{"faults":"explode=1"}', '{"faults":"throttle=0.9,internal=0.9"}', '{"seed":"x"}']) {
      const res = await fetch(`${emu.url}/_emulator/faults`, { method: "POST", body });
      expect(res.status).toBe(400);
    }
    expect(emu.faults().spec).toEqual(before.spec);
    await stillAlive();
  });
});

describe("bursts of concurrent requests (documented rates)", () => {
  let burst: RunningEmulator;
  beforeAll(async () => {
    burst = await startEmulator({ port: 0, ...KEY, taskLimit: 1000 });
  });
  afterAll(async () => burst?.close());
  it("500 concurrent Describes: every answer is a success or RequestLimitExceeded envelope", async () => {
    const answers = await Promise.all(
      Array.from({ length: 500 }, () => send(burst.url, signed(JSON.stringify({ PageNum: 1, PageSize: 20 }), { action: "DescribeLivePullStreamTasks" }))),
    );
    let throttled = 0;
    for (const a of answers) {
      expect(a.status).toBe(200);
      const code = a.json.Response?.Error?.Code;
      if (code) {
        expect(code).toBe("RequestLimitExceeded");
        throttled += 1;
      } else expect(Array.isArray(a.json.Response.TaskInfos)).toBe(true);
    }
    expect(throttled).toBeGreaterThan(0); // 500 at once is far above 20/s: the limit must show
    await new Promise((r) => setTimeout(r, 1100)); // let the per-second window pass
    const after = await send(burst.url, signed(JSON.stringify({ PageNum: 1, PageSize: 1 }), { action: "DescribeLivePullStreamTasks" }));
    expect(after.json.Response.Error).toBeUndefined();
  });

  it("200 concurrent Creates: every success is exactly one stored task, no phantom, no loss", async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, () => send(burst.url, signed(JSON.stringify(createBody())))));
    const ids = answers.map((a) => a.json.Response?.TaskId).filter((x): x is string => typeof x === "string");
    for (const a of answers) if (!a.json.Response?.TaskId) expectEnvelope(a, ["RequestLimitExceeded"]);
    const stored = burst.tasks().map((t) => t.TaskId).sort();
    expect(stored).toEqual([...new Set(ids)].sort());
    expect(ids.length).toBeGreaterThan(0);
  });
});
