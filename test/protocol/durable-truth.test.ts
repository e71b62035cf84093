// Engine paths where the provider process that deletes a task is not the one that saw it live, or
// saw it only through a refresh, driven through the real provider host in the engine's order (read
// from pulumi/pulumi v3.260; docs/engine.md cites each). Every decision of the write protocol must
// come out the same in any process: what one process remembers of a run cannot decide a Delete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { TestEmulator } from "../support/emulator";
import { ProviderHost } from "../support/host";
import { emulatorConfig, liveRelay } from "../support/tasks";

type Props = Record<string, unknown>;

let emu: TestEmulator;
let first: ProviderHost;
const open: ProviderHost[] = [];

beforeAll(async () => {
  emu = await TestEmulator.start({ rateScale: 10 });
  first = await ProviderHost.start();
  await first.configure(emulatorConfig(emu.url));
});

afterAll(async () => {
  for (const h of open) await h.close();
  await first?.close();
  await emu?.close();
});

/** A provider process of its own: the engine starts one per command and per provider reference. */
async function process_(): Promise<ProviderHost> {
  const h = await first.respawn();
  open.push(h);
  return h;
}

const tasksTo = (stream: unknown) => emu.tasks().filter((task) => task.StreamName === stream).map((t) => t.TaskId);

/** A resource created by an earlier `pulumi up` (in a process of its own). */
async function created(stack: Stack, name: string, program: Props): Promise<void> {
  const h = await process_();
  const checked = await h.check(stack.urn(name), {}, stack.registered(name, program));
  const r = await h.create(stack.urn(name), checked.inputs);
  stack.state.set(name, { id: r.id, inputs: checked.inputs, outputs: r.properties });
}

describe("refresh inside the run: `destroy --refresh`, `up --refresh` (case 1)", () => {
  // deployment_executor.go Execute: opts.Refresh → refresh first; step.go RefreshStep.Apply reads,
  // then diffResource(olds = the refreshed outputs, news = the state's inputs) to show drift. Then
  // the destroy's DeleteStep (or GenerateDeletes, for a resource no longer registered), in the same
  // process, with the refreshed outputs.
  for (const command of ["destroy --refresh", "up --refresh, the resource removed"]) {
    it(`${command}: the refresh's Diff in the same process does not keep the task`, async () => {
      const stack = new Stack(first, `refresh-${command.split(" ")[0]}`);
      const program = liveRelay();
      await created(stack, "relay", program);
      const old = stack.state.get("relay")!;
      const h = await process_();
      const urn = stack.urn("relay");
      const read = await h.read(old.id, urn, stack.oldOutputs(old), old.inputs);
      expect((await h.diff(old.id, urn, read.properties, old.inputs)).changes).toBe("none");
      await h.delete(old.id, urn, read.properties);
      expect(tasksTo(program.streamName)).toEqual([]);
    });
  }
});

/**
 * A resource created earlier, then `up --replace` in a process of its own (isTargetedReplace: Check
 * without olds, no Diff), create first: the old object is what the engine deletes afterwards.
 */
async function forcedReplacement(stackName: string, program: Props) {
  const stack = new Stack(first, stackName);
  await created(stack, "relay", program);
  const old = stack.state.get("relay")!;
  const urn = stack.urn("relay");
  const h = await process_();
  const checked = await h.check(urn, {}, stack.registered("relay", program));
  const replaced = await h.create(urn, checked.inputs);
  return { stack, old, urn, now: { id: replaced.id, inputs: checked.inputs, outputs: replaced.properties } };
}

describe("a replacement's old object deleted in a later run or another process (cases 2, 3)", () => {
  it("--replace interrupted, then a run with --continue-on-error whose update fails: the state's task stays", async () => {
    // Run 1: the forced replacement; another step fails, so the old object is left for deletion
    // (CreateStep.Apply marks it Delete=true; the cancelled run runs no deletes).
    const program = liveRelay({ comment: "v1" });
    const { stack, old, urn, now } = await forcedReplacement("continue-on-error", program);
    // Run 2 (--continue-on-error): Diff finds a change, the Update fails, and performPostSteps still
    // deletes the pending old object at the end of the run.
    const run2 = await process_();
    const changed = stack.registered("relay", { ...program, comment: "v2" });
    const news = (await run2.check(urn, now.inputs, changed)).inputs;
    expect((await run2.diff(now.id, urn, now.outputs, news)).changes).toBe("some");
    emu.failNext({ action: "ModifyLivePullStreamTask", kind: "error", code: "FailedOperation" });
    await expect(run2.update(now.id, urn, now.outputs, news)).rejects.toThrow(/FailedOperation/);
    await run2.delete(old.id, urn, stack.oldOutputs(old));
    // The state holds the replacement's id: a task pushes the stream under it, and only that one.
    expect(tasksTo(program.streamName)).toEqual([now.id]);
  });

  it("--replace in the same run as a provider change: the old object's Delete in the old provider's process", async () => {
    // The forced replacement's Create in the new provider reference's process.
    const program = liveRelay();
    const { stack, old, urn, now: replaced } = await forcedReplacement("provider-change", program);
    // step.go DeleteStep: the old object's provider, another process that saw nothing of this run.
    const oldProvider = await process_();
    await oldProvider.delete(old.id, urn, stack.oldOutputs(old));
    expect(tasksTo(program.streamName)).toEqual([replaced.id]);
    expect(replaced.id).not.toBe(old.id);
  });
});

describe("the same paths through the engine simulator (harness/engine.ts)", () => {
  it("destroy --refresh, up --refresh with a resource removed, --continue-on-error: no task left, none lost", async () => {
    const stack = new Stack({ current: first }, "simulated");
    const [kept, removed, failing] = [liveRelay(), liveRelay(), liveRelay({ comment: "v1" })];
    const all = new Map([["kept", kept], ["removed", removed], ["failing", failing]].map(([n, p]) => [n as string, stack.registered(n as string, p as Props)]));
    expect((await stack.apply(all)).failures).toEqual([]);
    // up --refresh without `removed`, `failing`'s update refused, --continue-on-error: the refresh
    // Diffs every resource in the process that then deletes `removed`.
    emu.failNext({ action: "ModifyLivePullStreamTask", kind: "error", code: "FailedOperation" });
    const next = new Map([["kept", all.get("kept")!], ["failing", stack.registered("failing", { ...failing, comment: "v2" })]]);
    const run = await stack.apply(next, undefined, { refresh: true, continueOnError: true });
    expect(run.failures.map((f) => [f.name, f.op])).toEqual([["failing", "update"]]);
    expect(tasksTo(removed.streamName)).toEqual([]);
    expect(tasksTo(kept.streamName)).toEqual([stack.state.get("kept")!.id]);
    expect(tasksTo(failing.streamName)).toEqual([stack.state.get("failing")!.id]);
    await stack.destroy("kept", { refresh: true });
    expect(tasksTo(kept.streamName)).toEqual([]);
  });
});
