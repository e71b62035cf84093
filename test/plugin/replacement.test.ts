// Forced replacement through the native plugin (`pulumi up --replace`), in the engine's order: no
// Diff, Create (create first) makes a new task and supersedes the running one, and the Delete of the
// old id finds it gone, in that run or a later one; a renamed resource that adopted its old self's
// task keeps it. And a child's identity names its parents.
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

/** A plugin process of its own, configured as the first: the engine starts one per command. */
async function nextPlugin(): Promise<ProviderHost> {
  const next = await startPlugin();
  await configurePlugin(next, { ...emulatorAccount(emu.url), region: "ap-guangzhou" });
  return next;
}

const tasksTo = (stream: unknown) => emu.tasks().filter((t) => t.StreamName === stream).map((t) => t.TaskId);

describe("native plugin: pulumi up --replace in the engine's order (check without olds, no Diff)", () => {
  it("create-before-delete: Create makes a new task, the old one goes; the end-of-run Delete finds it gone", async () => {
    const urn = pluginUrn("replaced");
    const program = liveRelay();
    const first = await plugin.create(urn, (await plugin.check(urn, {}, program)).inputs);
    const run = await nextPlugin();
    try {
      const second = await run.create(urn, (await run.check(urn, {}, program)).inputs);
      // Changed with issue 23: it used to adopt the running task (and skip the Delete below).
      expect(second.id).not.toBe(first.id);
      // performPostSteps: the old object's delete.
      await run.delete(first.id, urn, first.properties);
      expect(tasksTo(program.streamName)).toEqual([second.id]);
    } finally {
      await run.close();
    }
  });

  it("create-before-delete whose delete was left to a later run: that run's delete leaves the new task", async () => {
    const urn = pluginUrn("replaced-later");
    const program = liveRelay();
    const first = await plugin.create(urn, (await plugin.check(urn, {}, program)).inputs);
    const run1 = await nextPlugin();
    const second = await run1.create(urn, (await run1.check(urn, {}, program)).inputs);
    await run1.close(); // a step failed elsewhere: no deletes in this run
    const run2 = await nextPlugin();
    try {
      const checked = await run2.check(urn, second.properties, program);
      expect((await run2.diff(second.id, urn, second.properties, checked.inputs)).changes).toBe("none");
      await run2.delete(first.id, urn, first.properties); // the pending delete, at the end of run 2
      expect(tasksTo(program.streamName)).toEqual([second.id]);
      // And a destroy (a process that saw nothing of it) deletes it.
      const destroy = await nextPlugin();
      await destroy.delete(second.id, urn, second.properties);
      await destroy.close();
      expect(tasksTo(program.streamName)).toEqual([]);
    } finally {
      await run2.close();
    }
  });

  it("a renamed resource that adopts its old self's task (adoptTaskId): the old URN's end-of-run Delete is skipped", async () => {
    const oldUrn = pluginUrn("before-rename");
    const newUrn = pluginUrn("after-rename");
    const program = liveRelay();
    const first = await plugin.create(oldUrn, (await plugin.check(oldUrn, {}, program)).inputs);
    const run = await nextPlugin();
    try {
      const adopted = { ...program, adoptTaskId: first.id };
      const second = await run.create(newUrn, (await run.check(newUrn, {}, adopted)).inputs);
      expect(second.id).toBe(first.id);
      // The old URN is no longer registered: deleted at the end of the run, by ITS urn. The task is
      // the new resource's now, so the delete is skipped (a guard asking about the old URN alone
      // would have deleted the stream the state now holds).
      await run.delete(first.id, oldUrn, first.properties);
      expect(tasksTo(program.streamName)).toEqual([first.id]);
    } finally {
      await run.close();
    }
  });

  it("delete-before-replace: the old task is deleted, a new one created", async () => {
    const urn = pluginUrn("replaced-dbr");
    const program = liveRelay();
    const first = await plugin.create(urn, (await plugin.check(urn, {}, program)).inputs);
    const run = await nextPlugin();
    try {
      await run.delete(first.id, urn, first.properties);
      const second = await run.create(urn, (await run.check(urn, {}, program)).inputs);
      expect(second.id).not.toBe(first.id);
      expect(tasksTo(program.streamName)).toEqual([second.id]);
    } finally {
      await run.close();
    }
  });
});

describe("native plugin: identity", () => {
  it("a child's identity includes its parents' types; a top-level task's is unchanged", () => {
    const top = identityFromUrn(pluginUrn("relay"));
    const child = identityFromUrn(`urn:pulumi:test::css::my:index:Site$${PLUGIN_TOKEN}::relay`);
    const other = identityFromUrn(`urn:pulumi:test::css::my:index:Venue$${PLUGIN_TOKEN}::relay`);
    expect(new Set([top, child, other]).size).toBe(3);
    expect(top).toBe("css/test/relay");
  });
});
