// Forced replacement through the native plugin (`pulumi up --replace`, create first): the plugin
// takes the identity from the URN, so Diff must see it too, or the Create that follows adopts the
// task being replaced and the engine then deletes it. And a child's identity names its parents.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEmulator } from "../support/emulator";
import type { ProviderHost } from "../support/host";
import { configurePlugin, pluginUrn, PLUGIN_TOKEN, startPlugin, emulatorAccount } from "../support/plugin";
import { liveRelay } from "../support/tasks";
import { identityFromUrn } from "../../plugin/provider";

let emu: TestEmulator;
let plugin: ProviderHost;

beforeAll(async () => {
  emu = await TestEmulator.start({ rateScale: 10 });
  plugin = await startPlugin();
  await configurePlugin(plugin, { ...emulatorAccount(emu.url), region: "ap-guangzhou" });
});

afterAll(async () => {
  await plugin?.close();
  await emu?.close();
});

describe("native plugin: pulumi up --replace, create-before-delete", () => {
  it("ends with one task, the new one", async () => {
    const urn = pluginUrn("replaced");
    const program = liveRelay();
    const first = await plugin.create(urn, (await plugin.check(urn, {}, program)).inputs);
    // --replace: check without olds, diff (still called), create, then delete the old task.
    const fresh = await plugin.check(urn, {}, program);
    await plugin.diff(first.id, urn, first.properties, fresh.inputs);
    const second = await plugin.create(urn, fresh.inputs);
    await plugin.delete(first.id, urn, first.properties);
    const tasks = emu.tasks().filter((t) => t.StreamName === program.streamName);
    expect(tasks.map((t) => t.TaskId)).toEqual([second.id]);
    expect(second.id).not.toBe(first.id);
  });

  it("a child's identity includes its parents' types; a top-level task's is unchanged", () => {
    const top = identityFromUrn(pluginUrn("relay"));
    const child = identityFromUrn(`urn:pulumi:test::css::my:index:Site$${PLUGIN_TOKEN}::relay`);
    const other = identityFromUrn(`urn:pulumi:test::css::my:index:Venue$${PLUGIN_TOKEN}::relay`);
    expect(new Set([top, child, other]).size).toBe(3);
    expect(top).toBe("css/test/relay");
  });
});
