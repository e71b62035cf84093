// Refresh inside an update or a destroy (`--refresh`, `refresh: always`, the Kubernetes operator's
// `refresh: true`), through the REAL Pulumi CLI. The engine calls the provider's Diff after each
// refresh Read (pkg/resource/deploy/step.go RefreshStep.Apply → diffResource) in the same provider
// process as the deletes that follow: nothing a Diff notes may stop those deletes.
import { afterEach, describe, expect, it } from "vitest";
import { EngineStack, rootStackSpec, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

let stack: EngineStack | undefined;
afterEach(async () => {
  await stack?.dispose();
  stack = undefined;
});

const live = (s: EngineStack) => s.tasks().map((t) => t.StreamName).sort();

describe("refresh before the steps, through the real CLI", () => {
  it("destroy --refresh deletes every task", async () => {
    stack = await EngineStack.create(rootStackSpec(tasksYaml({ a: relay("a"), b: relay("b") })));
    await stack.up();
    expect(live(stack)).toEqual(["a", "b"]);
    await stack.must(["destroy", "--yes", "--refresh"]);
    expect(stack.tasks()).toEqual([]);
    expect(await stack.resources()).toEqual([]);
  });

  it("up --refresh deletes a removed entry's task and keeps one task for a renamed one", async () => {
    const a = relay("a");
    const b = relay("b");
    stack = await EngineStack.create(rootStackSpec(tasksYaml({ a, b, c: relay("c") })));
    await stack.up();
    // `c` removed, `b` renamed to `b2` (same task fields: a new resource, the old one deleted).
    stack.writeFile("tasks.yaml", tasksYaml({ a, b2: b }));
    await stack.up(["--refresh"]);
    expect(live(stack)).toEqual(["a", "b"]);
    const state = await stack.resources();
    expect(state.map((r) => r.id).sort()).toEqual(stack.tasks().map((t) => t.TaskId).sort());
  });
});
