// Create refuses to push to a stream another task of the account already pushes to (issue 23),
// through the REAL Pulumi CLI: two stacks of the root stack (tasks.yaml) on one account declare one
// destination. The second stack's `up` fails naming the first's task and the two ways out; with
// adoptTaskId it adopts that task (no Create); with allowSharedDestination it creates its own. A
// `--replace` of a task (the engine checks without olds and never calls Diff) is not refused.
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { EngineStack, rootStackSpec, stacksOfEachTest, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const stacks = stacksOfEachTest();

/** A stack named `name` of the root stack on `tasks`, its CSS endpoint `on`'s emulator when given. */
async function rootStack(name: string, tasks: string, on?: EngineStack): Promise<EngineStack> {
  const config: Record<string, string> = on ? { "tencentcloud:cssEndpoint": on.emulator.url } : {};
  return stacks.create(rootStackSpec(tasks, { config }), name);
}

describe("two stacks declaring one destination, through the real CLI", () => {
  it("the second up is refused with the first's task; adoptTaskId adopts it; allowSharedDestination creates", async () => {
    const studio = relay("studio", { comment: "prod's studio relay" });
    const prod = await rootStack("prod", tasksYaml({ studio }));
    await prod.up();
    const [first] = prod.tasks();

    // Another stack (staging) on the same account, the same stream: refused before any write.
    const staging = await rootStack("staging", tasksYaml({ "studio-copy": { ...studio, comment: "staging" } }), prod);
    prod.emulator.clearRequests();
    const refused = await staging.pulumi(["up", "--yes", "--skip-preview"]);
    expect(refused.code).not.toBe(0);
    const text = refused.stdout + refused.stderr;
    expect(text).toContain(`domainName/appName/streamName: push.example.com/live/studio is already pushed by task ${first.TaskId}`);
    expect(text).toContain(`comment "prod's studio relay"`);
    expect(text).toContain(`adoptTaskId: ${first.TaskId}`);
    expect(text).toContain("allowSharedDestination: true");
    expect(prod.emulator.requestsOf("CreateLivePullStreamTask")).toEqual([]);
    expect(prod.tasks().map((t) => t.TaskId)).toEqual([first.TaskId]);

    // Way out 1: adopt it (the tasks file's imports block is the task's adoptTaskId): no Create.
    staging.writeFile("tasks.yaml", stringify({ tasks: { "studio-copy": studio }, imports: { "studio-copy": first.TaskId } }));
    await staging.up();
    expect(prod.emulator.requestsOf("CreateLivePullStreamTask")).toEqual([]);
    expect((await staging.resources()).map((r) => r.id)).toEqual([first.TaskId]);

    // Way out 2: a third stack that means to push from a second task too.
    const standby = await rootStack("standby", tasksYaml({ "studio-standby": { ...studio, allowSharedDestination: true } }), prod);
    await standby.up();
    expect(prod.tasks()).toHaveLength(2);
  });

  it("renaming an entry (a new resource; the old one's Delete comes at the end) is refused; adopting keeps one task", async () => {
    const studio = relay("studio");
    const s = await rootStack("rename", tasksYaml({ studio }));
    await s.up();
    const [task] = s.tasks();
    s.writeFile("tasks.yaml", tasksYaml({ "studio-main": studio }));
    const refused = await s.pulumi(["up", "--yes", "--skip-preview"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain(`adoptTaskId: ${task.TaskId}`);
    expect(s.tasks().map((t) => t.TaskId)).toEqual([task.TaskId]);
    s.writeFile("tasks.yaml", stringify({ tasks: { "studio-main": studio }, imports: { "studio-main": task.TaskId } }));
    await s.up();
    expect(s.tasks().map((t) => t.TaskId)).toEqual([task.TaskId]);
    expect((await s.resources()).filter((r) => !r.delete).map((r) => [r.urn.split("::").pop(), r.id])).toEqual([["studio-main", task.TaskId]]);
  });

  it("pulumi up --replace of a task (no Diff, create first) is not refused: one task, a new one", async () => {
    const s = await rootStack("replace", tasksYaml({ studio: relay("studio") }));
    await s.up();
    const [before] = s.tasks();
    const urn = (await s.resources())[0].urn;
    await s.up(["--replace", urn]);
    const after = s.tasks();
    expect(after).toHaveLength(1);
    expect(after[0].TaskId).not.toBe(before.TaskId);
    expect((await s.resources()).filter((r) => !r.delete).map((r) => r.id)).toEqual([after[0].TaskId]);
  });
});
