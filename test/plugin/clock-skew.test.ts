// The clock-skew probe through the native plugin: check learns the API's time with THIS provider
// instance's credentials and endpoint (the plugin process itself has neither), so a time still
// in the API's future is not refused on a machine whose clock runs ahead.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEmulator } from "../support/emulator";
import type { ProviderHost } from "../support/host";
import { iso, liveRelay } from "../support/tasks";
import { configurePlugin, pluginUrn, startPlugin, emulatorAccount } from "../support/plugin";

const MINUTE = 60_000;
let emu: TestEmulator;
let plugin: ProviderHost;
const home = fs.mkdtempSync(path.join(os.tmpdir(), "css-plugin-clock-"));

beforeAll(async () => {
  emu = await TestEmulator.start();
  plugin = await startPlugin({ PATH: process.env.PATH, HOME: home });
  await configurePlugin(plugin, emulatorAccount(emu.url));
});
afterAll(async () => {
  await plugin?.close();
  await emu?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe("native plugin: clock skew", () => {
  it("API 3 minutes behind: check probes the instance's endpoint with its keys and accepts the time", async () => {
    emu.emulator.setClockOffset(-3 * MINUTE);
    const end = Math.floor((Date.now() - MINUTE) / 1000) * 1000; // past here, two minutes ahead for the API
    const checked = await plugin.check(pluginUrn("behind"), {}, liveRelay({ startTime: iso(end - 3600_000), endTime: iso(end) }));
    expect(checked.failures).toEqual([]);
    expect(emu.requests.map((r) => [r.action, r.body])).toEqual([["DescribeLivePullStreamTasks", { PageNum: 1, PageSize: 1 }]]);
  }, 60_000);
});
