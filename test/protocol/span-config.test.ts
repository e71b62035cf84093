// Stack config tencentcloud:maxTaskSpanDays through Pulumi's real dynamic provider host: the
// resource's check and rolling schedule follow it; the default is the newest model's 30 days, and 7
// (the international page's limit) makes 7 strict.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { TestEmulator } from "../support/emulator";
import { ProviderHost } from "../support/host";
import { emulatorConfig, iso, liveRelay } from "../support/tasks";

const DAY = 86_400_000;
let emu: TestEmulator;
const hosts: ProviderHost[] = [];

/** A host per stack config: the host configures each provider once, as in one engine run. */
async function hostWith(extra: Record<string, string> = {}): Promise<ProviderHost> {
  const host = await ProviderHost.start();
  hosts.push(host);
  await host.configure(emulatorConfig(emu.url, extra));
  return host;
}

beforeAll(async () => {
  emu = await TestEmulator.start({ maxTaskSpanDays: 30 });
});
afterAll(async () => {
  for (const h of hosts) await h.close();
  await emu?.close();
});

describe("tencentcloud:maxTaskSpanDays", () => {
  const start = Date.now() + 3600_000;
  const twentyDays = () => liveRelay({ startTime: iso(start), endTime: iso(start + 20 * DAY) });

  it("7: a 20-day task fails check, naming the config key; by default it passes", async () => {
    const strict = await new Stack(await hostWith({ "tencentcloud:maxTaskSpanDays": "7" }), "span7").preview("t", twentyDays());
    expect(strict.check.failures).toEqual([{ property: "endTime", reason: expect.stringMatching(/less than 7 days .*tencentcloud:maxTaskSpanDays/) }]);
    const lenient = await new Stack(await hostWith(), "span-default").preview("t", twentyDays());
    expect(lenient.check.failures).toEqual([]);
    expect(lenient.op).toBe("create");
  });

  it("30: the 20-day task is created; a rolling 20-day window is not capped at 7 days", async () => {
    const stack = new Stack(await hostWith({ "tencentcloud:maxTaskSpanDays": "30" }), "span30");
    await stack.up("fixed", twentyDays());
    expect(emu.task(stack.state.get("fixed")!.id)).toBeDefined();
    const { schedule: _none, startTime: _s, endTime: _e, ...rest } = twentyDays();
    await stack.up("rolling", { ...rest, schedule: { window: "20d", renewBefore: "2d" } });
    const st = stack.state.get("rolling")!;
    expect(Date.parse(st.outputs.endTime as string) - Date.parse(st.outputs.startTime as string)).toBe(20 * DAY);
  });

  it("a task applied at 30 days, planned from a machine at 7: a check error naming the setting", async () => {
    const at30 = new Stack(await hostWith({ "tencentcloud:maxTaskSpanDays": "30" }), "span-machines");
    const { schedule: _none, startTime: _s, endTime: _e, ...rest } = twentyDays();
    const rolling = { ...rest, streamName: `${rest.streamName}-r`, schedule: { window: "20d", renewBefore: "2d" } };
    await at30.up("fixed", twentyDays());
    await at30.up("rolling", rolling);
    const at7 = new Stack(await hostWith({ "tencentcloud:maxTaskSpanDays": "7" }), "span-machines");
    for (const name of ["fixed", "rolling"]) at7.state.set(name, at30.state.get(name)!);
    const fixed = await at7.preview("fixed", twentyDays());
    expect(fixed.check.failures).toEqual([{ property: "endTime", reason: expect.stringMatching(/less than 7 days .*tencentcloud:maxTaskSpanDays/) }]);
    // The rolling task: not a clean preview now and a silent shrink to 7 days (startTime moved,
    // the push interrupted) at its renewal, but the same clear error.
    const kept = await at7.preview("rolling", rolling);
    expect(kept.check.failures).toEqual([{ property: "schedule", reason: expect.stringMatching(/20\.00 days.*7-day limit.*tencentcloud:maxTaskSpanDays/) }]);
    const st = at30.state.get("rolling")!;
    const due = { ...st, inputs: { ...st.inputs, startTime: iso(Date.now() - 19 * DAY), endTime: iso(Date.now() + DAY) } };
    at7.state.set("rolling", due);
    const renewal = await at7.preview("rolling", rolling);
    expect(renewal.check.failures.map((f) => f.property)).toEqual(["schedule"]);
    expect(renewal.op).toBe("same");
    // Where it was applied, the renewal extends the end only.
    at30.state.set("rolling", due);
    const there = await at30.preview("rolling", rolling);
    expect(there.check.failures).toEqual([]);
    expect(there.check.inputs.startTime).toBe(due.inputs.startTime);
  });

  it("a value outside 1..30 is an error naming the key", async () => {
    await expect(new Stack(await hostWith({ "tencentcloud:maxTaskSpanDays": "45" }), "span45").preview("t", liveRelay())).rejects.toThrow(/tencentcloud:maxTaskSpanDays must be a whole number of days from 1 to 30/);
  });
});
