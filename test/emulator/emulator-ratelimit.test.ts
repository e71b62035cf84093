// Per-action, per-SecretId limits over a sliding 1 s window. The emulator's clock is frozen so the
// window is exact and the test never depends on how fast the machine is.
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { call, codeOf } from "./support-sign";
import { liveTask } from "./support-tasks";

const FROZEN = Date.now();
const ts = Math.floor(FROZEN / 1000);
let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function burst(action: string, n: number, params: () => unknown, extra: Record<string, string> = {}): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < n; i++) codes.push(codeOf(await call(emu!.url, action, params(), { timestamp: ts, ...extra })));
  return codes;
}
const count = (codes: string[], code: string) => codes.filter((c) => c === code).length;

describe("rate limits", () => {
  it("documented rates scaled by rateScale: Describe 30/s → 3, Create 50/s → 5; the rest → RequestLimitExceeded", async () => {
    emu = await startEmulator({ rateScale: 0.1, now: () => FROZEN });
    const describeCodes = await burst("DescribeLivePullStreamTasks", 6, () => ({}));
    expect(describeCodes).toEqual(["OK", "OK", "OK", ...Array(3).fill("RequestLimitExceeded")]);
    const createCodes = await burst("CreateLivePullStreamTask", 8, () => liveTask({}, FROZEN));
    expect(count(createCodes, "OK")).toBe(5);
    expect(count(createCodes, "RequestLimitExceeded")).toBe(3);
    expect(emu.tasks()).toHaveLength(5);
    const calls = emu.calls();
    expect(calls.calls).toMatchObject({ DescribeLivePullStreamTasks: 6, CreateLivePullStreamTask: 8 });
    expect(calls.throttled).toEqual({ DescribeLivePullStreamTasks: 3, CreateLivePullStreamTask: 3 });
  });
  it("Delete is limited at 50/s → 5 with rateScale 0.1 (intl page 267/48356)", async () => {
    emu = await startEmulator({ rateScale: 0.1, now: () => FROZEN });
    const codes = await burst("DeleteLivePullStreamTask", 6, () => ({ TaskId: "none", Operator: "t" }));
    expect(count(codes, "RequestLimitExceeded")).toBe(1);
    expect(codes[5]).toBe("RequestLimitExceeded");
  });
  it("Modify is limited at 20/s → 2 with rateScale 0.1", async () => {
    emu = await startEmulator({ rateScale: 0.1, now: () => FROZEN });
    const r = await call(emu.url, "CreateLivePullStreamTask", liveTask({}, FROZEN), { timestamp: ts });
    const codes = await burst("ModifyLivePullStreamTask", 3, () => ({ TaskId: r.TaskId, Operator: "t", Comment: "c" }));
    expect(codes).toEqual(["OK", "OK", "RequestLimitExceeded"]);
  });
  it("each SecretId has its own budget", async () => {
    emu = await startEmulator({ rateScale: 0.1, now: () => FROZEN, tempCredentials: [{ secretId: "AKIDOTHER", secretKey: "k2", token: "t2" }] });
    expect(await burst("DescribeLivePullStreamTasks", 4, () => ({}))).toEqual(["OK", "OK", "OK", "RequestLimitExceeded"]);
    const other = { secretId: "AKIDOTHER", secretKey: "k2", token: "t2" };
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push(codeOf(await call(emu.url, "DescribeLivePullStreamTasks", {}, { timestamp: ts, ...other })));
    expect(codes).toEqual(["OK", "OK", "OK", "RequestLimitExceeded"]);
  });
  it("the window slides: a second later the budget is back", async () => {
    emu = await startEmulator({ rateScale: 0.1, now: () => FROZEN });
    expect(await burst("DescribeLivePullStreamTasks", 4, () => ({}))).toEqual(["OK", "OK", "OK", "RequestLimitExceeded"]);
    emu.setClockOffset(1001);
    expect(await burst("DescribeLivePullStreamTasks", 4, () => ({}))).toEqual(["OK", "OK", "OK", "RequestLimitExceeded"]);
  });
  it("a large rateScale lets a burst of 100 through", async () => {
    emu = await startEmulator({ rateScale: 1000, now: () => FROZEN });
    expect(count(await burst("DescribeLivePullStreamTasks", 100, () => ({})), "OK")).toBe(100);
  });
  it("rejects a non-positive rateScale", async () => {
    await expect(startEmulator({ rateScale: 0 })).rejects.toThrow(/rateScale/);
  });
});
