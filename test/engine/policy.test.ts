// The policy pack (policy/, docs/policy.md) through the REAL Pulumi CLI: `pulumi preview
// --policy-pack policy --policy-pack-config FILE` on the tasks.yaml root stack (the dynamic
// resource) and on Pulumi YAML (the native plugin's type). Each stack breaks several rules at once
// in one task and keeps them in another; a second config shows enforcement levels and values at work.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "../../emulator";
import { iso } from "../../harness/time";
import { EngineStack, ROOT, Run, rootStackSpec, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const PACK = path.join(ROOT, "policy");
const HOUR = 3600_000;
const DYNAMIC = "pulumi-nodejs:dynamic/css:LivePullStreamTask";
const NATIVE = "tencentcloud-css:index:LivePullStreamTask";

interface Reported {
  level: string;
  policy: string;
  resource: string;
  message: string;
}

/** The violations of the preview's "Policies:" section: `- [level]  policy  (type: name)`, description, message. */
function reported(run: Run): Reported[] {
  const out: Reported[] = [];
  const re = /- \[(\w+)\]\s+([\w-]+)\s+(?:\(([^)]*)\))?\s*\n\s+.*\n\s+(.*)/g;
  for (const m of run.stdout.matchAll(re)) out.push({ level: m[1], policy: m[2], resource: m[3] ?? "", message: m[4] });
  return out;
}

const summary = (r: Reported[]) => r.map((v) => `${v.level} ${v.policy} ${v.resource}`).sort();
const watermark = (pictureUrl: unknown) => [{ pictureUrl, xPosition: 0, yPosition: 0, width: 10, height: 10, location: 0 }];

async function preview(stack: EngineStack, config: Record<string, unknown>): Promise<Run> {
  stack.writeFile("policy-config.json", JSON.stringify(config));
  return stack.pulumi(["preview", "--policy-pack", PACK, "--policy-pack-config", "policy-config.json"]);
}

const strict = {
  "allowed-hosts": { sourceHosts: ["origin.example.com", "cdn.example.com"], destinationDomains: ["push.example.com"] },
  "task-window": { maxDays: 2 },
  "max-tasks": { maxTasks: 1 },
};

