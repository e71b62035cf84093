// Region drift through the native plugin: two provider instances (machines, or two Provider
// resources) whose default regions differ. A task whose program names no region stays where it
// is: no diff from the other instance, its Modify, restart and `--replace` go to the task's region.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEmulator } from "../support/emulator";
import type { ProviderHost } from "../support/host";
import { liveRelay } from "../support/tasks";
import { configurePlugin, pluginUrn, startPlugin, unwrap, emulatorAccount } from "../support/plugin";

let emu: TestEmulator;
let laptop: ProviderHost;
let ci: ProviderHost;

beforeAll(async () => {
  emu = await TestEmulator.start();
  [laptop, ci] = await Promise.all([startPlugin(), startPlugin()]);
  const account = emulatorAccount(emu.url);
  await configurePlugin(laptop, { ...account, region: "ap-guangzhou" });
  await configurePlugin(ci, { ...account, region: "ap-beijing" });
});
afterAll(async () => {
  await Promise.all([laptop?.close(), ci?.close()]);
  await emu?.close();
});

describe("native plugin: a task without region, two instances with different default regions", () => {
  it("no diff from the other instance; its update, restart and --replace go to the task's region", async () => {
    const urn = pluginUrn("drift");
    const program = liveRelay({ restartTrigger: "1", backupVodUrl: "https://cdn.example.com/pad.mp4" });
    const checked = await laptop.check(urn, {}, program);
    const created = await laptop.create(urn, checked.inputs);
    expect(unwrap(created.properties).region).toBe("ap-guangzhou");
    // No machinery key reaches the outputs the engine stores.
    expect(Object.keys(created.properties).filter((k) => k.startsWith("__"))).toEqual([]);

    const again = await ci.check(urn, checked.inputs, program);
    expect(again.failures).toEqual([]);
    expect((await ci.diff(created.id, urn, created.properties, again.inputs)).changes).toBe("none");

    const next = await ci.check(urn, again.inputs, { ...program, comment: "v2", restartTrigger: "2" });
    expect((await ci.diff(created.id, urn, created.properties, next.inputs)).changes).toBe("some");
    emu.clearRequests();
    const updated = await ci.update(created.id, urn, created.properties, next.inputs);
    const writes = emu.requests.filter((r) => !r.action.startsWith("Describe"));
    expect(writes.map((r) => [r.action, r.region])).toEqual([
      ["ModifyLivePullStreamTask", "ap-guangzhou"],
      ["RestartLivePullStreamTask", "ap-guangzhou"],
    ]);
    expect(unwrap(updated.properties)).toMatchObject({ region: "ap-guangzhou", comment: "v2", restartTrigger: "2" });

    // `pulumi up --replace` from the other instance: checked without olds, diffed, then created.
    const fresh = await ci.check(urn, {}, { ...program, comment: "v2", restartTrigger: "2" });
    await ci.diff(created.id, urn, updated.properties, fresh.inputs);
    emu.clearRequests();
    const replaced = await ci.create(urn, fresh.inputs);
    expect(replaced.id).not.toBe(created.id);
    expect(emu.task(replaced.id)).toMatchObject({ Region: "ap-guangzhou", BackupVodUrl: "https://cdn.example.com/pad.mp4" });
    expect(new Set(emu.requests.map((r) => r.region))).toEqual(new Set(["ap-guangzhou"]));
    expect(emu.task(replaced.id)?.Restarts ?? []).toEqual([]);
    await ci.delete(created.id, urn, updated.properties);
    expect(emu.task(created.id)).toBeUndefined();
  }, 60_000);
});
