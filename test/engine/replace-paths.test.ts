// Replacements the engine forces without asking the provider's Diff (`up --replace`, `state taint`:
// pkg/resource/deploy/step_generator.go isTargetedReplace), and their end-of-run deletes, through
// the REAL Pulumi CLI. What must hold after every run, whatever the protocol decides about ids:
// one task per resource, the one the state holds; no id in state that the account lacks.
import { describe, expect, it } from "vitest";
import { EngineStack, rootStackSpec, stacksOfEachTest, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const stacks = stacksOfEachTest();

const URN = "urn:pulumi:test::css-pull-tasks::pulumi-nodejs:dynamic/css:LivePullStreamTask::studio";

/** One task per resource, each the one its state holds; deleted-with-the-run olds excepted. */
async function expectOneTaskPerResource(s: EngineStack): Promise<void> {
  const state = (await s.resources()).filter((r) => !r.delete);
  const tasks = s.tasks();
  expect(tasks.map((t) => t.TaskId).sort()).toEqual(state.map((r) => r.id).sort());
}

describe("forced replacements through the real CLI", () => {
  it("up --replace leaves one task, the one the state holds", async () => {
    const studio = relay("studio");
    const stack = await stacks.create(rootStackSpec(tasksYaml({ studio })));
    await stack.up();
    await stack.up(["--replace", URN]);
    await expectOneTaskPerResource(stack);
    expect(await stack.pendingOperations()).toEqual([]);
  });

  it("state taint then up leaves one task, the one the state holds", async () => {
    const stack = await stacks.create(rootStackSpec(tasksYaml({ studio: relay("studio") })));
    await stack.up();
    await stack.must(["state", "taint", URN, "--yes"]);
    await stack.up();
    await expectOneTaskPerResource(stack);
  });

  it("an old left pending delete by a failed run is deleted by the next successful up, the new task kept", async () => {
    const studio = relay("studio");
    const other = relay("other");
    const stack = await stacks.create(rootStackSpec(tasksYaml({ studio, other })));
    await stack.up();
    // --replace studio while other's Modify fails: a failed step skips the end-of-run deletes, so
    // studio's old object stays in state, marked for deletion (deployment_executor.go performPostSteps).
    stack.writeFile("tasks.yaml", tasksYaml({ studio, other: { ...other, comment: "edited" } }));
    stack.emulator.failNext({ action: "ModifyLivePullStreamTask", kind: "error", code: "FailedOperation" });
    const replaced = await stack.pulumi(["up", "--yes", "--skip-preview", "--replace", URN]);
    expect(replaced.code).not.toBe(0);
    expect((await stack.resources()).filter((r) => r.delete).map((r) => r.urn)).toEqual([URN]);
    // Next run (a new provider process): other's Modify fails again. With a Node.js program,
    // --continue-on-error does not reach the end-of-run deletes: the SDK fails the program when a
    // registration fails ("failed to register"), and a failed program bails before performPostSteps
    // (deployment_executor.go Execute, the sourceEvents error branch). Seen with CLI v3.274.0.
    stack.emulator.failNext({ action: "ModifyLivePullStreamTask", kind: "error", code: "FailedOperation" });
    const next = await stack.pulumi(["up", "--yes", "--skip-preview", "--continue-on-error"]);
    expect(next.code).not.toBe(0);
    expect(next.stdout).toContain("failed to register");
    expect((await stack.resources()).filter((r) => r.delete).map((r) => r.urn)).toEqual([URN]);
    // A run that succeeds deletes the pending old object, in a process that saw nothing of the
    // replacement: the task the new object holds must survive it.
    await stack.up();
    expect((await stack.resources()).filter((r) => r.delete)).toEqual([]);
    await expectOneTaskPerResource(stack);
    expect(stack.tasks().map((t) => t.StreamName).sort()).toEqual(["other", "studio"]);
  });
});
