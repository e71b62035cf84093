// A renamed tasks.yaml key through the REAL Pulumi CLI, on the root stack (dynamic resource):
// `renamedFrom: <old key>` becomes a Pulumi alias, so the engine moves the old name's state to the
// new name: no create, no delete, the same TaskId, one task. The resource's SpecifyTaskId identity
// (provider/identity.ts) follows the NEW name from then on; an update and a later `up --replace`
// must still leave one task per resource. Without renamedFrom the preview plans the create of the
// new name and the delete of the old, which `css-pull-tasks validate --base` reports beforehand, and
// `up` refuses that Create before any write while the old task pushes the stream (issue 23).
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runValidate } from "../../cli/validate";
import type { Io } from "../../cli/io";
import { EngineStack, rootStackSpec, stacksOfEachTest, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const stacks = stacksOfEachTest();

const TYPE = "pulumi-nodejs:dynamic/css:LivePullStreamTask";
const urn = (name: string) => `urn:pulumi:test::css-pull-tasks::${TYPE}::${name}`;

interface Step {
  op: string;
  urn: string;
}

/** The task resources' steps of `pulumi preview --json` (it lists no `same` step of a custom resource), and its counts. */
async function preview(s: EngineStack): Promise<{ steps: [string, string][]; summary: Record<string, number> }> {
  const run = await s.must(["preview", "--json"]);
  const json = JSON.parse(run.stdout) as { steps?: Step[]; changeSummary: Record<string, number> };
  const steps = (json.steps ?? []).filter((st) => st.urn.includes(TYPE)).map((st): [string, string] => [st.op, st.urn]);
  return { steps: steps.sort(), summary: json.changeSummary };
}

/** One task per resource, each the one its state holds. */
async function expectOneTaskPerResource(s: EngineStack): Promise<void> {
  const state = (await s.resources()).filter((r) => !r.delete);
  expect(s.tasks().map((t) => t.TaskId).sort()).toEqual(state.map((r) => r.id).sort());
}

async function idOf(s: EngineStack, name: string): Promise<string | undefined> {
  return (await s.resources()).find((r) => r.urn === urn(name))?.id;
}

async function validate(dir: string, ...argv: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: dir, env: {} };
  return { code: await runValidate(argv, io), out };
}

describe("renaming a tasks.yaml key through the real CLI", () => {
  it("renamedFrom keeps the task: no create or delete, the same TaskId, one task; then update and --replace", async () => {
    const studio = relay("studio");
    const other = relay("other");
    const stack = await stacks.create(rootStackSpec(tasksYaml({ studio, other })));
    await stack.up();
    const before = await idOf(stack, "studio");
    expect(before).toBeDefined();

    stack.writeFile("tasks.yaml", tasksYaml({ "main-stage": { ...studio, renamedFrom: "studio" }, other }));
    // No step at all for the tasks: both are the same (the stack resource too).
    expect(await preview(stack)).toEqual({ steps: [], summary: { same: 3 } });

    stack.emulator.clearRequests();
    await stack.up();
    expect(stack.emulator.requestsOf("CreateLivePullStreamTask")).toEqual([]);
    expect(stack.emulator.requestsOf("DeleteLivePullStreamTask")).toEqual([]);
    expect(await idOf(stack, "main-stage")).toBe(before);
    expect(await idOf(stack, "studio")).toBeUndefined();
    expect(stack.tasks().filter((t) => t.StreamName === "studio").map((t) => t.TaskId)).toEqual([before]);
    await expectOneTaskPerResource(stack);

    // An update in place after the rename: one Modify, the same task.
    stack.writeFile("tasks.yaml", tasksYaml({ "main-stage": { ...studio, renamedFrom: "studio", comment: "moved" }, other }));
    await stack.up();
    expect(await idOf(stack, "main-stage")).toBe(before);
    await expectOneTaskPerResource(stack);

    // A forced replacement under the new name (its identity is the new name's now): a new task, the
    // renamed old one deleted, one task for the stream.
    await stack.up(["--replace", urn("main-stage")]);
    const after = await idOf(stack, "main-stage");
    expect(after).not.toBe(before);
    await expectOneTaskPerResource(stack);
    expect(stack.tasks().filter((t) => t.StreamName === "studio").map((t) => t.TaskId)).toEqual([after]);
    expect(await stack.pendingOperations()).toEqual([]);
  });

  it("without renamedFrom the preview plans create + delete, which validate --base reported", async () => {
    const studio = relay("studio");
    const stack = await stacks.create(rootStackSpec(tasksYaml({ studio })));
    await stack.up();
    const base = path.join(stack.dir, "tasks.base.yaml");
    fs.copyFileSync(path.join(stack.dir, "tasks.yaml"), base);

    stack.writeFile("tasks.yaml", tasksYaml({ "main-stage": studio }));
    const warned = await validate(stack.dir, "tasks.yaml", "--base", base);
    expect(warned.code).toBe(0);
    expect(warned.out).toMatch(/tasks\.yaml:2:3: tasks\.main-stage: warning: .*renamedFrom: studio/);
    expect(await preview(stack)).toEqual({
      steps: [["create", urn("main-stage")], ["delete", urn("studio")]],
      summary: { create: 1, delete: 1, same: 1 },
    });
    const refused = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain("`renamedFrom: <old key>` in a tasks file");
    expect(stack.tasks()).toHaveLength(1);

    // With the line the warning names, the same preview is no change at all.
    stack.writeFile("tasks.yaml", tasksYaml({ "main-stage": { ...studio, renamedFrom: "studio" } }));
    const clean = await validate(stack.dir, "tasks.yaml", "--base", base);
    expect(clean.out).toBe("tasks.yaml: ok (1 task)\n");
    expect(await preview(stack)).toEqual({ steps: [], summary: { same: 2 } });
  });
});
