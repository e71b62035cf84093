// The task quota at preview through the native plugin: each provider instance (a process of its
// own, as the engine starts one per provider reference) counts the Creates its own Checks plan,
// warns once when they pass the account's free slots, and skips a delete-first replacement's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRUNE_COMMAND } from "../../provider/quota/count";
import { TestEmulator } from "../support/emulator";
import type { ProviderHost } from "../support/host";
import { liveRelay } from "../support/tasks";
import { configurePlugin, emulatorAccount, pluginUrn, startPlugin } from "../support/plugin";

let emu: TestEmulator;
let one: ProviderHost;
let other: ProviderHost;

beforeAll(async () => {
  emu = await TestEmulator.start({ taskLimit: 2 });
  [one, other] = await Promise.all([startPlugin(), startPlugin()]);
  await Promise.all([one, other].map((p) => configurePlugin(p, emulatorAccount(emu.url))));
});
afterAll(async () => {
  await Promise.all([one?.close(), other?.close()]);
  await emu?.close();
});

const warnings = (host: ProviderHost) => host.stderr().split("\n").filter((l) => l.startsWith("warning: task quota"));

describe("native plugin: the task quota at preview", () => {
  it("one instance's third Create passes a limit of 2: one warning; another instance counts its own", async () => {
    // A task of the account already (made by its state's earlier run): one slot left.
    const program = liveRelay();
    const inputs = (await one.check(pluginUrn("held"), program, program)).inputs;
    await other.create(pluginUrn("held"), inputs);
    // A delete-first replacement of it (same destination, new extraCmd) reuses its own slot.
    const changed = { ...program, extraCmd: "ignore_region" };
    const checked = (await one.check(pluginUrn("held"), inputs, changed)).inputs;
    const diff = await one.diff(emu.tasks()[0].TaskId, pluginUrn("held"), inputs, checked);
    expect(diff).toMatchObject({ replaces: ["extraCmd"], deleteBeforeReplace: true });
    await one.check(pluginUrn("held"), {}, changed);
    expect(warnings(one)).toEqual([]);
    // Two new tasks: the second does not fit.
    for (const name of ["a", "b"]) expect((await one.check(pluginUrn(name), {}, liveRelay())).failures).toEqual([]);
    const [warning, ...more] = warnings(one);
    expect(more).toEqual([]);
    expect(warning).toContain("this plan has at least 2 Creates");
    expect(warning).toContain("the account holds 1 task, none of them ended (TotalNum) of the 2 it may (LimitTaskNum)");
    expect(warning).toContain("so 1 more fit: `up` would fail at Create 2");
    expect(warning).toContain("none has ended, so `prune --ended` frees nothing");
    await one.check(pluginUrn("c"), {}, liveRelay());
    expect(warnings(one)).toHaveLength(1);
    // The other provider process knows none of that: its one Create fits the slot left.
    await other.check(pluginUrn("d"), {}, liveRelay());
    expect(warnings(other)).toEqual([]);
    expect(warning).not.toContain(PRUNE_COMMAND);
  });
});
