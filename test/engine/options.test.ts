// Resource options and stack settings that change how the engine replaces or deletes, through the
// REAL Pulumi CLI, on a program of the project's own: replacementTrigger (replaces without Diff),
// deleteBeforeReplace, `pulumi:autonaming` (forces delete-before-replace on every resource:
// step_generator.go), aliases (a rename that keeps the resource), retainOnDelete and protect.
import { describe, expect, it } from "vitest";
import { EngineStack, programSpec, stacksOfEachTest } from "./support/cli";
import { relay } from "./support/tasks";

const stacks = stacksOfEachTest();

/** index.js declaring one task `name` with these args and options (JSON; `trigger` from config). */
function program(name: string, args: Record<string, unknown>, options: string): Record<string, string> {
  return {
    "index.js": [
      'const pulumi = require("@pulumi/pulumi");',
      'const { LivePullStreamTask } = require("pulumi-css-pull-tasks");',
      "const config = new pulumi.Config();",
      `const task = new LivePullStreamTask(${JSON.stringify(name)}, ${JSON.stringify(args)}, ${options});`,
      "exports.taskId = task.id;",
      "",
    ].join("\n"),
  };
}

/** The Creates and Deletes the provider sent, in order. */
function writes(s: EngineStack): string[] {
  const kinds = new Set(["DeleteLivePullStreamTask", "CreateLivePullStreamTask"]);
  return s.emulator.requests.map((r) => r.action).filter((a) => kinds.has(a));
}

async function expectOneTaskHeld(s: EngineStack): Promise<void> {
  const state = (await s.resources()).filter((r) => !r.delete);
  expect(state).toHaveLength(1);
  expect(s.tasks().map((t) => t.TaskId)).toEqual([state[0].id]);
}

describe("resource options through the real CLI", () => {
  it("replacementTrigger: a changed trigger replaces the task, one task remains, the one the state holds", async () => {
    const args = relay("trig");
    const stack = await stacks.create(
      programSpec(program("studio", args, '{ replacementTrigger: config.get("trigger") ?? "1" }')),
    );
    await stack.up();
    const [first] = stack.tasks();
    await stack.must(["config", "set", "trigger", "2"]);
    const run = await stack.up();
    expect(run.stdout).toMatch(/replaced/);
    await expectOneTaskHeld(stack);
    expect(stack.tasks()[0].TaskId).not.toBe(first.TaskId);
  });

  it("deleteBeforeReplace on a destination change: the old task goes first, one task remains", async () => {
    const args = relay("dbr");
    const stack = await stacks.create(programSpec(program("studio", args, "{ deleteBeforeReplace: true }")));
    await stack.up();
    stack.writeFile("index.js", program("studio", { ...args, streamName: "dbr2" }, "{ deleteBeforeReplace: true }")["index.js"]);
    stack.emulator.clearRequests();
    await stack.up();
    expect(writes(stack)).toEqual(["DeleteLivePullStreamTask", "CreateLivePullStreamTask"]);
    await expectOneTaskHeld(stack);
    expect(stack.tasks()[0].StreamName).toBe("dbr2");
  });

  it("pulumi:autonaming (delete-before-replace on every resource) with up --replace: one task remains", async () => {
    const args = relay("auto");
    const stack = await stacks.create(
      programSpec(program("studio", args, "{}"), { config: { "pulumi:autonaming.mode": "verbatim" } }),
    );
    await stack.up();
    const urn = (await stack.resources())[0].urn;
    stack.emulator.clearRequests();
    await stack.up(["--replace", urn]);
    await expectOneTaskHeld(stack);
    expect(writes(stack)[0]).toBe("DeleteLivePullStreamTask");
  });

  it("an aliased rename keeps the task; a --replace after it leaves one task", async () => {
    const args = relay("alias");
    const stack = await stacks.create(programSpec(program("studio", args, "{}")));
    await stack.up();
    const [first] = stack.tasks();
    stack.writeFile("index.js", program("studio-renamed", args, '{ aliases: [{ name: "studio" }] }')["index.js"]);
    await stack.up();
    await expectOneTaskHeld(stack);
    expect(stack.tasks()[0].TaskId).toBe(first.TaskId);
    const urn = (await stack.resources())[0].urn;
    expect(urn).toMatch(/::studio-renamed$/);
    await stack.up(["--replace", urn]);
    await expectOneTaskHeld(stack);
  });

  it("retainOnDelete keeps the task on destroy; protect refuses the destroy", async () => {
    const args = relay("keep");
    const stack = await stacks.create(programSpec(program("studio", args, "{ protect: true }")));
    await stack.up();
    const refused = await stack.pulumi(["destroy", "--yes"]);
    expect(refused.code).not.toBe(0);
    expect(stack.tasks()).toHaveLength(1);
    stack.writeFile("index.js", program("studio", args, "{ retainOnDelete: true }")["index.js"]);
    await stack.up();
    await stack.must(["destroy", "--yes"]);
    expect(await stack.resources()).toEqual([]);
    expect(stack.tasks()).toHaveLength(1);
  });
});
