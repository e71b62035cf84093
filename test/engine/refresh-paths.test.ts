// Refresh inside an update or a destroy (`--refresh`, `refresh: always`, the Kubernetes operator's
// `refresh: true`), through the REAL Pulumi CLI. The engine calls the provider's Diff after each
// refresh Read (pkg/resource/deploy/step.go RefreshStep.Apply → diffResource) in the same provider
// process as the deletes that follow: nothing a Diff notes may stop those deletes.
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { EngineStack, callOutside, rootStackSpec, stacksOfEachTest, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const stacks = stacksOfEachTest();

const live = (s: EngineStack) => s.tasks().map((t) => t.StreamName).sort();

describe("refresh before the steps, through the real CLI", () => {
  it("destroy --refresh deletes every task", async () => {
    const stack = await stacks.create(rootStackSpec(tasksYaml({ a: relay("a"), b: relay("b") })));
    await stack.up();
    expect(live(stack)).toEqual(["a", "b"]);
    await stack.must(["destroy", "--yes", "--refresh"]);
    expect(stack.tasks()).toEqual([]);
    expect(await stack.resources()).toEqual([]);
  });

  it("up --refresh deletes a removed entry's task and keeps one task for a renamed one", async () => {
    const a = relay("a");
    const b = relay("b");
    const stack = await stacks.create(rootStackSpec(tasksYaml({ a, b, c: relay("c") })));
    await stack.up();
    // `c` removed, `b` renamed to `b2` (same task fields: a new resource, the old one deleted). Its
    // Create would be refused, b's task pushing the stream (issue 23: test/engine/shared-destination):
    // the renamed entry adopts it, as the refusal says, and b's end-of-run Delete keeps it.
    const bId = (await stack.resources()).find((r) => r.urn.endsWith("::b"))!.id!;
    stack.writeFile("tasks.yaml", stringify({ tasks: { a, b2: b }, imports: { b2: bId } }));
    await stack.up(["--refresh"]);
    expect(live(stack)).toEqual(["a", "b"]);
    const state = await stack.resources();
    expect(state.map((r) => r.id).sort()).toEqual(stack.tasks().map((t) => t.TaskId).sort());
  });
});

describe("a destroy after writes outside this stack's last run, through the real CLI", () => {
  it("deletes a task edited outside Pulumi since the last run", async () => {
    const stack = await stacks.create(rootStackSpec(tasksYaml({ a: relay("a") })));
    await stack.up();
    const [task] = stack.tasks();
    await new Promise((r) => setTimeout(r, 1100));
    await callOutside(stack, "ModifyLivePullStreamTask", { TaskId: task.TaskId, Operator: "console", Comment: "edited" });
    const run = await stack.must(["destroy", "--yes"]);
    expect(stack.tasks(), run.stdout).toEqual([]);
  });

  it("deletes a task restarted by its restartTrigger", async () => {
    const a = relay("a");
    const stack = await stacks.create(rootStackSpec(tasksYaml({ a })));
    await stack.up();
    await new Promise((r) => setTimeout(r, 1100));
    stack.writeFile("tasks.yaml", tasksYaml({ a: { ...a, restartTrigger: "1" } }));
    await stack.up();
    expect(stack.emulator.requestsOf("RestartLivePullStreamTask")).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1100));
    await stack.must(["destroy", "--yes"]);
    expect(stack.tasks()).toEqual([]);
  });
});
