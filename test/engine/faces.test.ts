// Each face of the package through the REAL Pulumi CLI: the TypeScript example (ts-node at run
// time, as a user's `pulumi up` runs it) and Pulumi YAML on the native provider (examples/yaml: the
// source-based plugin of plugin/, a default and an explicit provider instance).
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "../../emulator";
import { ROOT, programSpec, stacksOfEachTest } from "./support/cli";

const stacks = stacksOfEachTest();

/** The YAML example's config on the emulator (its second account: the same emulator keys). */
const yamlConfig = {
  "tencentcloud-css:secretId": DEFAULT_SECRET_ID,
  "tencentcloud-css:secretKey": DEFAULT_SECRET_KEY,
  "tencentcloud-css:region": "ap-guangzhou",
  secondAccountSecretId: DEFAULT_SECRET_ID,
  secondAccountSecretKey: DEFAULT_SECRET_KEY,
};

const example = (name: string, file: string) => fs.readFileSync(path.join(ROOT, "examples", name, file), "utf8");

describe("the package's faces through the real CLI", () => {
  it("examples/typescript: up creates its two tasks (one paused), destroy deletes them", async () => {
    const stack = await stacks.create(
      programSpec({ "index.ts": example("typescript", "index.ts"), "tsconfig.json": example("typescript", "tsconfig.json") }),
    );
    await stack.up();
    const tasks = stack.tasks();
    expect(tasks.map((t) => [t.StreamName || "(toUrl)", t.Status]).sort()).toEqual([
      ["(toUrl)", "pause"],
      ["studio", "enable"],
    ].sort());
    const noop = await stack.must(["preview", "--expect-no-changes"]);
    expect(noop.stdout).toMatch(/unchanged/);
    await stack.must(["destroy", "--yes"]);
    expect(stack.tasks()).toEqual([]);
  });

  it("examples/yaml: the native provider, a default and an explicit instance; an in-place update; destroy", async () => {
    const program = parse(example("yaml", "Pulumi.yaml")) as Record<string, any>;
    program.plugins.providers[0].path = path.join(ROOT, "plugin");
    const stack = await stacks.create({ project: program, config: yamlConfig }, "yaml");
    await stack.up();
    const regions = stack.tasks().map((t) => [t.StreamName, t.Region]).sort();
    expect(regions).toEqual([["lobby", "ap-singapore"], ["studio", "ap-guangzhou"]]);

    program.resources["studio-relay"].properties.comment = "edited in YAML";
    stack.writeFile("Pulumi.yaml", stringify(program));
    stack.emulator.clearRequests();
    await stack.up();
    expect(stack.emulator.requestsOf("ModifyLivePullStreamTask").map((r) => r.body.Comment)).toEqual(["edited in YAML"]);
    expect(stack.emulator.requestsOf("CreateLivePullStreamTask")).toEqual([]);

    await stack.must(["destroy", "--yes"]);
    expect(stack.tasks()).toEqual([]);
  });

  it("a forced replacement in the same run as a move to another provider instance leaves one task", async () => {
    const program = parse(example("yaml", "Pulumi.yaml")) as Record<string, any>;
    program.plugins.providers[0].path = path.join(ROOT, "plugin");
    delete program.resources["lobby-playlist"];
    delete program.outputs.playlistTaskId;
    delete program.outputs.playlistRegion;
    const stack = await stacks.create({ project: program, config: yamlConfig }, "yaml");
    await stack.up();
    // The same account and region through an explicit instance: a provider change (no replacement
    // by itself: the plugin's DiffConfig sets no replaces), and --replace in the same run. The old
    // object's Delete goes to the OLD provider's process (step.go DeleteStep: old.Provider).
    program.resources.same = { type: "pulumi:providers:tencentcloud-css", properties: {
      region: "ap-guangzhou",
      secretId: "${secondAccountSecretId}",
      secretKey: "${secondAccountSecretKey}",
    } };
    program.resources["studio-relay"].options = { provider: "${same}" };
    stack.writeFile("Pulumi.yaml", stringify(program));
    const urn = (await stack.resources())[0].urn;
    await stack.up(["--replace", urn]);
    const state = (await stack.resources()).filter((r) => !r.delete);
    expect(stack.tasks().map((t) => t.TaskId)).toEqual(state.map((r) => r.id));
    expect(stack.tasks()).toHaveLength(1);
  });
});
