// The GitOps examples and the root project files: parse, point at real files, and validate.
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { parse, parseAllDocuments } from "yaml";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { loadTasksFile, formatProblem } from "../../program/tasks-file";
import tasksFileSchema from "../../schema/tasks-file.schema.json";
import taskSchema from "../../schema/task.schema.json";

// The example imports the published package; here it is this repository's program.
vi.mock("pulumi-css-pull-tasks", async () => await import("../../program/stack"));

const repo = path.resolve(__dirname, "../..");
const read = (rel: string) => fs.readFileSync(path.join(repo, rel), "utf8");
const TASK_FILES = ["tasks.yaml", "examples/gitops/tasks.yaml"];

// What an editor sees: the tasks-file schema with the real task schema behind its relative $ref.
function editorValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const { $id: _ignored, ...task } = taskSchema as Record<string, unknown>;
  ajv.addSchema(task, "task.schema.json");
  return ajv.compile(tasksFileSchema);
}

describe("tasks files", () => {
  test.each(TASK_FILES)("%s passes the tools' check (merged defaults, the resource's rules), even as new tasks", (file) => {
    for (const assumeNew of [false, true]) {
      const loaded = loadTasksFile(read(file), file, { now: new Date(), assumeNew });
      expect(loaded.problems.map(formatProblem)).toEqual([]);
      expect(loaded.tasks.length).toBeGreaterThanOrEqual(2);
    }
  });

  test.each(TASK_FILES)("%s passes the JSON Schema as an editor applies it", (file) => {
    const validate = editorValidator();
    expect(validate(parse(read(file))) ? [] : validate.errors).toEqual([]);
  });

  test("the editor schema catches what the tools catch in a task entry (a typo, a bad nested value)", () => {
    const validate = editorValidator();
    const doc = parse(read("tasks.yaml"));
    doc.tasks["studio-relay"].sourceUrl = doc.tasks["studio-relay"].sourceUrls;
    doc.tasks["studio-relay"].watermarkList[0].location = 9;
    doc.defaults.regoin = "ap-tokyo";
    expect(validate(doc)).toBe(false);
    const where = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(where).toContain("/tasks/studio-relay additionalProperties");
    expect(where).toContain("/tasks/studio-relay/watermarkList/0/location enum");
    expect(where).toContain("/defaults additionalProperties");
  });

  test("the editor schema takes renamedFrom on a task entry (a resource name), and nowhere else", () => {
    const validate = editorValidator();
    const doc = parse(read("tasks.yaml"));
    doc.tasks["main-stage"] = { ...doc.tasks["studio-relay"], renamedFrom: "studio-relay" };
    delete doc.tasks["studio-relay"];
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    doc.tasks["main-stage"].renamedFrom = "9 lives";
    expect(validate(doc)).toBe(false);
    expect((validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`)).toContain("/tasks/main-stage/renamedFrom pattern");
    doc.tasks["main-stage"].renamedFrom = "studio-relay";
    doc.defaults.renamedFrom = "studio-relay";
    expect(validate(doc)).toBe(false);
  });

  test("each file's $schema line points at the tasks-file schema", () => {
    const ref = (file: string) => /^# yaml-language-server: \$schema=(\S+)$/m.exec(read(file))?.[1];
    expect(path.resolve(repo, ref("tasks.yaml")!)).toBe(path.join(repo, "schema", "tasks-file.schema.json"));
    // The example resolves through the installed package, which ships schema/ (package.json "files").
    expect(ref("examples/gitops/tasks.yaml")).toBe("./node_modules/pulumi-css-pull-tasks/schema/tasks-file.schema.json");
    expect(JSON.parse(read("package.json")).files).toContain("schema");
  });
});

describe("Pulumi projects", () => {
  test("root Pulumi.yaml runs the compiled root program with no ts-node, and declares no foreign-namespace config", () => {
    const project = parse(read("Pulumi.yaml"));
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: false } });
    expect(project.main).toBe("dist/program/index.js");
    expect(fs.existsSync(path.join(repo, "program", "index.ts"))).toBe(true);
    // Pulumi refuses a type or default for a key outside the project's namespace (css:tasksFile).
    expect(project.config).toBeUndefined();
  });

  test("the gitops example is a TypeScript project depending on this package", () => {
    const project = parse(read("examples/gitops/Pulumi.yaml"));
    expect(project.runtime.name).toBe("nodejs");
    const pkg = JSON.parse(read("examples/gitops/package.json"));
    expect(pkg.dependencies["pulumi-css-pull-tasks"]).toBe("file:../..");
    expect(pkg.dependencies["@pulumi/pulumi"]).toBe(JSON.parse(read("package.json")).dependencies["@pulumi/pulumi"]);
  });

  test("the gitops example's program declares one task per entry of its tasks.yaml under mocks", async () => {
    const names: string[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          names.push(args.name);
          return { id: `${args.name}-id`, state: { ...args.inputs, taskId: `${args.name}-id` } };
        },
        call: (args) => args.inputs,
      },
      "css-tasks-gitops",
      "prod",
      false,
    );
    pulumi.runtime.setAllConfig({ "css:tasksFile": "examples/gitops/tasks.yaml" });
    const program = await import("../../examples/gitops/index");
    const ids = await new Promise<Record<string, string>>((resolve) => pulumi.output(program.taskIds).apply((v) => resolve(v as Record<string, string>)));
    expect(names.sort()).toEqual(["filler-loop", "keynote-rebroadcast", "main-stage"]);
    expect(ids["main-stage"]).toBe("main-stage-id");
  });
});

describe("GitHub Actions workflow", () => {
  const workflow = () => parse(read("examples/gitops/.github/workflows/pulumi.yml"));
  const pulumiStep = (job: string) => workflow().jobs[job].steps.find((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@"));

  test("triggers: pull requests, pushes to main, a schedule", () => {
    const on = workflow().on;
    expect(Object.keys(on)).toEqual(expect.arrayContaining(["pull_request", "push", "schedule"]));
    expect(on.push.branches).toEqual(["main"]);
    expect(on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
  });

  test("jobs: validate, preview on PRs with a comment, up on main, a scheduled renewal", () => {
    const jobs = workflow().jobs;
    expect(Object.keys(jobs).sort()).toEqual(["preview", "renew", "up", "validate"]);
    expect(jobs.validate.steps.map((s: { run?: string }) => s.run ?? "").join("\n")).toContain("css-pull-tasks validate tasks.yaml --assume-new --format json");
    expect(jobs.preview.if).toContain("pull_request");
    expect(jobs.preview.permissions["pull-requests"]).toBe("write");
    expect(pulumiStep("preview")).toMatchObject({ uses: "pulumi/actions@v6", with: { command: "preview", "comment-on-pr": true } });
    expect(jobs.up.if).toContain("push");
    expect(pulumiStep("up")).toMatchObject({ uses: "pulumi/actions@v6", with: { command: "up" } });
    expect(jobs.renew.if).toContain("schedule");
    expect(pulumiStep("renew")).toMatchObject({ uses: "pulumi/actions@v6", with: { command: "up", refresh: true } });
    // After every up, the health gate (css-pull-tasks status --wait-active) over the stack's tasks.
    for (const job of ["up", "renew"]) {
      const steps = jobs[job].steps as { uses?: string; run?: string }[];
      const gate = steps.findIndex((s) => /css-pull-tasks status .*--wait-active \d+/.test(s.run ?? ""));
      const up = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
      expect(up, job).toBeGreaterThanOrEqual(0);
      expect(gate, job).toBeGreaterThan(up);
      expect(steps[gate].run).toContain("--stack-outputs outputs.json");
      expect(steps[gate].run).toContain("pulumi stack output --json");
    }
    for (const job of ["preview", "up", "renew"]) {
      expect(jobs[job].needs ?? "validate").toBe("validate");
      expect(pulumiStep(job).with["stack-name"]).toBeTruthy();
    }
  });

  test("credentials: GitHub's OIDC token for a CAM role, no stored Tencent Cloud key", () => {
    const w = workflow();
    expect(w.permissions["id-token"]).toBe("write");
    const text = read("examples/gitops/.github/workflows/pulumi.yml");
    expect(text).not.toMatch(/TENCENTCLOUD_SECRET_(ID|KEY)/);
    expect(w.env).toMatchObject({ TENCENTCLOUD_ASSUME_ROLE_ARN: expect.any(String), TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: expect.any(String) });
    // A fresh token before every step that calls Tencent Cloud (the token is short-lived).
    for (const job of ["preview", "up", "renew"]) {
      const steps = w.jobs[job].steps as { uses?: string; run?: string }[];
      const token = steps.findIndex((s) => (s.run ?? "").includes("tencentcloud-oidc-token.sh"));
      expect(token, job).toBeGreaterThanOrEqual(0);
      expect(token, job).toBeLessThan(steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@")));
      for (const s of steps.filter((x) => (x.run ?? "").includes("css-pull-tasks status"))) expect(s.run).toContain("tencentcloud-oidc-token.sh");
    }
    expect(read("examples/gitops/.github/tencentcloud-oidc-token.sh")).toContain("ACTIONS_ID_TOKEN_REQUEST_URL");
  });
});

describe("Kubernetes operator example", () => {
  test("a pulumi.com/v1 Stack applying the gitops project continuously, with TKE pod OIDC and no stored key", () => {
    const docs = parseAllDocuments(read("examples/kubernetes-operator/stack.yaml"));
    for (const d of docs) expect(d.errors).toEqual([]);
    const objects = docs.map((d) => d.toJS());
    const stack = objects.find((o) => o.kind === "Stack");
    expect(stack.apiVersion).toBe("pulumi.com/v1");
    expect(stack.spec).toMatchObject({ branch: "refs/heads/main", refresh: true, continueResyncOnCommitMatch: true });
    expect(stack.spec.resyncFrequencySeconds).toBeGreaterThanOrEqual(60);
    expect(fs.existsSync(path.join(repo, stack.spec.repoDir, "Pulumi.yaml"))).toBe(true);
    expect(Object.keys(stack.spec.envRefs).sort()).toEqual(["PULUMI_ACCESS_TOKEN"]);
    expect(stack.spec.config["tencentcloud:enablePodOidc"]).toBe("true");
    expect(JSON.parse(stack.spec.config["tencentcloud:allowedAccountIds"])).toEqual([expect.stringMatching(/^\d+$/)]);
    for (const ref of Object.values(stack.spec.envRefs) as { type: string }[]) expect(ref.type).toBe("Secret");
    expect(objects.find((o) => o.kind === "ServiceAccount").metadata.name).toBe(stack.spec.serviceAccountName);
  });
});
