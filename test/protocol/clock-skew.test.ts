// This machine's clock off the API's, through the real provider host against an emulator whose
// clock is shifted: check fills schedules and judges "in the future" with the API's time, which a
// fresh host learns from the API's answers (the Date header) before it matters.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { TestEmulator } from "../support/emulator";
import { ProviderHost } from "../support/host";
import { emulatorConfig, iso, liveRelay } from "../support/tasks";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
let emu: TestEmulator;
const hosts: ProviderHost[] = [];

beforeAll(async () => {
  emu = await TestEmulator.start({ maxTaskSpanDays: 30 });
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
  shift(0);
  emu.clearRequests();
});

afterAll(async () => {
  await emu?.close();
});

/** A host process that has not talked to the API yet, as at the start of a `pulumi up`. */
async function freshStack(extra: Record<string, string> = {}): Promise<Stack> {
  const host = await ProviderHost.start();
  hosts.push(host);
  await host.configure(emulatorConfig(emu.url, extra));
  return new Stack(host);
}

let offset = 0;
/** Shifts the emulator's clock: positive, the API is ahead of this machine. */
function shift(ms: number): void {
  offset = ms;
  emu.emulator.setClockOffset(ms);
}
const apiNow = () => Date.now() + offset;
const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

describe("clock skew", () => {
  it("the emulator's answers carry its shifted clock in the Date header", async () => {
    shift(-2 * HOUR);
    const res = await fetch(`${emu.emulator.url}/`, { method: "POST", body: "{}" });
    expect(Math.abs(Date.parse(res.headers.get("date")!) - apiNow())).toBeLessThan(2000);
  });

  it("API 3 minutes ahead: a re-based rolling window starts in the API's future, not the local one", async () => {
    shift(3 * MINUTE);
    // A task that has used its whole 30-day span: the next renewal must re-base it (send StartTime).
    const start = seconds(apiNow() - 30 * DAY + 10 * MINUTE);
    const fixed = liveRelay({ startTime: iso(start), endTime: iso(start + 30 * DAY - MINUTE) });
    const first = await freshStack();
    await first.up("rolling", fixed);
    const { startTime: _s, endTime: _e, ...rest } = fixed;
    const rolling = { ...rest, schedule: { window: "1h", renewBefore: "30m" } };
    // Another machine (a fresh host) runs the renewal.
    const second = await freshStack();
    for (const [k, v] of first.state) second.state.set(k, v);
    emu.clearRequests();
    const plan = await second.up("rolling", rolling);
    expect(plan.op).toBe("update");
    const modify = emu.requestsOf("ModifyLivePullStreamTask").at(-1)!;
    expect(Date.parse(modify.body.StartTime)).toBeGreaterThan(apiNow());
    const task = emu.task(second.state.get("rolling")!.id)!;
    expect(task.StartTime).toBe(modify.body.StartTime);
    // It learned the time with one small listing request, before the write.
    const actions = emu.requests.map((r) => r.action);
    expect(actions.indexOf("DescribeLivePullStreamTasks")).toBeLessThan(actions.indexOf("ModifyLivePullStreamTask"));
    expect(emu.requests[0].body).toEqual({ PageNum: 1, PageSize: 1 });
  }, 60_000);

  it("tencentcloud:maxTaskSpanDays 30: the re-base of a task that used up its 30 days learns the API's time too", async () => {
    shift(3 * MINUTE);
    const at30 = { "tencentcloud:maxTaskSpanDays": "30" };
    const start = seconds(apiNow() - 30 * DAY + 10 * MINUTE);
    const fixed = liveRelay({ startTime: iso(start), endTime: iso(start + 30 * DAY - MINUTE) });
    const first = await freshStack(at30);
    await first.up("rolling30", fixed);
    const { startTime: _s, endTime: _e, ...rest } = fixed;
    const rolling = { ...rest, schedule: { window: "20d", renewBefore: "30m" } };
    const second = await freshStack(at30);
    for (const [k, v] of first.state) second.state.set(k, v);
    emu.clearRequests();
    const plan = await second.up("rolling30", rolling);
    expect(plan.op).toBe("update");
    const modify = emu.requestsOf("ModifyLivePullStreamTask").at(-1)!;
    expect(Date.parse(modify.body.StartTime)).toBeGreaterThan(apiNow());
    expect(emu.requests[0].body).toEqual({ PageNum: 1, PageSize: 1 });
  }, 60_000);

  it("API 3 minutes behind: a time still in the API's future is not refused by check", async () => {
    shift(-3 * MINUTE);
    const end = seconds(Date.now() - MINUTE); // past here, two minutes ahead for the API
    const program = liveRelay({ startTime: iso(end - HOUR), endTime: iso(end) });
    const stack = await freshStack();
    const plan = await stack.up("behind", program);
    expect(plan.check.failures).toEqual([]);
    expect(emu.task(stack.state.get("behind")!.id)!.EndTime).toBe(iso(end));
  }, 60_000);

  it("a task with settled times is previewed with no request of the clock's: only the quota's listing row", async () => {
    shift(3 * MINUTE);
    const stack = await freshStack();
    const program = liveRelay();
    const plan = await stack.preview("settled", program);
    expect(plan.check.failures).toEqual([]);
    // A new task: one listing row for the quota's figures (quota/watch.ts), which the clock would share.
    expect(emu.requests.map((r) => [r.action, r.body])).toEqual([["DescribeLivePullStreamTasks", { PageNum: 1, PageSize: 1 }]]);
    // Its update with settled times asks nothing at all.
    stack.state.set("settled", { id: "t-1", inputs: plan.check.inputs, outputs: plan.check.inputs });
    emu.clearRequests();
    const update = await stack.preview("settled", { ...program, comment: "x" });
    expect(update.op).toBe("update");
    expect(emu.requests).toEqual([]);
  }, 60_000);

  it("API 10 minutes ahead: requests signed with the local time are refused once, then signed with the API's", async () => {
    shift(10 * MINUTE);
    const stack = await freshStack();
    const program = liveRelay(); // times an hour away: check needs no clock, create meets the skew
    await stack.up("far", program);
    const id = stack.state.get("far")!.id;
    expect(emu.task(id)).toBeDefined();
    expect(emu.tasks().filter((t) => t.StreamName === program.streamName)).toHaveLength(1);
    expect((await stack.refresh("far"))).toBe("kept");
  }, 60_000);
});
