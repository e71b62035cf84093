// The CLI killed (SIGKILL: a crashed runner, an OOM kill) in the middle of an `up` of 50 tasks, then
// what a user does, through the REAL Pulumi CLI: clear the pending operations the checkpoint kept
// (`pulumi stack export`, drop them, `pulumi stack import`), `pulumi refresh`, `pulumi up`. At the
// end: exactly one task per resource, the one the state holds, never 0 or 2, no deleted id in state.
import { describe, expect, it } from "vitest";
import { rootStackSpec, stacksOfEachTest, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const stacks = stacksOfEachTest();

const COUNT = 50;

describe("an up killed midway, through the real CLI", () => {
  it("with PULUMI_SKIP_CHECKPOINTS (no state written until the end), the next up adopts what the killed run made", async () => {
    // docs/performance.md suggests it for large stacks on a local backend: the killed run leaves no
    // trace in the state, and each task it created is found again by its SpecifyTaskId.
    const entries = Object.fromEntries(Array.from({ length: COUNT }, (_, i) => [`t${i}`, relay(`s${i}`)]));
    const stack = await stacks.create(rootStackSpec(tasksYaml(entries), { env: { PULUMI_SKIP_CHECKPOINTS: "true" } }));
    const killed = await stack.pulumi(["up", "--yes", "--skip-preview"], {
      signalAfter: (out) => (out.match(/ created /g) ?? []).length >= 10,
    });
    expect(killed.code).not.toBe(0);
    const made = stack.tasks().length;
    expect(made).toBeGreaterThan(0);
    await stack.must(["cancel", "--yes"]);
    stack.emulator.clearRequests();
    await stack.up();
    const state = await stack.resources();
    const tasks = stack.tasks();
    expect(tasks).toHaveLength(COUNT);
    expect(tasks.map((t) => t.TaskId).sort()).toEqual(state.map((r) => r.id).sort());
    expect(new Set(tasks.map((t) => t.StreamName)).size).toBe(COUNT);
  });

  it("converges to one task per resource after cancel, export/import, refresh and up", async () => {
    const entries = Object.fromEntries(Array.from({ length: COUNT }, (_, i) => [`t${i}`, relay(`s${i}`)]));
    const stack = await stacks.create(rootStackSpec(tasksYaml(entries)));
    const killed = await stack.pulumi(["up", "--yes", "--skip-preview"], {
      signalAfter: (out) => (out.match(/ created /g) ?? []).length >= 10,
    });
    expect(killed.code).not.toBe(0);
    const createdBeforeKill = stack.tasks().length;
    expect(createdBeforeKill).toBeGreaterThan(0);

    // The killed CLI's lock outlives it: the next write says "the stack is currently locked ...
    // delete the lock file with `pulumi cancel`" (CLI v3.274.0, local backend), so the user does.
    const locked = await stack.pulumi(["refresh", "--yes"]);
    expect(locked.stderr).toContain("pulumi cancel");
    await stack.must(["cancel", "--yes"]);
    const exported = await stack.pulumi(["stack", "export"]);
    const deployment = JSON.parse(exported.stdout) as { deployment: { pending_operations?: unknown[] } };
    deployment.deployment.pending_operations = [];
    stack.writeFile("cleared.json", JSON.stringify(deployment));
    await stack.must(["stack", "import", "--file", "cleared.json"]);
    await stack.must(["refresh", "--yes"]);
    await stack.up();

    const state = await stack.resources();
    const tasks = stack.tasks();
    expect(state).toHaveLength(COUNT);
    expect(tasks).toHaveLength(COUNT);
    expect(tasks.map((t) => t.TaskId).sort()).toEqual(state.map((r) => r.id).sort());
    expect(new Set(tasks.map((t) => t.StreamName)).size).toBe(COUNT);
  });
});