describe.concurrent("the policy pack through the real CLI", () => {
  it("tasks.yaml (dynamic resource) on a prod stack: one task breaks six rules, the other none", async () => {
    const start = Date.now() + HOUR;
    const bad = relay("bad", {
      sourceUrls: ["rtmp://evil.example.net/live/bad"],
      // watermarkList is a secret field since issue 24 (presigned picture URLs): the comment is not.
      comment: "logo at https://cdn.example.com/logo.png?sign=plain-sig-111",
      startTime: iso(start),
      endTime: iso(start + 72 * HOUR),
    });
    const good = relay("good", {
      backupVodUrl: "https://cdn.example.com/pad/slate.mp4",
      callbackUrl: "https://hooks.example.com/css",
      watermarkList: watermark("https://cdn.example.com/logo.png?${config:wmAuth}"),
      pushArgs: "${config:pushAuth}",
    });
    const stack = await EngineStack.create(rootStackSpec(tasksYaml({ bad, good })), "prod");
    try {
      await stack.must(["config", "set", "--secret", "wmAuth", "sign=secret-sig-222"]);
      await stack.must(["config", "set", "--secret", "pushAuth", "txSecret=secret-push-333&txTime=1"]);
      const run = await preview(stack, strict);
      expect(run.code).not.toBe(0);
      const r = reported(run);
      expect(summary(r)).toEqual([
        `mandatory allowed-hosts ${DYNAMIC}: bad`,
        `mandatory auth-secrets ${DYNAMIC}: bad`,
        `mandatory live-backup ${DYNAMIC}: bad`,
        "mandatory max-tasks pulumi:pulumi:Stack: css-pull-tasks-prod",
        `mandatory production-callbacks ${DYNAMIC}: bad`,
        `mandatory task-window ${DYNAMIC}: bad`,
      ]);
      const message = (p: string) => r.find((v) => v.policy === p)!.message;
      expect(message("allowed-hosts")).toMatch(/^bad: sourceUrls\[0\] pulls from evil\.example\.net, .*add evil\.example\.net/);
      expect(message("auth-secrets")).toMatch(/^bad: comment carries auth parameters as plain text .*pass it as a secret/);
      expect(message("live-backup")).toMatch(/^bad: backupSourceUrl is not set on a live relay/);
      expect(message("production-callbacks")).toMatch(/^bad: callbackUrl is not set on production stack prod/);
      expect(message("task-window")).toMatch(/^bad: endTime is 3 days after startTime, longer than task-window\.maxDays \(2\)/);
      expect(message("max-tasks")).toMatch(/declares 2 tasks, more than max-tasks\.maxTasks \(1\)/);
      // No credential in the output, plain or secret.
      for (const s of ["plain-sig-111", "secret-sig-222", "secret-push-333"]) expect(run.stdout + run.stderr).not.toContain(s);

      // Values and levels from the config: lists widened, limits raised, one rule off, the rest advisory.
      const relaxed = await preview(stack, {
        all: "advisory",
        // "all" reaches secret-inputs too; without it auth-secrets could not tell a secret (docs/policy.md).
        "secret-inputs": "remediate",
        "allowed-hosts": { sourceHosts: ["*.example.net", "origin.example.com", "cdn.example.com"] },
        "live-backup": "disabled",
        "task-window": { maxDays: 3 },
        "max-tasks": { maxTasks: 2 },
        "production-callbacks": { productionStacks: ["live-*"] },
      });
      expect(relaxed.code).toBe(0);
      expect(summary(reported(relaxed))).toEqual([`advisory auth-secrets ${DYNAMIC}: bad`]);
    } finally {
      await stack.dispose();
    }
  });

  it("Pulumi YAML (the native plugin's type) on prod-eu: the same rules hold for its resources", async () => {
    const project = {
      name: "css-policy-yaml",
      runtime: "yaml",
      plugins: { providers: [{ name: "tencentcloud-css", path: path.join(ROOT, "plugin") }] },
      resources: {
        bad: {
          type: NATIVE,
          properties: relay("bad", {
            domainName: undefined, appName: undefined, streamName: undefined,
            toUrl: "rtmp://elsewhere.example.org/live/bad",
            comment: "https://hooks.example.com/x?token=plain-tok-444",
          }),
        },
        good: {
          type: NATIVE,
          properties: relay("good", {
            backupSourceType: "PullLivePushLive",
            backupSourceUrl: "rtmp://origin.example.com/live/backup",
            callbackUrl: "https://hooks.example.com/css",
          }),
        },
      },
    };
    const stack = await EngineStack.create({
      project,
      config: {
        "tencentcloud-css:secretId": DEFAULT_SECRET_ID,
        "tencentcloud-css:secretKey": DEFAULT_SECRET_KEY,
        "tencentcloud-css:region": "ap-guangzhou",
      },
    }, "prod-eu");
    try {
      const run = await preview(stack, { ...strict, "max-tasks": { maxTasks: 2 } });
      expect(run.code).not.toBe(0);
      const r = reported(run);
      expect(summary(r)).toEqual([
        `mandatory allowed-hosts ${NATIVE}: bad`,
        `mandatory auth-secrets ${NATIVE}: bad`,
        `mandatory live-backup ${NATIVE}: bad`,
        `mandatory production-callbacks ${NATIVE}: bad`,
      ]);
      expect(r.find((v) => v.policy === "allowed-hosts")!.message).toMatch(/^bad: toUrl pushes to elsewhere\.example\.org/);
      expect(r.find((v) => v.policy === "auth-secrets")!.message).toMatch(/^bad: comment carries auth parameters/);
      expect(run.stdout + run.stderr).not.toContain("plain-tok-444");
    } finally {
      await stack.dispose();
    }
  });

  it("a fixed window that has ended: task-window fails the preview of a task created before its end", async () => {
    // The provider creates only tasks whose window lies ahead; the pack judges the task once it passed.
    const start = Date.now() + 70_000;
    const task = relay("short", {
      startTime: iso(start), endTime: iso(start + 30_000),
      backupVodUrl: "https://cdn.example.com/pad/slate.mp4",
    });
    const stack = await EngineStack.create(rootStackSpec(tasksYaml({ short: task })), "dev");
    try {
      const before = await preview(stack, {});
      expect(before.code).toBe(0);
      expect(reported(before)).toEqual([]);
      await stack.up();
      await new Promise((r) => setTimeout(r, Math.max(0, start + 32_000 - Date.now())));
      const run = await preview(stack, {});
      expect(run.code).not.toBe(0);
      expect(reported(run).map((v) => [v.policy, v.message]), run.stdout).toEqual([
        ["task-window", expect.stringMatching(/^short: endTime \S+ has passed: the window has ended; move startTime/)],
      ]);
    } finally {
      await stack.dispose();
    }
  });
});
