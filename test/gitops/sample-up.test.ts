// What `npm start` applies, without the Pulumi CLI: the sample tasks.yaml (and the gitops example's)
// through the real provider host against the emulator, as the engine would: create, then a clean
// re-preview, then an edit of the file previews as the right kind of change.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, test } from "vitest";
import { loadTasksFile } from "../../program/tasks-file";
import { type Props } from "../support/host";
import { Stack } from "../../harness/engine";
import { hostedStack } from "../support/hosted";

const repo = path.resolve(__dirname, "../..");

const t = hostedStack("test", {});

function tasksOf(file: string) {
  const loaded = loadTasksFile(fs.readFileSync(path.join(repo, file), "utf8"), file, { now: new Date() });
  expect(loaded.problems).toEqual([]);
  return loaded.tasks;
}

describe.each(["tasks.yaml", "examples/gitops/tasks.yaml"])("%s applied through the provider host", (file) => {
  test("every task is created, then re-previews clean; an edit is one in-place update", async () => {
    const stack = new Stack(t.host, file.replace(/\W+/g, "-"));
    const tasks = tasksOf(file);
    for (const task of tasks) {
      const plan = await stack.up(task.name, task.inputs as Props);
      expect({ name: task.name, op: plan.op }).toEqual({ name: task.name, op: "create" });
    }
    const stored = t.emu.emulator.tasks();
    for (const task of tasks) expect(stored.some((t) => t.TaskId === stack.state.get(task.name)?.id)).toBe(true);
    for (const task of tasks) expect({ name: task.name, op: (await stack.preview(task.name, task.inputs as Props)).op }).toEqual({ name: task.name, op: "same" });
    const first = tasks[0];
    expect((await stack.preview(first.name, { ...first.inputs, comment: "edited in tasks.yaml" } as Props)).op).toBe("update");
    for (const task of tasks) await stack.destroy(task.name);
  });
});
