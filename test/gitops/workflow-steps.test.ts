// The GitOps workflow's steps, checked against what runs them: every css-pull-tasks command and
// flag it uses is one the CLI has; the pull request's validate step, run as GitHub runs it (bash
// -eo pipefail, in a clone whose base branch the fetch step brings), warns about a renamed key; the
// policy pack step runs the pack this package ships with a config the example's tasks pass. The
// pulumi commands' flags are checked against the real CLI in test/engine/gitops-workflow.test.ts.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { main } from "../../cli/main";
import { loadTasksFile } from "../../program/tasks-file";
import { BACKUP_DEFAULTS, checkBackup } from "../../policy/backup";
import { CALLBACKS_DEFAULTS, checkCallbacks } from "../../policy/callbacks";
import { checkHosts, HOSTS_DEFAULTS } from "../../policy/hosts";
import { checkQuota, QUOTA_DEFAULTS } from "../../policy/quota";
import { checkWindow, WINDOW_DEFAULTS } from "../../policy/window";
import { EXAMPLE, invocations, runs, steps, type Step } from "../support/workflow";

const REPO = path.resolve(__dirname, "../..");
const CLI = path.join(REPO, "dist/cli/main.js");

async function help(command: string): Promise<{ code: number; text: string }> {
  let text = "";
  const code = await main(["help", command], { stdout: (t) => (text += t), stderr: (t) => (text += t), cwd: REPO, env: {} });
  return { code, text };
}

describe("GitOps workflow: every css-pull-tasks command and flag exists", () => {
  test("each invocation names a command of the CLI, and each flag is in that command's help", async () => {
    const calls = invocations(runs(), "css-pull-tasks");
    expect(calls.map((c) => c.words[0]).sort()).toEqual(["impact", "impact", "status", "status", "validate"]);
    for (const call of calls) {
      const { code, text } = await help(call.words[0]);
      expect(code, call.words[0]).toBe(0);
      for (const flag of call.flags) expect(text, `${call.words[0]} ${flag}`).toMatch(new RegExp(`(^|[\\s\\[])${flag}\\b`));
    }
  });

  test("the parser finds flags past continuations and stops at redirections", () => {
    expect(invocations(["npx css-pull-tasks a --x 1 \\\n  --y > f.json 2> e.txt --z"], "css-pull-tasks")).toEqual([
      { words: ["a"], flags: ["--x", "--y"] },
    ]);
  });
});

const hasTools = ["bash", "git", "jq", "sed"].every((t) => spawnSync("which", [t]).status === 0);

describe.skipIf(!hasTools)("GitOps workflow: the pull request's fetch and validate steps, run as GitHub runs them", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-workflow-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd, stdio: "pipe" });
  const origin = path.join(dir, "origin");
  const work = path.join(dir, "work");
  // `npx css-pull-tasks ...` is this repository's built CLI (npm test builds it first).
  const shim = `npx() { if [ "$1" = css-pull-tasks ]; then shift; node ${JSON.stringify(CLI)} "$@"; else return 127; fi; }`;
  const step = (name: string) => steps("validate").find((s) => s.name === name) as Step;
  const runStep = (s: Step, env: Record<string, string>) =>
    spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", `${shim}\n${s.run}`], {
      cwd: work, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: dir, ...env },
    });
  const example = fs.readFileSync(path.join(EXAMPLE, "tasks.yaml"), "utf8");
  const line = example.split("\n").indexOf("  main-stage:") + 1;

  test("the base branch is fetched on pull requests only, before validate, into what --base reads", () => {
    const names = steps("validate").map((s) => s.name);
    expect(names.indexOf("fetch the base branch")).toBeGreaterThan(-1);
    expect(names.indexOf("fetch the base branch")).toBeLessThan(names.indexOf("css-pull-tasks validate"));
    expect(step("fetch the base branch").if).toBe("github.event_name == 'pull_request'");
    expect(step("css-pull-tasks validate").run).toContain('--base "origin/$GITHUB_BASE_REF"');
  });

  test("a renamed key without renamedFrom: a warning annotation at its line, the check passes", () => {
    fs.mkdirSync(origin);
    git(origin, "init", "-q", "-b", "main");
    fs.writeFileSync(path.join(origin, "tasks.yaml"), example);
    git(origin, "add", "tasks.yaml");
    git(origin, "commit", "-qm", "base");
    // The PR's checkout: the merge commit only, no base branch (actions/checkout's depth 1).
    fs.mkdirSync(work);
    git(work, "init", "-q");
    git(work, "remote", "add", "origin", `file://${origin}`);
    fs.writeFileSync(path.join(work, "tasks.yaml"), example.replace("  main-stage:", "  main-feed:"));
    const env = { GITHUB_BASE_REF: "main" };
    const fetched = runStep(step("fetch the base branch"), env);
    expect(fetched.status, fetched.stderr).toBe(0);
    const r = runStep(step("css-pull-tasks validate"), env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `::warning file=tasks.yaml,line=${line},col=3,title=tasks.main-feed::pushes to push.example.com/live/main-stage, ` +
        "as tasks.main-stage did in origin/main:tasks.yaml",
    );
    expect(r.stdout).toContain(`add "renamedFrom: main-stage" under tasks.main-feed (line ${line})`);
    expect(r.stdout).not.toContain("::error");
  });

  test("with renamedFrom, nothing; on a push (no base), no comparison; a problem is an error annotation and fails", () => {
    const renamed = example.replace("  main-stage:", "  main-feed:\n    renamedFrom: main-stage");
    fs.writeFileSync(path.join(work, "tasks.yaml"), renamed);
    const clean = runStep(step("css-pull-tasks validate"), { GITHUB_BASE_REF: "main" });
    expect([clean.status, clean.stdout]).toEqual([0, ""]);
    fs.writeFileSync(path.join(work, "tasks.yaml"), example.replace("  main-stage:", "  main-feed:"));
    const push = runStep(step("css-pull-tasks validate"), {});
    expect([push.status, push.stdout]).toEqual([0, ""]);
    fs.writeFileSync(path.join(work, "tasks.yaml"), example.replace('endTime: "2030-03-02T12:00:00Z"', 'endTime: "2020-01-01T00:00:00Z"'));
    const bad = runStep(step("css-pull-tasks validate"), { GITHUB_BASE_REF: "main" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^::error file=tasks\.yaml,line=\d+,col=\d+,title=tasks\.keynote-rebroadcast\.endTime::/m);
  });
});

