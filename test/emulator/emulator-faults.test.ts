// Fault injection: every kind does what a client must survive, and a seed makes a run repeatable.
import { afterEach, describe, expect, it } from "vitest";
import { parseFaultSpec } from "../../emulator/faults";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { call, codeOf, inspect, rawPost, signedHeaders } from "./support-sign";
import { liveTask } from "./support-tasks";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function withFault(kind: string, extra: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  emu = await startEmulator({ rateScale: 1000, faults: `${kind}=1`, seed: 1, ...extra });
  return emu;
}
const create = (e: RunningEmulator, o = {}) => call(e.url, "CreateLivePullStreamTask", liveTask(), o);

describe("fault kinds", () => {
  it("throttle: RequestLimitExceeded envelope, nothing applied", async () => {
    const e = await withFault("throttle");
    expect(codeOf(await create(e))).toBe("RequestLimitExceeded");
    expect(e.tasks()).toEqual([]);
    expect(e.faults().injected.throttle).toBe(1);
  });
  it("internal: InternalError envelope, nothing applied", async () => {
    const e = await withFault("internal");
    expect(codeOf(await create(e))).toBe("InternalError");
    expect(e.tasks()).toEqual([]);
    expect(e.faults().injected.internal).toBe(1);
  });
  it("http5xx: HTTP 503 without an envelope, nothing applied", async () => {
    const e = await withFault("http5xx");
    const body = JSON.stringify(liveTask());
    const r = await rawPost(e.url, signedHeaders("CreateLivePullStreamTask", body, new URL(e.url).host), body);
    expect(r.status).toBe(503);
    expect(r.json).toBeUndefined();
    expect(e.tasks()).toEqual([]);
    expect(e.faults().injected.http5xx).toBe(1);
  });
  it("reset: the connection is closed, nothing applied", async () => {
    const e = await withFault("reset");
    await expect(create(e)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(e.tasks()).toEqual([]);
    expect(e.faults().injected.reset).toBe(1);
  });
  it("lost-response: the change IS applied, then the connection is closed", async () => {
    const e = await withFault("lost-response");
    await expect(create(e)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(e.tasks()).toHaveLength(1);
    expect(e.faults().injected["lost-response"]).toBe(1);
  });
  it("timeout: the client gives up first; the change is applied", async () => {
    const e = await withFault("timeout", { timeoutDelayMs: 10 * 60_000 });
    await expect(create(e, { timeoutMs: 200 })).rejects.toThrow(/client timeout/);
    expect(e.tasks()).toHaveLength(1);
    expect(e.faults().injected.timeout).toBe(1);
  });
  it("timeout: a patient client gets the envelope after timeoutDelayMs", async () => {
    const e = await withFault("timeout", { timeoutDelayMs: 50 });
    const r = await create(e);
    expect(r.TaskId).toBe(e.tasks()[0].TaskId);
  });
  it("close() does not wait for a held timeout answer", async () => {
    const e = await withFault("timeout", { timeoutDelayMs: 10 * 60_000 });
    const pending = create(e).catch((err: Error) => err);
    await expect.poll(() => e.tasks().length).toBe(1);
    await e.close();
    expect(await pending).toBeInstanceOf(Error);
  });
  it("the inspection API is never subject to faults", async () => {
    const e = await withFault("reset");
    expect(await inspect(e.url, "tasks")).toEqual({ tasks: [] });
    expect((await inspect(e.url, "faults")).injected.reset).toBe(0);
  });
});

describe("spec, seed and run-time control", () => {
  async function outcomes(seed: number): Promise<string[]> {
    const e = await startEmulator({ rateScale: 1000, faults: "throttle=0.2,internal=0.2,http5xx=0.1,reset=0.1,lost-response=0.1", seed });
    const out: string[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        out.push(await call(e.url, "DescribeLivePullStreamTasks", {}).then(codeOf, (err: Error) => (/HTTP 503/.test(err.message) ? "503" : "socket")));
      }
      expect(e.faults().total).toBe(out.filter((o) => o !== "OK").length);
    } finally {
      await e.close();
    }
    return out;
  }
  it("the same seed gives the same sequence of faults; another seed another", async () => {
    const a = await outcomes(42);
    expect(await outcomes(42)).toEqual(a);
    expect(await outcomes(43)).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set(["OK", "RequestLimitExceeded", "InternalError", "503", "socket"]));
  });
  it("POST /_emulator/faults sets the spec and seed at run time; GET reports counts per kind", async () => {
    emu = await startEmulator({ rateScale: 1000 });
    expect(codeOf(await create(emu))).toBe("OK");
    const state = await inspect(emu.url, "faults", { faults: "internal=1", seed: 7 });
    expect(state).toMatchObject({ spec: { internal: 1 }, seed: 7 });
    expect(codeOf(await create(emu))).toBe("InternalError");
    expect((await inspect(emu.url, "faults")).injected).toEqual({ throttle: 0, internal: 1, http5xx: 0, timeout: 0, reset: 0, "lost-response": 0, "stale-read": 0 });
    const bad = await fetch(`${emu.url}/_emulator/faults`, { method: "POST", body: JSON.stringify({ faults: "explode=1" }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain("explode");
    await inspect(emu.url, "faults", { faults: {} });
    expect(codeOf(await create(emu))).toBe("OK");
  });
  it("a map spec works like the string form", async () => {
    emu = await startEmulator({ rateScale: 1000, faults: { throttle: 1 } });
    expect(codeOf(await create(emu))).toBe("RequestLimitExceeded");
  });
  it("spec errors name the kind or the rule", () => {
    expect(() => parseFaultSpec("explode=0.1")).toThrow(/unknown kind "explode"/);
    expect(() => parseFaultSpec("throttle=1.5")).toThrow(/throttle must be 0..1/);
    expect(() => parseFaultSpec("throttle=0.6,internal=0.6")).toThrow(/more than 1/);
    expect(() => parseFaultSpec("throttle")).toThrow(/kind=probability/);
    expect(parseFaultSpec("throttle=0.1, lost-response=0.05")).toEqual({ throttle: 0.1, "lost-response": 0.05 });
  });
});
