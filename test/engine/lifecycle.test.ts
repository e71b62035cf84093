// The root stack's life through the REAL Pulumi CLI: create, one in-place Modify, a destination
// replacement, destroy. The emulator's tasks and the request log are what a user's account would
// show; `pulumi stack export` is what the state holds.
import { describe, expect, it } from "vitest";
import { rootStackSpec, stacksOfEachTest, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const stacks = stacksOfEachTest();

describe("the root stack through the real CLI", () => {
  it("creates, modifies in place with one Modify, replaces on a destination change, destroys", async () => {
    const first = relay("cam1");
    const stack = await stacks.create(rootStackSpec(tasksYaml({ studio: first })));
    await stack.up();
    const [created] = await stack.resources();
    expect(stack.tasks().map((t) => t.StreamName)).toEqual(["cam1"]);
    expect(created.id).toBe(stack.tasks()[0].TaskId);

    // An in-place change: the preview names the field, the update sends one Modify carrying it alone.
    stack.writeFile("tasks.yaml", tasksYaml({ studio: { ...first, comment: "now with a comment" } }));
    const preview = await stack.must(["preview", "--diff"]);
    expect(preview.stdout).toMatch(/\+ comment\s*: "now with a comment"/);
    stack.emulator.clearRequests();
    await stack.up();
    const modifies = stack.emulator.requestsOf("ModifyLivePullStreamTask");
    expect(modifies.map((r) => Object.keys(r.body).sort())).toEqual([["Comment", "Operator", "TaskId"]]);
    expect(stack.emulator.requestsOf("CreateLivePullStreamTask")).toEqual([]);
    expect((await stack.resources())[0].id).toBe(created.id);

    // A new destination: a new task, the old one deleted; one task pushes, the one the state holds.
    stack.writeFile("tasks.yaml", tasksYaml({ studio: { ...first, streamName: "cam2" } }));
    await stack.up();
    const tasks = stack.tasks();
    expect(tasks.map((t) => t.StreamName)).toEqual(["cam2"]);
    expect((await stack.resources()).map((r) => r.id)).toEqual([tasks[0].TaskId]);
    expect(tasks[0].TaskId).not.toBe(created.id);

    await stack.must(["destroy", "--yes"]);
    expect(stack.tasks()).toEqual([]);
    expect(await stack.resources()).toEqual([]);
  });
});