describe("GitOps workflow: the policy pack on pull requests", () => {
  const policyStep = () => steps("preview").find((s) => (s.run ?? "").includes("--policy-pack")) as Step;

  test("runs the pack this package ships, with the example's policy.json, after the preview comment", () => {
    const run = policyStep().run as string;
    expect(run).toMatch(/pulumi preview --stack "\$\{\{ vars\.PULUMI_STACK \}\}"/);
    expect(run).toContain("--policy-pack node_modules/pulumi-css-pull-tasks/policy --policy-pack-config policy.json");
    expect(run.indexOf("tencentcloud-oidc-token.sh")).toBeLessThan(run.indexOf("pulumi preview"));
    const preview = steps("preview");
    const at = preview.findIndex((s) => (s.run ?? "").includes("--policy-pack"));
    expect(at).toBeGreaterThan(preview.findIndex((s) => s.uses?.startsWith("pulumi/actions@")));
    expect(policyStep().if).toBeUndefined(); // on every pull request run, labelled or not
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toEqual(expect.arrayContaining(["policy/PulumiPolicy.yaml", "policy/index.js", "dist/policy"]));
  });

  test("policy.json configures only the pack's policies, and the example's tasks pass every rule on prod", () => {
    const config = JSON.parse(fs.readFileSync(path.join(EXAMPLE, "policy.json"), "utf8")) as Record<string, any>;
    const docs = fs.readFileSync(path.join(REPO, "docs/policy.md"), "utf8");
    for (const name of Object.keys(config)) expect(docs, name).toContain(`| \`${name}\` |`);
    const loaded = loadTasksFile(fs.readFileSync(path.join(EXAMPLE, "tasks.yaml"), "utf8"), "tasks.yaml", { now: new Date() });
    const found = loaded.tasks.flatMap((t) => [
      ...checkHosts(t.name, t.inputs, { ...HOSTS_DEFAULTS, ...config["allowed-hosts"] }),
      ...checkBackup(t.name, t.inputs, { ...BACKUP_DEFAULTS, ...config["live-backup"] }),
      ...checkWindow(t.name, t.inputs, { ...WINDOW_DEFAULTS, ...config["task-window"] }, Date.now()),
      ...checkCallbacks(t.name, t.inputs, { ...CALLBACKS_DEFAULTS, ...config["production-callbacks"] }, "prod"),
    ]);
    expect(found).toEqual([]);
    expect(checkQuota(loaded.tasks.map((t) => t.name), { ...QUOTA_DEFAULTS, ...config["max-tasks"] })).toEqual([]);
  });
});
