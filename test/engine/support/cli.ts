// The REAL Pulumi CLI (npm run pulumi:install) against the emulator: one project directory, one
// local backend (file:// in a temp dir), passphrase secrets, per test. What a test asserts on is
// what a user would see: the emulator's tasks, the request log, and `pulumi stack export`.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { afterEach } from "vitest";
import { TestEmulator } from "../../support/emulator";
import { rawPost, signedHeaders } from "../../emulator/support-sign";
import { configSetArgs, localBackendEnv } from "../../../harness/local-backend";
import { emulatorConfig } from "../../../harness/tasks";

export const ROOT = path.resolve(__dirname, "../../..");
const PASSPHRASE = "engine-tests";

/** The directory holding `pulumi` and its plugins, set by the global setup (setup.ts). */
export function cliDir(): string {
  const dir = process.env.PULUMI_CSS_CLI_DIR;
  if (!dir) throw new Error("PULUMI_CSS_CLI_DIR is not set: run these tests with `npm run test:engine`");
  return dir;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ProjectSpec {
  /** Pulumi.yaml's fields (name, runtime, main, ...). */
  project: Record<string, unknown>;
  /** Files to write into the project directory, by relative path. */
  files?: Record<string, string>;
  /** Stack config beyond the emulator's (`tencentcloud:*`), as `pulumi config set` would. */
  config?: Record<string, string>;
  /** Extra environment for every pulumi command. */
  env?: Record<string, string>;
  /**
   * Give the project a node_modules of this repository's packages plus `pulumi-css-pull-tasks`
   * (this repository, as `npm install file:..` would link it), for programs that import them.
   */
  nodeModules?: boolean;
}

/** A Node.js program of the project directory's own (index.js or index.ts) using this package. */
export function programSpec(files: Record<string, string>, extra: Partial<ProjectSpec> = {}): ProjectSpec {
  const typescript = Object.keys(files).some((f) => f.endsWith(".ts"));
  return {
    project: { name: "css-engine-program", runtime: { name: "nodejs", options: { typescript } } },
    files,
    nodeModules: true,
    ...extra,
  };
}

function linkNodeModules(dir: string): void {
  const target = path.join(dir, "node_modules");
  fs.mkdirSync(target);
  for (const name of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (name.startsWith(".")) continue;
    fs.symlinkSync(path.join(ROOT, "node_modules", name), path.join(target, name));
  }
  fs.symlinkSync(ROOT, path.join(target, "pulumi-css-pull-tasks"));
}

/** A project of this repository's root stack (dist/program) on a tasks file of the test's. */
export function rootStackSpec(tasksYaml: string, extra: Partial<ProjectSpec> = {}): ProjectSpec {
  return {
    project: {
      name: "css-pull-tasks",
      runtime: { name: "nodejs", options: { typescript: false } },
      main: path.join(ROOT, "dist/program/index.js"),
    },
    files: { "tasks.yaml": tasksYaml, ...extra.files },
    config: { "css:tasksFile": "tasks.yaml", ...extra.config },
    env: extra.env,
  };
}

export class EngineStack {
  private constructor(
    readonly dir: string,
    readonly emulator: TestEmulator,
    /** The environment every pulumi command of this stack runs with (a step run by hand needs it). */
    readonly env: NodeJS.ProcessEnv,
    readonly stack: string,
  ) {}

  static async create(spec: ProjectSpec, stack = "test"): Promise<EngineStack> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-engine-"));
    const backend = path.join(dir, ".state");
    fs.mkdirSync(backend);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(spec.project));
    for (const [name, text] of Object.entries(spec.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    if (spec.nodeModules) linkNodeModules(dir);
    const emulator = await TestEmulator.start();
    const env = localBackendEnv(
      { bin: cliDir(), stateDir: backend, homeDir: path.join(dir, ".pulumi-home"), passphrase: PASSPHRASE, endpoint: emulator.url },
      spec.env,
    );
    const self = new EngineStack(dir, emulator, env, stack);
    await self.must(["stack", "init", stack, "--secrets-provider", "passphrase"]);
    const config = { ...emulatorConfig(emulator.url), ...spec.config };
    for (const [key, value] of Object.entries(config)) await self.must(configSetArgs(key, value));
    return self;
  }

  /** Runs `pulumi ARGS --stack S` in the project directory (no --stack for `stack init`). */
  pulumi(args: string[], opts: { env?: Record<string, string>; signalAfter?: (out: string) => boolean } = {}): Promise<Run> {
    const withStack = args[0] === "stack" && args[1] === "init" ? args : [...args, "--stack", this.stack];
    return new Promise((resolve) => {
      const child = spawn(path.join(cliDir(), "pulumi"), withStack, {
        cwd: this.dir,
        env: { ...this.env, ...opts.env },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let stdout = "";
      let stderr = "";
      let killed = false;
      child.stdout.setEncoding("utf8").on("data", (c: string) => {
        stdout += c;
        if (!killed && opts.signalAfter?.(stdout)) {
          killed = true;
          // SIGKILL the CLI alone, as a crashed machine or an OOM kill would: its plugins find it gone.
          child.kill("SIGKILL");
        }
      });
      child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
      child.on("close", (code) => resolve({ code: code ?? 137, stdout, stderr }));
    });
  }

  /** As pulumi(), and fails the test with the CLI's output when it exits non-zero. */
  async must(args: string[], opts: { env?: Record<string, string> } = {}): Promise<Run> {
    const run = await this.pulumi(args, opts);
    if (run.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${run.code}\n${run.stdout}\n${run.stderr}`);
    }
    return run;
  }

  up(extra: string[] = []): Promise<Run> {
    return this.must(["up", "--yes", "--skip-preview", ...extra]);
  }

  /**
   * A CLI killed while the local backend writes can leave its checkpoint unreadable. The backend's
   * bucket (gocloud fileblob) keeps each file's attributes beside it in `<file>.attrs`, written after
   * the file itself: cut short, every command fails with "failed to load checkpoint: EOF" (seen in
   * CI), and deleting it is the fix (a missing one reads as none). A cut-short checkpoint itself is put
   * back from the copy the backend keeps (`<stack>.json.bak`, pkg/backend/diy state.go
   * `backupTarget`). True when something was mended.
   */
  restoreUnreadableCheckpoint(project: string): boolean {
    const file = path.join(this.dir, ".state", ".pulumi", "stacks", project, `${this.stack}.json`);
    const readable = (f: string): boolean => {
      try {
        JSON.parse(fs.readFileSync(f, "utf8"));
        return true;
      } catch {
        return false;
      }
    };
    let mended = false;
    if (fs.existsSync(`${file}.attrs`) && !readable(`${file}.attrs`)) {
      fs.rmSync(`${file}.attrs`);
      mended = true;
    }
    if (readable(file)) return mended;
    if (!readable(`${file}.bak`)) throw new Error(`${file} and its .bak are both unreadable`);
    fs.copyFileSync(`${file}.bak`, file);
    return true;
  }

  writeFile(name: string, text: string): void {
    fs.writeFileSync(path.join(this.dir, name), text);
  }

  /** The stack's resources of our task types, from `pulumi stack export`. */
  async resources(): Promise<StateResource[]> {
    const run = await this.must(["stack", "export", "--show-secrets"]);
    const deployment = (JSON.parse(run.stdout) as { deployment: { resources?: StateResource[] } }).deployment;
    return (deployment.resources ?? []).filter((r) => /LivePullStreamTask/.test(r.type));
  }

  async pendingOperations(): Promise<unknown[]> {
    const run = await this.must(["stack", "export"]);
    return (JSON.parse(run.stdout) as { deployment: { pending_operations?: unknown[] } }).deployment
      .pending_operations ?? [];
  }

  /** Tasks in the emulator, live (not deleted). */
  tasks(): ReturnType<TestEmulator["tasks"]> {
    return this.emulator.tasks();
  }

  async dispose(): Promise<void> {
    await this.emulator.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Stacks that live for one test: each test file calls this once at its top, and every stack its
 * tests create is disposed (destroyed, emulator stopped, temp dirs removed) after the test.
 */
export function stacksOfEachTest(): { create: typeof EngineStack.create } {
  const open: EngineStack[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.dispose()));
  });
  return {
    async create(spec, stack) {
      const created = await EngineStack.create(spec, stack);
      open.push(created);
      return created;
    },
  };
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  delete?: boolean;
  pendingReplacement?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** A tasks.yaml of the given entries (name → task fields). */
export function tasksYaml(tasks: Record<string, Record<string, unknown>>): string {
  return stringify({ tasks });
}

/** A call to the emulator as the console or another tool would make it (signed with the emulator's keys). */
export async function callOutside(
  stack: EngineStack,
  action: string,
  body: Record<string, unknown>,
): Promise<Record<string, any>> {
  const text = JSON.stringify(body);
  const host = new URL(stack.emulator.url).host;
  const r = await rawPost(stack.emulator.url, signedHeaders(action, text, host, { region: "ap-guangzhou" }), text);
  const response = r.json.Response as Record<string, any>;
  if (response.Error) throw new Error(`${action}: ${JSON.stringify(response.Error)}`);
  return response;
}
