// Nothing a client sends crashes the emulator: bad bodies, huge bodies and bursts all get envelopes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { call, codeOf, rawPost, signedHeaders } from "./support-sign";
import { liveTask } from "./support-tasks";

let emu: RunningEmulator;
let host: string;
beforeAll(async () => {
  emu = await startEmulator({ rateScale: 1000, taskLimit: 1000 });
  host = new URL(emu.url).host;
});
afterAll(() => emu.close());

async function signedRaw(action: string, body: string | Buffer) {
  const r = await rawPost(emu.url, signedHeaders(action, body, host), body);
  expect(r.status).toBe(200);
  expect(r.json.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  return r.json.Response;
}

describe("bad input", () => {
  it("malformed JSON → InvalidParameter envelope", async () => {
    const r = await signedRaw("CreateLivePullStreamTask", '{"SourceType": "PullLivePushLive",');
    expect(codeOf(r)).toBe("InvalidParameter");
    expect(r.Error.Message).toContain("not valid JSON");
  });
  it("the JSON error does not echo the body (it may carry signed URLs)", async () => {
    const r = await signedRaw("CreateLivePullStreamTask", '{"ToUrl": "rtmp://p.example.net/l/x?txSecret=abcdef123", oops}');
    expect(codeOf(r)).toBe("InvalidParameter");
    expect(r.Error.Message).not.toContain("abcdef123");
  });
  it("a JSON body that is not an object → InvalidParameter", async () => {
    for (const body of ["[]", "42", '"x"', "null"]) expect(codeOf(await signedRaw("DescribeLivePullStreamTasks", body))).toBe("InvalidParameter");
  });
  it("bytes that are not UTF-8 JSON → an error envelope", async () => {
    expect(codeOf(await signedRaw("CreateLivePullStreamTask", Buffer.from([0xff, 0xfe, 0x00, 0x7b])))).toBe("InvalidParameter");
  });
  it("wrong types everywhere → InvalidParameterValue, never a crash", async () => {
    for (const v of [null, 1, true, {}, [[]]]) {
      const r = await call(emu.url, "CreateLivePullStreamTask", liveTask({ SourceUrls: v }));
      expect(codeOf(r)).toBe("InvalidParameterValue");
    }
    expect(codeOf(await call(emu.url, "DescribeLivePullStreamTasks", { PageSize: "10" }))).toBe("InvalidParameterValue");
    expect(codeOf(await call(emu.url, "DescribeLivePullStreamTasks", { PageSize: 1e300 }))).toBe("InvalidParameterValue");
  });
  it("deeply nested JSON → an error envelope, not a stack overflow", async () => {
    const depth = 200_000;
    const task = JSON.stringify(liveTask({ SourceUrls: "__DEEP__" }));
    const body = task.replace('"__DEEP__"', "[".repeat(depth) + "]".repeat(depth));
    expect(codeOf(await signedRaw("CreateLivePullStreamTask", body))).toBe("InvalidParameterValue");
    const wm = task.replace('"__DEEP__"', '["rtmp://s.example.com/l/a"]').replace("}", `,"WatermarkList":[${"[".repeat(depth)}${"]".repeat(depth)}]}`);
    expect(codeOf(await signedRaw("CreateLivePullStreamTask", wm))).toBe("InvalidParameterValue");
  });
  it("a body over 10 MB → RequestSizeLimitExceeded envelope", async () => {
    const body = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    const r = await rawPost(emu.url, signedHeaders("CreateLivePullStreamTask", body, host), body);
    expect(r.status).toBe(200);
    expect(codeOf(r.json.Response)).toBe("RequestSizeLimitExceeded");
  });
  it("a body of exactly 10 MB is read (and judged on its content)", async () => {
    const json = JSON.stringify(liveTask());
    const body = Buffer.concat([Buffer.from(json), Buffer.alloc(10 * 1024 * 1024 - json.length, 0x20)]);
    expect(codeOf(await signedRaw("CreateLivePullStreamTask", body))).toBe("OK");
  });
  it("other methods or paths → UnsupportedOperation envelope; missing X-TC-Action → MissingParameter", async () => {
    const r = await rawPost(emu.url, {}, "", "/", "GET");
    expect(codeOf(r.json.Response)).toBe("UnsupportedOperation");
    const p = await rawPost(emu.url, signedHeaders("DescribeLivePullStreamTasks", "{}", host), "{}", "/v2");
    expect(codeOf(p.json.Response)).toBe("UnsupportedOperation");
    const { "X-TC-Action": _a, ...headers } = signedHeaders("DescribeLivePullStreamTasks", "{}", host, { signAction: false });
    const m = await rawPost(emu.url, headers, "{}");
    expect(codeOf(m.json.Response)).toBe("MissingParameter");
    expect(m.json.Response.Error.Message).toContain("X-TC-Action");
  });
  it("an unknown inspection route → 404 with a message", async () => {
    const r = await fetch(`${emu.url}/_emulator/nothing`);
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: string }).error).toContain("/_emulator/nothing");
  });
});

describe("bursts", () => {
  it("200 concurrent requests all get a correct envelope and a consistent store", async () => {
    emu.reset();
    const jobs = Array.from({ length: 200 }, (_, i) => {
      if (i % 4 === 0) return call(emu.url, "CreateLivePullStreamTask", liveTask({ Comment: `burst-${i}` }));
      if (i % 4 === 1) return call(emu.url, "DescribeLivePullStreamTasks", { PageSize: 20 });
      if (i % 4 === 2) return call(emu.url, "CreateLivePullStreamTask", liveTask({ SourceUrls: ["rtmp://10.0.0.1/x"] }));
      return call(emu.url, "DeleteLivePullStreamTask", { TaskId: "1", Operator: "t" });
    });
    const results = await Promise.all(jobs);
    const codes = results.map(codeOf);
    expect(results.every((r) => typeof r.RequestId === "string")).toBe(true);
    expect(new Set(results.map((r) => r.RequestId)).size).toBe(200);
    expect(codes.filter((c, i) => i % 4 === 0 && c === "OK")).toHaveLength(50);
    expect(codes.filter((c, i) => i % 4 === 1 && c === "OK")).toHaveLength(50);
    expect(codes.filter((c, i) => i % 4 === 2 && c === "InvalidParameter.InvalidSourceUrl")).toHaveLength(50);
    expect(codes.filter((c, i) => i % 4 === 3 && c === "InvalidParameter.TaskNotExist")).toHaveLength(50);
    expect(emu.tasks()).toHaveLength(50);
    expect(emu.calls().total).toBe(200);
  });
});

describe("POST /_emulator/clock", () => {
  it("refuses an offset outside JavaScript's dates, and keeps the clock it had (no later answer breaks)", async () => {
    const clock = (body?: string) => fetch(`${emu.url}/_emulator/clock`, body === undefined ? {} : { method: "POST", body });
    const before = (await (await clock()).json()) as { offsetMs: number };
    for (const body of ['{"offsetMs":1e300}', '{"offsetMs":-1e300}', '{"offsetMs":1e400}', '{"offsetMs":"soon"}']) {
      const r = await clock(body);
      expect([body, r.status]).toEqual([body, 400]);
      expect(((await r.json()) as { error: string }).error).toMatch(/offsetMs must be a number/);
    }
    const after = await clock();
    expect(after.status).toBe(200);
    expect(((await after.json()) as { offsetMs: number }).offsetMs).toBe(before.offsetMs);
    expect(() => emu.setClockOffset(1e300)).toThrow(/valid date/);
  });
});
