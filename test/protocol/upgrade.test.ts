// Upgrades: state keeps the `__provider` text of the release that last created or updated each
// resource, and the engine sends it with the old object (Diff/Update olds, Read, Delete: the dynamic
// host loads the provider from the Delete's and Read's properties). test/fixtures/upgrade holds that
// text from an earlier release (generate.sh, commit 05dc408); it must drive the current impl.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Stack, type HostRef } from "../../harness/engine";
import { TestEmulator } from "../support/emulator";
import { ProviderHost } from "../support/host";
import { emulatorConfig, liveRelay } from "../support/tasks";

const OLD = fs.readFileSync(path.join(__dirname, "..", "fixtures", "upgrade", "provider-05dc408.txt"), "utf8");

let emu: TestEmulator;
let oldHost: ProviderHost;
let newHost: ProviderHost;

beforeAll(async () => {
  emu = await TestEmulator.start({ rateScale: 10 });
  oldHost = await ProviderHost.start({ providerText: OLD });
  await oldHost.configure(emulatorConfig(emu.url));
  newHost = await ProviderHost.start();
  await newHost.configure(emulatorConfig(emu.url));
});

afterAll(async () => {
  await oldHost?.close();
  await newHost?.close();
  await emu?.close();
});

const tasksTo = (stream: unknown) => emu.tasks().filter((task) => task.StreamName === stream);

describe("the serialised provider of an earlier release", () => {
  it("is what the fixture holds: stubs loading the impl by package name, no credentials", () => {
    expect(OLD).toContain('"pulumi-css-pull-tasks/dist/provider/impl"');
    expect(OLD).not.toBe(newHost.providerText);
    expect(OLD).not.toMatch(/secretKey|AKID|emulator-secret-key/i);
  });

  it("drives Diff, Update, Read and Delete against the current impl", async () => {
    const ref: HostRef = { current: oldHost };
    const stack = new Stack(ref, "upgrade");
    const program = liveRelay({ comment: "v1" });
    await stack.up("relay", program);
    const id = stack.state.get("relay")!.id;
    expect(stack.state.get("relay")!.provider).toBe(OLD);
    // The old text in the news too (Diff and Update load it): no change, then one in-place update.
    expect((await stack.preview("relay", program)).op).toBe("same");
    expect((await stack.up("relay", { ...program, comment: "v2" })).op).toBe("update");
    expect(emu.task(id)!.Comment).toBe("v2");
    expect(stack.state.get("relay")!.provider).toBe(OLD);
    // Upgraded program, old state: Diff and Update get olds carrying the old text, Read and Delete
    // are served by it.
    ref.current = newHost;
    expect((await stack.preview("relay", { ...program, comment: "v2" })).op).toBe("same");
    expect(await stack.refresh("relay")).toBe("kept");
    stack.state.get("relay")!.provider = OLD;
    expect((await stack.up("relay", { ...program, comment: "v3" })).op).toBe("update");
    expect(stack.state.get("relay")!.provider).toBe(newHost.providerText);
    stack.state.get("relay")!.provider = OLD;
    await stack.destroy("relay");
    expect(tasksTo(program.streamName)).toEqual([]);
  });
});
