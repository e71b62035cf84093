// The task quota at preview through the REAL Pulumi CLI: `pulumi preview` of a stack whose Creates
// do not fit the emulator's small LimitTaskNum says so once, with the figures (the ended task
// counted apart) and the prune hint, and still succeeds; one whose Creates fit says nothing. Both
// faces: the root stack's dynamic resource, and Pulumi YAML on the native provider.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "../../emulator";
import { iso } from "../../harness/time";
import { PRUNE_COMMAND } from "../../provider/quota/count";
import { EngineStack, ROOT, callOutside, rootStackSpec, stacksOfEachTest, tasksYaml, type ProjectSpec } from "./support/cli";
import { relay } from "./support/tasks";

const HOUR = 3600_000;
const stacks = stacksOfEachTest();

const NAMES = ["cam1", "cam2", "cam3"];

/** Pulumi YAML declaring the three tasks on the native provider's default instance. */
function yamlSpec(): ProjectSpec {
  const resources = Object.fromEntries(
    NAMES.map((n) => [n, { type: "tencentcloud-css:index:LivePullStreamTask", properties: relay(n) }]),
  );
  return {
    project: {
      name: "css-quota-yaml",
      runtime: "yaml",
      plugins: { providers: [{ name: "tencentcloud-css", path: path.join(ROOT, "plugin") }] },
      resources,
    },
    config: {
      "tencentcloud-css:secretId": DEFAULT_SECRET_ID,
      "tencentcloud-css:secretKey": DEFAULT_SECRET_KEY,
      "tencentcloud-css:region": "ap-guangzhou",
    },
  };
}

/** Two tasks made outside any stack, one of them ended (it stays: no auto-cleanup); then the limit. */
async function account(s: EngineStack, limit: number): Promise<void> {
  const end = Date.now() + 2000;
  for (const [stream, endTime] of [["old-ended", iso(end)], ["old-running", iso(Date.now() + 10 * HOUR)]]) {
    await callOutside(s, "CreateLivePullStreamTask", {
      SourceType: "PullLivePushLive", SourceUrls: ["rtmp://o.example.net/live/x"], DomainName: "push.example.com",
      AppName: "live", StreamName: stream, StartTime: iso(Date.now() - HOUR), EndTime: endTime, Operator: "console",
    });
  }
  await new Promise((resolve) => setTimeout(resolve, end + 1100 - Date.now()));
  s.emulator.emulator.setTaskLimit(limit);
  s.emulator.clearRequests();
}

/** The quota warnings of the preview's Diagnostics (the progress lines repeat them above). */
function quotaWarnings(stdout: string): string[] {
  const diagnostics = stdout.split("Diagnostics:")[1] ?? "";
  return diagnostics.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("warning: task quota"));
}

const faces: [string, () => ProjectSpec][] = [
  ["the root stack (dynamic resource)", () => rootStackSpec(tasksYaml(Object.fromEntries(NAMES.map((n) => [n, relay(n)]))))],
  ["Pulumi YAML (native provider)", yamlSpec],
];

describe.each(faces)("pulumi preview and the task quota: %s", (_face, spec) => {
  it("3 Creates, 2 free slots of 4: one warning with the figures and the prune hint; the preview succeeds", async () => {
    const stack = await stacks.create(spec());
    await account(stack, 4);
    const run = await stack.pulumi(["preview"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\+ 3 to create|\+ 4 to create/);
    const [warning, ...more] = quotaWarnings(run.stdout);
    expect(more).toEqual([]);
    expect(warning).toContain("this plan has at least 3 Creates");
    expect(warning).toContain("the account holds 2 tasks, 1 of them ended (TotalNum) of the 4 it may (LimitTaskNum)");
    expect(warning).toContain("so 2 more fit: `up` would fail at Create 3 with InvalidParameter.TaskNumMoreThanLimit");
    expect(warning).toContain(PRUNE_COMMAND);
    // A warning of the engine's (its Log RPC), not a line of the plugin's stderr ("1 message").
    expect(run.stdout).toMatch(/pulumi:pulumi:Stack \S+ create 1 warning$/m);
    expect(stack.emulator.requestsOf("CreateLivePullStreamTask")).toEqual([]);
  });

  it("3 Creates, 3 free slots of 5: no quota warning", async () => {
    const stack = await stacks.create(spec());
    await account(stack, 5);
    const run = await stack.must(["preview"]);
    expect(run.stdout).not.toContain("task quota");
    // The figures were read (one listing row), and found room.
    expect(stack.emulator.requestsOf("DescribeLivePullStreamTasks").map((r) => r.body)).toContainEqual({ PageNum: 1, PageSize: 1 });
  });
});
