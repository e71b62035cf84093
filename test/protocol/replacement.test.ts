// Forced replacements through the real provider host: `pulumi up --replace`, replaceOnChanges on
// a field normally modified in place, in both orders the engine may use, and a re-run after a
// replacement interrupted between the new task's Create and the engine recording it. Each must
// end with exactly one task for the resource, and it is the one the state holds.
import { describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { ProviderHost } from "../support/host";
import { hostedStack } from "../support/hosted";
import { emulatorConfig, liveRelay } from "../support/tasks";
import { programResource } from "../../harness/program";

const t = hostedStack("replace", { rateScale: 10 });

const tasksTo = (stream: unknown) => t.emu.tasks().filter((task) => task.StreamName === stream);

/** Exactly one task pushes the program's stream, it is the state's, and it is not `oldId`. */
function expectReplacedOnce(name: string, program: Record<string, unknown>, oldId: string): void {
  const tasks = tasksTo(program.streamName);
  expect(tasks.map((task) => task.TaskId)).toEqual([t.stack.state.get(name)!.id]);
  expect(tasks[0].TaskId).not.toBe(oldId);
}

describe("pulumi up --replace", () => {
  for (const deleteBeforeReplace of [false, true]) {
    const order = deleteBeforeReplace ? "delete-before-replace" : "create-before-delete";
    it(`${order}: one new task, owned by state; the old one is gone`, async () => {
      const name = `targeted-${order}`;
      const program = liveRelay({ comment: "v1" });
      await t.stack.up(name, program);
      const oldId = t.stack.state.get(name)!.id;
      const plan = await t.stack.up(name, program, { replace: true, deleteBeforeReplace });
      expect(plan.op).toBe("replace");
      expectReplacedOnce(name, program, oldId);
      // Replaced again (the next generation's id is free once the first is gone): still one.
      const secondOld = t.stack.state.get(name)!.id;
      await t.stack.up(name, program, { replace: true, deleteBeforeReplace });
      expectReplacedOnce(name, program, secondOld);
      expect((await t.stack.up(name, program)).op).toBe("same");
    });
  }

  it("the provider asks for delete-before-replace when the old and new task share the stream", async () => {
    const name = "targeted-default-order";
    const program = liveRelay();
    await t.stack.up(name, program);
    const oldId = t.stack.state.get(name)!.id;
    const plan = await t.stack.up(name, program, { replace: true });
    expect(plan.diff!.deleteBeforeReplace).toBe(true);
    expectReplacedOnce(name, program, oldId);
  });
});

describe("replaceOnChanges on an in-place field", () => {
  for (const deleteBeforeReplace of [false, true]) {
    const order = deleteBeforeReplace ? "delete-before-replace" : "create-before-delete";
    it(`${order}: a comment change replaces the task; one task remains, carrying the change`, async () => {
      const name = `roc-${order}`;
      const program = liveRelay({ comment: "before" });
      await t.stack.up(name, program);
      const oldId = t.stack.state.get(name)!.id;
      const changed = { ...program, comment: "after" };
      const plan = await t.stack.up(name, changed, { replaceOnChanges: ["comment"], deleteBeforeReplace });
      expect(plan.op).toBe("replace");
      expectReplacedOnce(name, changed, oldId);
      expect(tasksTo(program.streamName)[0].Comment).toBe("after");
    });
  }
});

describe("a replacement interrupted after the new task's Create", () => {
  it("create-before-delete: the re-run adopts the task the interrupted run created, then deletes the old one", async () => {
    const name = "interrupted-replace";
    const program = liveRelay({ comment: "v1" });
    await t.stack.up(name, program);
    const oldId = t.stack.state.get(name)!.id;
    // Run 1 (its own t.host): check and diff as for `--replace`, the new task is created, then the
    // run dies before the engine records it: the state still holds only the old task.
    const hostA = await ProviderHost.start();
    await hostA.configure(emulatorConfig(t.emu.url));
    const runA = new Stack(hostA, "replace");
    runA.state.set(name, t.stack.state.get(name)!);
    const plan = await runA.preview(name, program, { replace: true });
    await hostA.diff(oldId, runA.urn(name), t.stack.state.get(name)!.outputs, plan.check.inputs);
    const created = await hostA.create(runA.urn(name), plan.check.inputs);
    hostA.kill();
    expect(created.id).not.toBe(oldId);
    expect(tasksTo(program.streamName)).toHaveLength(2);
    // Run 2 (a fresh t.host): the same replacement again.
    await t.stack.up(name, program, { replace: true, deleteBeforeReplace: false });
    expect(tasksTo(program.streamName).map((task) => task.TaskId)).toEqual([created.id]);
    expect(t.stack.state.get(name)!.id).toBe(created.id);
  });
});

describe("identity", () => {
  it("two resources with the same name under different parents never share a task", async () => {
    const program = liveRelay();
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
  it("a throttled re-send never moves on to the next SpecifyTaskId: no second task", async () => {
    const name = "unknown-create";
    const program = liveRelay();
    await t.stack.up(name, program);
    const oldId = t.stack.state.get(name)!.id;
    // A destination change: the new task's id is new (generation 0), the old task is kept until
    // the new one exists. Its first Create is applied but the answer is lost; reads lag behind
    // (the task is not shown by its SpecifyTaskId); every re-send is throttled until retries give up.
    const moved = { ...program, streamName: `${program.streamName}-moved` };
    let lostId: string | undefined;
    const lost = (b: Record<string, any>) => b.SpecifyTaskId === lostId;
    t.emu.failNext({ action: "CreateLivePullStreamTask", kind: "lost-response", match: (b) => ((lostId = b.SpecifyTaskId), true) });
    // More throttles in a row than the 6 attempts other faults get: throttles never count as
    // attempts (retry.ts), so the re-send goes out again until the API takes it.
    t.emu.failNext({ action: "CreateLivePullStreamTask", kind: "error", code: "RequestLimitExceeded", match: lost, times: 10 });
    t.emu.failNext({ action: "DescribeLivePullStreamTasks", kind: "error", code: "InvalidParameter.TaskNotExist", match: lost, times: 100 });
    try {
      // Adopted at once, or (reads lagging) left to the next run with a message saying so.
      const outcome = await t.stack.up(name, moved).then(() => "ok", (e: Error) => e.message);
      expect(outcome).toMatch(/^ok$|RequestLimitExceeded|next `pulumi up`/);
    } finally {
      t.emu.clearFaults();
    }
    expect(tasksTo(moved.streamName)).toHaveLength(1);
    // The next run adopts that task and deletes the old one: one task, the state's.
    await t.stack.up(name, moved);
    expect(tasksTo(moved.streamName).map((task) => task.TaskId)).toEqual([t.stack.state.get(name)!.id]);
    expect(t.emu.task(oldId)).toBeUndefined();
  }, 60_000);
});
