// maxTaskSpanDays through the native plugin: a task applied by an instance at 30 days, planned by
// one at 7 (strict), fails check naming the field and the setting as this face spells it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEmulator } from "../support/emulator";
import type { ProviderHost } from "../support/host";
import { iso, liveRelay } from "../support/tasks";
import { configurePlugin, pluginUrn, startPlugin, emulatorAccount } from "../support/plugin";

const DAY = 86_400_000;
let emu: TestEmulator;
let at30: ProviderHost;
let at7: ProviderHost;

beforeAll(async () => {
  emu = await TestEmulator.start({ maxTaskSpanDays: 30 });
  [at30, at7] = await Promise.all([startPlugin(), startPlugin()]);
  const account = emulatorAccount(emu.url);
  await configurePlugin(at30, { ...account, maxTaskSpanDays: 30 });
  await configurePlugin(at7, { ...account, maxTaskSpanDays: 7 });
});
afterAll(async () => {
  await Promise.all([at30?.close(), at7?.close()]);
  await emu?.close();
});

describe("native plugin: maxTaskSpanDays", () => {
  it("fixed and rolling 20-day tasks from an instance at 30, checked by one at 7: the provider's setting is named", async () => {
    const start = Date.now() + 3600_000;
    const fixed = liveRelay({ startTime: iso(start), endTime: iso(start + 20 * DAY) });
    const { startTime: _s, endTime: _e, ...rest } = fixed;
    const rolling = { ...rest, streamName: `${rest.streamName}-r`, schedule: { window: "20d", renewBefore: "2d" } };
    for (const [name, program] of [["fixed", fixed], ["rolling", rolling]] as const) {
      const urn = pluginUrn(name);
      const checked = await at30.check(urn, {}, program);
      expect(checked.failures).toEqual([]);
      await at30.create(urn, checked.inputs);
      const there = await at7.check(urn, checked.inputs, program);
      expect(there.failures).toEqual([
        { property: name === "fixed" ? "endTime" : "schedule", reason: expect.stringContaining("tencentcloud-css:maxTaskSpanDays") },
      ]);
    }
  }, 60_000);
});
