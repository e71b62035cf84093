// 200 tasks through the REAL Pulumi CLI at the engine's default --parallel (4 x CPUs) and at 64:
// no failure, one task per resource, and a no-op preview after the up.
import { describe, expect, it } from "vitest";
import { rootStackSpec, stacksOfEachTest, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const stacks = stacksOfEachTest();

const COUNT = 200;

describe("200 tasks through the real CLI", () => {
  for (const parallel of [undefined, 64]) {
    it(`up, no-op preview and destroy at --parallel ${parallel ?? "default"}`, async () => {
      const entries = Object.fromEntries(Array.from({ length: COUNT }, (_, i) => [`t${i}`, relay(`s${i}`)]));
      const stack = await stacks.create(rootStackSpec(tasksYaml(entries)));
      const flags = parallel ? ["--parallel", String(parallel)] : [];
      await stack.up(flags);
      const state = await stack.resources();
      expect(state).toHaveLength(COUNT);
      expect(stack.tasks().map((t) => t.TaskId).sort()).toEqual(state.map((r) => r.id).sort());
      await stack.must(["preview", "--expect-no-changes", ...flags]);
      await stack.must(["destroy", "--yes", ...flags]);
      expect(stack.tasks()).toEqual([]);
    });
  }
});
