// Forced replacements through the real provider host: `pulumi up --replace`, in both orders the
// engine may use, and a re-run after a replacement interrupted between the new task's Create and
// the engine recording it. Each must end with exactly one task for the resource, a new one, and it
// is the one the state holds.
import { describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { ProviderHost } from "../support/host";
import { hostedStack } from "../support/hosted";
import { emulatorConfig, liveRelay } from "../support/tasks";
import { programResource } from "../../harness/program";
import { lostCreateWhileReadsLag } from "../support/lost-create";

const t = hostedStack("replace", { rateScale: 10 });

const tasksTo = (stream: unknown) => t.emu.tasks().filter((task) => task.StreamName === stream);

/** Exactly one task pushes the program's stream, it is the state's, and it is not `oldId`. */
function expectReplacedOnce(name: string, program: Record<string, unknown>, oldId: string): void {
  const tasks = tasksTo(program.streamName);
  expect(tasks.map((task) => task.TaskId)).toEqual([t.stack.state.get(name)!.id]);
  expect(tasks[0].TaskId).not.toBe(oldId);
}

describe("pulumi up --replace (the engine checks without olds and never calls Diff)", () => {
  it("create-before-delete (the engine's default for a targeted replace): a new task, then the old one deleted", async () => {
    // Changed with issue 23: Create used to adopt the running task and its Delete was skipped by
    // what the process remembered, so `--replace` replaced nothing. Now the replacement the user
    // asked for happens: the new task first (no gap), then the old one is gone.
    const name = "targeted-create-before-delete";
    const program = liveRelay({ comment: "v1" });
    await t.stack.up(name, program);
    const oldId = t.stack.state.get(name)!.id;
    const plan = await t.stack.up(name, program, { replace: true });
    expect(plan).toMatchObject({ op: "replace", diffCalled: false, deleteBeforeReplace: false });
    expectReplacedOnce(name, program, oldId);
    // The old task was deleted by the Create that superseded it, right after the new one existed;
    // the engine's own Delete of the old id at the end found it gone.
    const at = (action: string) => t.emu.requests.map((r) => r.action).lastIndexOf(action);
    expect(at("CreateLivePullStreamTask")).toBeLessThan(at("DeleteLivePullStreamTask"));
    expect(t.emu.requests[at("DeleteLivePullStreamTask")].body.TaskId).toBe(oldId);
    expect(t.stack.pendingDeletes).toEqual([]);
    expect((await t.stack.up(name, program)).op).toBe("same");
  });

  it("delete-before-replace (the resource option): a new task, owned by state; the old one is gone", async () => {
    const name = "targeted-delete-before-replace";
    const program = liveRelay({ comment: "v1" });
    await t.stack.up(name, program);
    const oldId = t.stack.state.get(name)!.id;
    const plan = await t.stack.up(name, program, { replace: true, deleteBeforeReplace: true });
    expect(plan).toMatchObject({ op: "replace", diffCalled: false, deleteBeforeReplace: true });
    expectReplacedOnce(name, program, oldId);
    expect((await t.stack.up(name, program)).op).toBe("same");
  });
});

// replaceOnChanges cannot replace a dynamic resource: the engine decides it from the Diff's detailed
// diff, which the dynamic host never returns. Both orders through the native plugin, and the dynamic
// resource's in-place update: test/plugin/import-diff.test.ts.

describe("a replacement interrupted after the new task's Create", () => {
  it("create-before-delete: the re-run supersedes the task the interrupted run created, and the old one goes", async () => {
    const name = "interrupted-replace";
    const program = liveRelay({ comment: "v1" });
    await t.stack.up(name, program);
    const oldId = t.stack.state.get(name)!.id;
    const moved = { ...program, streamName: `${program.streamName}-moved` };
    // Run 1 (its own host): check, diff (a destination change: replace, create first), the new
    // task's Create, then the run dies before the engine records it: state holds only the old task.
    const hostA = await ProviderHost.start();
    await hostA.configure(emulatorConfig(t.emu.url));
    const runA = new Stack(hostA, "replace");
    runA.state.set(name, t.stack.state.get(name)!);
    const plan = await runA.preview(name, moved);
    expect(plan).toMatchObject({ op: "replace", deleteBeforeReplace: false });
    const fresh = await hostA.check(runA.urn(name), {}, runA.registered(name, moved));
    const created = await hostA.create(runA.urn(name), fresh.inputs);
    hostA.kill();
    expect(created.id).not.toBe(oldId);
    // Run 2 (another host): the same replacement finds that task holding its id and supersedes it
    // (changed with issue 23: it used to adopt it); the old task goes at the end. One task.
    await t.stack.up(name, moved);
    expect(tasksTo(moved.streamName).map((task) => task.TaskId)).toEqual([t.stack.state.get(name)!.id]);
    expect(t.emu.task(created.id)).toBeUndefined();
    expect(tasksTo(program.streamName)).toEqual([]);
  });
});

describe("identity", () => {
  it("two resources with the same name under different parents never share a task", async () => {
    // One destination for both on purpose (allowSharedDestination): what is tested is their ids.
    const program = liveRelay({ allowSharedDestination: true });
    const a = await programResource("relay", program, "css", "test", { parentName: "site-a" });
    const b = await programResource("relay", program, "css", "test", { parentName: "site-b" });
    expect(a.inputs.__identity).not.toBe(b.inputs.__identity);
    const first = await t.host.create(t.stack.urn("relay-a"), (await t.host.check(t.stack.urn("relay-a"), {}, a.inputs)).inputs);
    const second = await t.host.create(t.stack.urn("relay-b"), (await t.host.check(t.stack.urn("relay-b"), {}, b.inputs)).inputs);
    expect(second.id).not.toBe(first.id);
    await t.host.delete(first.id, t.stack.urn("relay-a"), first.properties);
    await t.host.delete(second.id, t.stack.urn("relay-b"), second.properties);
  });
});

describe("a replacement whose Create outcome stays unknown", () => {
  it("a throttled re-send (throttles are retried, never attempts) never moves on to the next SpecifyTaskId: no second task", async () => {
    await lostCreateWhileReadsLag(t, "unknown-create", "throttled", /^ok$|RequestLimitExceeded|next `pulumi up`/);
  }, 60_000);
});
