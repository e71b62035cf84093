// Issue 10's writes through the native plugin (dist/plugin/main.js), the same core as the dynamic
// face: backupVodUrl applied by the create itself and sent back as a secret, restartTrigger sending
// one restart after the update's Modify, counted by the emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEmulator } from "../support/emulator";
import type { ProviderHost } from "../support/host";
import { liveRelay } from "../support/tasks";
import { configurePlugin, pluginUrn, secret, secretKeys, startPlugin, unwrap, emulatorAccount } from "../support/plugin";

let emu: TestEmulator;
let plugin: ProviderHost;

beforeAll(async () => {
  emu = await TestEmulator.start();
  plugin = await startPlugin();
  await configurePlugin(plugin, { ...emulatorAccount(emu.url), region: "ap-guangzhou" });
});
afterAll(async () => {
  await plugin?.close();
  await emu?.close();
});

describe("native plugin: backupVodUrl and restartTrigger", () => {
  it("creates with the pad file in one call, then restarts once when the trigger changes", async () => {
    const urn = pluginUrn("pad-restart");
    const program = liveRelay({ backupVodUrl: "https://cdn.example.com/pad.mp4?sign=abc", restartTrigger: "1" });
    const checked = await plugin.check(urn, {}, program);
    expect(checked.failures).toEqual([]);
    const created = await plugin.create(urn, checked.inputs);
    expect(emu.task(created.id)?.BackupVodUrl).toBe("https://cdn.example.com/pad.mp4?sign=abc");
    expect(secretKeys(created.properties)).toContain("backupVodUrl");
    expect(emu.task(created.id)?.Restarts ?? []).toEqual([]);

    const next = await plugin.check(urn, checked.inputs, { ...program, restartTrigger: "2", comment: "kick" });
    const diff = await plugin.diff(created.id, urn, created.properties, next.inputs);
    expect(diff).toMatchObject({ changes: "some", replaces: [] });
    emu.clearRequests();
    const updated = await plugin.update(created.id, urn, created.properties, next.inputs);
    expect(emu.requests.map((r) => r.action).filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual([
      "ModifyLivePullStreamTask",
      "RestartLivePullStreamTask",
    ]);
    expect(emu.task(created.id)?.Restarts).toHaveLength(1);
    expect(unwrap(updated.properties).restartTrigger).toBe("2");
  });
});
