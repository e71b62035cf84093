// `npm run bench -- --engine cli --tasks N`: the REAL Pulumi CLI (npm run pulumi:install) against
// the emulator at the documented rates, for the dynamic resource (the tasks.yaml root stack) and the
// native plugin (a Pulumi YAML program). Per face: wall time of `up`, a no-op `preview`, `refresh`
// and `destroy` against the API floor, the state file's size, and where the time of `up` goes:
// against the floor (the API's rate), and `up` again with PULUMI_SKIP_CHECKPOINTS (the engine
// without its checkpoint writes). `npm run bench` without --engine measures the provider host alone.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, startEmulator, type RunningEmulator } from "../emulator";
import { configSetArgs, installedCliDir, localBackendEnv } from "../harness/local-backend";
import { emulatorConfig, iso } from "../harness/tasks";
import { floorSeconds, round, type PhaseName } from "./report";

const ROOT = path.resolve(__dirname, "..", "..");
const HOUR = 3600_000;
/** dynamic: the root stack from this checkout; installed: from a packed, npm-installed copy; plugin: YAML. */
type Face = "dynamic" | "installed" | "plugin";
const FACES: readonly Face[] = ["dynamic", "installed", "plugin"];

export const ENGINE_USAGE =
  "Usage: npm run bench -- --engine cli --tasks N [--faces installed,plugin,dynamic] [--parallel P]";

interface Timing {
  phase: PhaseName | "up without checkpoints";
  seconds: number;
  floorSeconds: number;
}

function task(i: number): Record<string, unknown> {
  return {
    sourceType: "PullLivePushLive",
    sourceUrls: [`rtmp://origin.example.com/live/s${i}`],
    domainName: "push.example.com",
    appName: "live",
    streamName: `s${i}`,
    startTime: iso(Date.now() + HOUR),
    endTime: iso(Date.now() + 48 * HOUR),
  };
}

/** The project files of a face with n tasks, and its stack config beyond the endpoint's. */
function project(face: Face, n: number): { files: Record<string, string>; config: Record<string, string> } {
  const tasks = Array.from({ length: n }, (_, i) => task(i));
  if (face !== "plugin") {
    // Installed: a program of the project's own importing the package, as users write it (a main
    // inside node_modules runs there, and the serialiser then copies the provider by value).
    const main = face === "installed" ? "index.js" : path.join(ROOT, "dist/program/index.js");
    const pulumiYaml = { name: "css-bench", runtime: { name: "nodejs", options: { typescript: false } }, main };
    const tasksFile = { tasks: Object.fromEntries(tasks.map((t, i) => [`t${i}`, t])) };
    const program = 'require("pulumi-css-pull-tasks").declareTasksFromConfig();\n';
    const files = { "Pulumi.yaml": stringify(pulumiYaml), "tasks.yaml": stringify(tasksFile) };
    return { files: face === "installed" ? { ...files, "index.js": program } : files, config: {} };
  }
  const resources = Object.fromEntries(
    tasks.map((t, i) => [`t${i}`, { type: "tencentcloud-css:index:LivePullStreamTask", properties: t }]),
  );
  const pulumiYaml = {
    name: "css-bench",
    runtime: "yaml",
    plugins: { providers: [{ name: "tencentcloud-css", path: path.join(ROOT, "plugin") }] },
    resources,
  };
  return {
    files: { "Pulumi.yaml": stringify(pulumiYaml) },
    config: {
      "tencentcloud-css:secretId": DEFAULT_SECRET_ID,
      "tencentcloud-css:secretKey": DEFAULT_SECRET_KEY,
      "tencentcloud-css:region": "ap-guangzhou",
    },
  };
}

function run(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(bin, "pulumi"), args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    // The CLI reports a failed step on stdout: keep its tail for the error.
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stderr = (stderr + c).slice(-4000)));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const started = performance.now();
    child.on("close", (code) =>
      code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`pulumi ${args[0]}: ${code}\n${stderr}`)),
    );
  });
}

/** This checkout packed (dist as built) and installed with npm into `dir`, as a user installs it. */
function installPacked(dir: string): void {
  const opts = { cwd: ROOT, encoding: "utf8" as const, stdio: ["ignore", "pipe", "inherit"] as ["ignore", "pipe", "inherit"] };
  const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], opts);
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "css-bench", private: true }));
  const tarball = path.join(dir, packed.trim().split("\n").pop()!);
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], { ...opts, cwd: dir });
}

