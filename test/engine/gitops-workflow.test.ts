// The GitOps example's workflow against the REAL Pulumi CLI: every `pulumi` command its run
// scripts use exists with every flag given (the CLI's own --help is the judge), and the pull
// request's policy-pack step, run as written on a prod stack of the example's tasks.yaml, passes
// the example's policy.json and fails a task that breaks it. (The css-pull-tasks commands and the
// validate step: test/gitops/workflow-steps.test.ts.)
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { cliDir, rootStackSpec, stacksOfEachTest } from "./support/cli";
import { EXAMPLE, invocations, runs, steps } from "../support/workflow";

const stacks = stacksOfEachTest();

describe("the GitOps workflow's pulumi commands through the real CLI", () => {
  it("each pulumi invocation is a command of the CLI, and each of its flags is in that command's --help", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "css-workflow-home-"));
    const calls = invocations(runs(), "pulumi");
    expect(calls.map((c) => c.words.join(" ")).sort()).toEqual(["preview", "preview", "stack output", "stack output"]);
    for (const call of calls) {
      const r = spawnSync(path.join(cliDir(), "pulumi"), [...call.words, "--help"], {
        encoding: "utf8",
        env: { ...process.env, PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: "true", NO_COLOR: "1" },
      });
      expect(r.status, r.stderr).toBe(0);
      // An unknown subcommand would print its parent's usage instead.
      expect(r.stdout).toMatch(new RegExp(`Usage:\\s*\\n\\s*pulumi ${call.words.join(" ")} [[\\w-]+\\] ?`));
      for (const flag of call.flags) expect(r.stdout, `${call.words.join(" ")} ${flag}`).toMatch(new RegExp(`\\s${flag}[\\s,]`));
    }
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("the policy-pack step, as written, passes the example's tasks on prod and fails one that breaks policy.json", async () => {
    const step = steps("preview").find((s) => (s.run ?? "").includes("--policy-pack"));
    // The step's pulumi command (the token script only matters on GitHub), on this test's stack.
    const command = (step?.run ?? "").replace(/\\\n\s*/g, " ").split("\n").find((l) => /^\s*pulumi preview/.test(l));
    expect(command).toBeDefined();
    const tasks = fs.readFileSync(path.join(EXAMPLE, "tasks.yaml"), "utf8");
    const spec = rootStackSpec(tasks, { files: { "policy.json": fs.readFileSync(path.join(EXAMPLE, "policy.json"), "utf8") } });
    const stack = await stacks.create({ ...spec, nodeModules: true }, "prod");
    const run = () => spawnSync("bash", ["-eo", "pipefail", "-c", command!.replace("${{ vars.PULUMI_STACK }}", "prod")], {
      cwd: stack.dir, encoding: "utf8", env: stack.env,
    });
    const passed = run();
    expect(passed.status, `${passed.stdout}\n${passed.stderr}`).toBe(0);
    // With --diff the CLI lists the packs it ran, and no violation.
    expect(passed.stdout).toMatch(/Policy Packs run:\s*\n.*\n\s*css-pull-tasks\|local\|node_modules\/pulumi-css-pull-tasks\/policy\s/);
    expect(passed.stdout).not.toMatch(/\[(mandatory|advisory)\]/);

    // A source host policy.json does not allow: the step fails, naming the policy and the task.
    const doc = parse(tasks) as { tasks: Record<string, Record<string, unknown>> };
    doc.tasks["main-stage"].sourceUrls = ["rtmp://elsewhere.example.org/live/main"];
    stack.writeFile("tasks.yaml", stringify(doc));
    const failed = run();
    expect(failed.status).not.toBe(0);
    expect(failed.stdout).toMatch(/\[mandatory\]\s+allowed-hosts\s+\(pulumi-nodejs:dynamic\/css:LivePullStreamTask: main-stage\)/);
  });
});
