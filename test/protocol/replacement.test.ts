// Forced replacements through the real provider host: `pulumi up --replace`, replaceOnChanges on
// a field normally modified in place, in both orders the engine may use, and a re-run after a
// replacement interrupted between the new task's Create and the engine recording it. Each must
// end with exactly one task for the resource, and it is the one the state holds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { TestEmulator } from "../support/emulator";
import { ProviderHost } from "../support/host";
import { emulatorConfig, liveRelay } from "../support/tasks";
import { programResource } from "../../harness/program";

let emu: TestEmulator;
let host: ProviderHost;
let stack: Stack;

beforeAll(async () => {
  emu = await TestEmulator.start({ rateScale: 10 });
  host = await ProviderHost.start();
  await host.configure(emulatorConfig(emu.url));
  stack = new Stack(host, "replace");
});

afterAll(async () => {
  await host?.close();
  await emu?.close();
});

const tasksTo = (stream: unknown) => emu.tasks().filter((t) => t.StreamName === stream);

/** Exactly one task pushes the program's stream, it is the state's, and it is not `oldId`. */
function expectReplacedOnce(name: string, program: Record<string, unknown>, oldId: string): void {
  const tasks = tasksTo(program.streamName);
  expect(tasks.map((t) => t.TaskId)).toEqual([stack.state.get(name)!.id]);
  expect(tasks[0].TaskId).not.toBe(oldId);
}

describe("pulumi up --replace", () => {
  for (const deleteBeforeReplace of [false, true]) {
    const order = deleteBeforeReplace ? "delete-before-replace" : "create-before-delete";
    it(`${order}: one new task, owned by state; the old one is gone`, async () => {
      const name = `targeted-${order}`;
      const program = liveRelay({ comment: "v1" });
      await stack.up(name, program);
      const oldId = stack.state.get(name)!.id;
      const plan = await stack.up(name, program, { replace: true, deleteBeforeReplace });
      expect(plan.op).toBe("replace");
      expectReplacedOnce(name, program, oldId);
      // Replaced again (the next generation's id is free once the first is gone): still one.
      const secondOld = stack.state.get(name)!.id;
      await stack.up(name, program, { replace: true, deleteBeforeReplace });
      expectReplacedOnce(name, program, secondOld);
      expect((await stack.up(name, program)).op).toBe("same");
    });
  }

  it("the provider asks for delete-before-replace when the old and new task share the stream", async () => {
    const name = "targeted-default-order";
    const program = liveRelay();
    await stack.up(name, program);
    const oldId = stack.state.get(name)!.id;
    const plan = await stack.up(name, program, { replace: true });
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
      await stack.up(name, program);
      const oldId = stack.state.get(name)!.id;
      const changed = { ...program, comment: "after" };
      const plan = await stack.up(name, changed, { replaceOnChanges: ["comment"], deleteBeforeReplace });
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
    await stack.up(name, program);
    const oldId = stack.state.get(name)!.id;
    // Run 1 (its own host): check and diff as for `--replace`, the new task is created, then the
    // run dies before the engine records it: the state still holds only the old task.
    const hostA = await ProviderHost.start();
    await hostA.configure(emulatorConfig(emu.url));
    const runA = new Stack(hostA, "replace");
    runA.state.set(name, stack.state.get(name)!);
    const plan = await runA.preview(name, program, { replace: true });
    await hostA.diff(oldId, runA.urn(name), stack.state.get(name)!.outputs, plan.check.inputs);
    const created = await hostA.create(runA.urn(name), plan.check.inputs);
    hostA.kill();
    expect(created.id).not.toBe(oldId);
    expect(tasksTo(program.streamName)).toHaveLength(2);
    // Run 2 (a fresh host): the same replacement again.
    await stack.up(name, program, { replace: true, deleteBeforeReplace: false });
    expect(tasksTo(program.streamName).map((t) => t.TaskId)).toEqual([created.id]);
    expect(stack.state.get(name)!.id).toBe(created.id);
  });
});

describe("identity", () => {
  it("two resources with the same name under different parents never share a task", async () => {
    const program = liveRelay();
    const a = await programResource("relay", program, "css", "test", { parentName: "site-a" });
    const b = await programResource("relay", program, "css", "test", { parentName: "site-b" });
    expect(a.inputs.__identity).not.toBe(b.inputs.__identity);
    const first = await host.create(stack.urn("relay-a"), (await host.check(stack.urn("relay-a"), {}, a.inputs)).inputs);
    const second = await host.create(stack.urn("relay-b"), (await host.check(stack.urn("relay-b"), {}, b.inputs)).inputs);
    expect(second.id).not.toBe(first.id);
    await host.delete(first.id, stack.urn("relay-a"), first.properties);
    await host.delete(second.id, stack.urn("relay-b"), second.properties);
  });
});