async function benchFace(face: Face, n: number, parallel: string[], bin: string, log: (l: string) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `css-bench-${face}-`));
  // The account's quota raised to the bench's size (the API's default is 200), at the documented rates.
  const emulator: RunningEmulator = await startEmulator({ port: 0, taskLimit: Math.max(n, 1), rateScale: 1 });
  try {
    const { files, config } = project(face, n);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    if (face === "installed") installPacked(dir);
    fs.mkdirSync(path.join(dir, ".state"));
    const env = localBackendEnv({
      bin,
      stateDir: path.join(dir, ".state"),
      homeDir: path.join(dir, ".pulumi-home"),
      passphrase: "bench",
      endpoint: emulator.url,
    });
    await run(bin, ["stack", "init", "bench"], dir, env);
    const tasksFile = face === "plugin" ? {} : { "css:tasksFile": "tasks.yaml" };
    const allConfig = { ...emulatorConfig(emulator.url), ...config, ...tasksFile };
    for (const [k, v] of Object.entries(allConfig)) await run(bin, configSetArgs(k, v), dir, env);
    const timings: Timing[] = [];
    const step = async (phase: Timing["phase"], args: string[], floorPhase: PhaseName, extraEnv = {}) => {
      const seconds = await run(bin, [...args, ...parallel], dir, { ...env, ...extraEnv });
      timings.push({ phase, seconds: round(seconds, 2), floorSeconds: round(floorSeconds(floorPhase, n), 2) });
      log(`  ${face} ${phase}: ${round(seconds, 2)} s`);
    };
    await step("create", ["up", "--yes", "--skip-preview"], "create");
    const stateFile = path.join(dir, ".state", ".pulumi", "stacks", "css-bench", "bench.json");
    const stateBytes = fs.existsSync(stateFile) ? fs.statSync(stateFile).size : 0;
    await step("preview", ["preview", "--expect-no-changes"], "preview");
    await step("refresh", ["refresh", "--yes", "--skip-preview"], "refresh");
    await step("delete", ["destroy", "--yes", "--skip-preview"], "delete");
    await step("up without checkpoints", ["up", "--yes", "--skip-preview"], "create", { PULUMI_SKIP_CHECKPOINTS: "true" });
    await run(bin, ["destroy", "--yes", "--skip-preview"], dir, env);
    return { face, tasks: n, timings, stateBytes, perResourceStateBytes: Math.round(stateBytes / n) };
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function mainEngineCli(argv: string[], log: (l: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      engine: { type: "string" },
      tasks: { type: "string", default: "200" },
      faces: { type: "string", default: "installed,plugin" },
      parallel: { type: "string", default: "default" },
    },
    strict: true,
  });
  const n = Number(values.tasks);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--tasks must be a positive whole number\n${ENGINE_USAGE}`);
  const faces = values.faces!.split(",").map((f) => f.trim()) as Face[];
  for (const f of faces) if (!FACES.includes(f)) throw new Error(`--faces: unknown face "${f}"\n${ENGINE_USAGE}`);
  const parallel = values.parallel === "default" ? [] : ["--parallel", values.parallel!];
  const bin = installedCliDir(ROOT);
  log(`bench --engine cli: ${n} tasks, faces ${faces.join(", ")}, --parallel ${values.parallel}; ${os.cpus().length} CPUs`);
  const results = [];
  for (const face of faces) results.push(await benchFace(face, n, parallel, bin, log));
  let missed = 0;
  for (const r of results) {
    const t = Object.fromEntries(r.timings.map((x) => [x.phase, x]));
    const up = t.create;
    const upGoal = up.seconds <= 1.2 * up.floorSeconds;
    const previewGoal = t.preview.seconds < 30;
    missed += Number(!upGoal) + Number(!previewGoal);
    log(`${r.face}: up ${up.seconds} s (floor ${up.floorSeconds} s, ${round(up.seconds / up.floorSeconds, 2)} ×; goal ≤ 1.2 ×: ` +
      `${upGoal ? "met" : "MISSED"}), no-op preview ${t.preview.seconds} s (goal < 30 s: ${previewGoal ? "met" : "MISSED"}), ` +
      `refresh ${t.refresh.seconds} s (floor ${t.refresh.floorSeconds} s), destroy ${t.delete.seconds} s ` +
      `(floor ${t.delete.floorSeconds} s), up without checkpoint writes ${t["up without checkpoints"].seconds} s; ` +
      `state ${r.stateBytes} bytes (${r.perResourceStateBytes} per resource)`);
  }
  log(JSON.stringify({ engine: "cli", tasks: n, parallel: values.parallel, results }));
  return missed > 0 ? 1 : 0;
}
