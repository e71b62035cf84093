// Adopting tasks made outside Pulumi, and narrowing or reshaping a run, through the REAL Pulumi CLI:
// the tasks file's `imports:` (adoptTaskId), the native provider's `pulumi import`, `--target`,
// and the native provider's replaceOnChanges / ignoreChanges and a move between provider instances.
import * as path from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "../../emulator";
import { EngineStack, ROOT, callOutside, rootStackSpec, stacksOfEachTest, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const stacks = stacksOfEachTest();

/** A task created outside Pulumi with the fields of `relay(stream)`. */
async function createOutside(s: EngineStack, stream: string): Promise<string> {
  const t = relay(stream);
  const r = await callOutside(s, "CreateLivePullStreamTask", {
    SourceType: t.sourceType, SourceUrls: t.sourceUrls, DomainName: t.domainName, AppName: t.appName,
    StreamName: t.streamName, StartTime: t.startTime, EndTime: t.endTime, Operator: "console",
  });
  return r.TaskId as string;
}

const pluginConfig = {
  "tencentcloud-css:secretId": DEFAULT_SECRET_ID,
  "tencentcloud-css:secretKey": DEFAULT_SECRET_KEY,
  "tencentcloud-css:region": "ap-guangzhou",
};

/** A Pulumi YAML project on the native provider of plugin/, with these resources. */
function yamlProject(resources: Record<string, unknown>): Record<string, unknown> {
  return {
    name: "css-engine-yaml",
    runtime: "yaml",
    plugins: { providers: [{ name: "tencentcloud-css", path: path.join(ROOT, "plugin") }] },
    resources,
  };
}

// One set of fields per stream for the whole file: a second relay() call would move its times.
const fields = new Map<string, Record<string, unknown>>();
const fieldsOf = (stream: string) => fields.get(stream) ?? fields.set(stream, relay(stream)).get(stream)!;
const task = (stream: string, options?: Record<string, unknown>) => ({
  type: "tencentcloud-css:index:LivePullStreamTask",
  properties: fieldsOf(stream),
  ...(options ? { options } : {}),
});

describe("adoption and narrowed runs through the real CLI", () => {
  it("the tasks file's imports: adopts the task, no Create; the next preview changes nothing", async () => {
    const stack = await stacks.create(rootStackSpec(tasksYaml({})));
    const id = await createOutside(stack, "studio");
    const file = stringify({ tasks: { studio: relay("studio") }, imports: { studio: id } });
    stack.writeFile("tasks.yaml", file);
    stack.emulator.clearRequests();
    await stack.up();
    expect(stack.emulator.requestsOf("CreateLivePullStreamTask")).toEqual([]);
    expect((await stack.resources()).map((r) => r.id)).toEqual([id]);
    await stack.must(["preview", "--expect-no-changes"]);
    expect(stack.tasks()).toHaveLength(1);
  });

  it("the native provider's pulumi import: the state holds the task, its code previews no change, destroy once unprotected", async () => {
    const stack = await stacks.create({ project: yamlProject({}), config: pluginConfig }, "yaml");
    const id = await createOutside(stack, "imported");
    const run = await stack.must(["import", "tencentcloud-css:index:LivePullStreamTask", "studio", id, "--yes"]);
    expect(run.stdout).toMatch(/imported/);
    expect((await stack.resources()).map((r) => r.id)).toEqual([id]);
    // The code `pulumi import` prints, as the program: no change.
    const project = yamlProject({ studio: { type: "tencentcloud-css:index:LivePullStreamTask", properties: relay("imported") } });
    const imported = (await stack.resources())[0].inputs ?? {};
    // Secret values come as Pulumi's secret envelope ({<sig>: ..., plaintext: JSON}) in the export.
    const plainValue = (v: any) => (v && typeof v === "object" && "plaintext" in v ? JSON.parse(v.plaintext) : v);
    (project.resources as any).studio.properties = Object.fromEntries(
      Object.entries(imported).filter(([k]) => !k.startsWith("__")).map(([k, v]) => [k, plainValue(v)]),
    );
    stack.writeFile("Pulumi.yaml", stringify(project));
    await stack.must(["preview", "--expect-no-changes"]);
    // `pulumi import` protects what it imports: destroy refuses until it is unprotected.
    expect((await stack.pulumi(["destroy", "--yes"])).code).not.toBe(0);
    expect(stack.tasks()).toHaveLength(1);
    await stack.must(["state", "unprotect", (await stack.resources())[0].urn, "--yes"]);
    await stack.must(["destroy", "--yes"]);
    expect(stack.tasks()).toEqual([]);
  });

  it("--target updates only the targeted resource", async () => {
    const a = relay("a");
    const b = relay("b");
    const stack = await stacks.create(rootStackSpec(tasksYaml({ a, b })));
    await stack.up();
    stack.writeFile("tasks.yaml", tasksYaml({ a: { ...a, comment: "a2" }, b: { ...b, comment: "b2" } }));
    stack.emulator.clearRequests();
    const urn = (await stack.resources()).find((r) => r.urn.endsWith("::a"))!.urn;
    await stack.up(["--target", urn]);
    expect(stack.emulator.requestsOf("ModifyLivePullStreamTask").map((r) => r.body.Comment)).toEqual(["a2"]);
  });

  it("native provider: replaceOnChanges replaces on a comment change, ignoreChanges sends nothing", async () => {
    const stack = await stacks.create(
      { project: yamlProject({ r: task("r", { replaceOnChanges: ["comment"] }), i: task("i", { ignoreChanges: ["comment"] }) }), config: pluginConfig },
      "yaml",
    );
    await stack.up();
    const before = Object.fromEntries(stack.tasks().map((t) => [t.StreamName, t.TaskId]));
    const edited = yamlProject({
      r: { ...task("r", { replaceOnChanges: ["comment"] }), properties: { ...fieldsOf("r"), comment: "x" } },
      i: { ...task("i", { ignoreChanges: ["comment"] }), properties: { ...fieldsOf("i"), comment: "x" } },
    });
    stack.writeFile("Pulumi.yaml", stringify(edited));
    stack.emulator.clearRequests();
    const run = await stack.up();
    expect(run.stdout).toMatch(/r replaced/);
    const after = Object.fromEntries(stack.tasks().map((t) => [t.StreamName, t]));
    expect(Object.keys(after).sort()).toEqual(["i", "r"]);
    expect(after.r.Comment).toBe("x");
    expect(after.i.TaskId).toBe(before.i);
    expect(stack.emulator.requestsOf("ModifyLivePullStreamTask").filter((q) => q.body.TaskId === before.i)).toEqual([]);
    const state = await stack.resources();
    expect(state.map((r) => r.id).sort()).toEqual(stack.tasks().map((t) => t.TaskId).sort());
  });

  it("native provider: a move to an explicit instance of the same account is an ordinary update", async () => {
    const stack = await stacks.create({ project: yamlProject({ s: task("s") }), config: pluginConfig }, "yaml");
    await stack.up();
    const [first] = stack.tasks();
    const moved = yamlProject({
      same: {
        type: "pulumi:providers:tencentcloud-css",
        properties: { region: "ap-guangzhou", secretId: DEFAULT_SECRET_ID, secretKey: DEFAULT_SECRET_KEY },
      },
      s: task("s", { provider: "${same}" }),
    });
    stack.writeFile("Pulumi.yaml", stringify(moved));
    stack.emulator.clearRequests();
    await stack.up();
    expect(stack.emulator.requestsOf("CreateLivePullStreamTask")).toEqual([]);
    expect(stack.emulator.requestsOf("DeleteLivePullStreamTask")).toEqual([]);
    expect(stack.tasks().map((t) => t.TaskId)).toEqual([first.TaskId]);
    expect((await stack.resources())[0].id).toBe(first.TaskId);
  });
});
