// Measurements that need no API: check+diff CPU per resource (in-process, as a preview spends
// it), the size of the provider text stored in every resource's state, and the offline validate
// of a big tasks file through the CLI process a CI job would run.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import * as impl from "../provider/impl";
import { compiledProvider, repoRoot, serialiseProvider, type Props } from "../harness/host";
import { liveRelay, vodPlaylist } from "../harness/tasks";

/** A spread of task shapes, so check and diff walk every kind of field. */
export function variedPrograms(count: number): Props[] {
  const out: Props[] = [];
  for (let i = 0; i < count; i++) {
    const extra: Props = { comment: `task ${i}` };
    if (i % 3 === 0) extra.callbackEvents = ["TaskStart", "TaskExit"];
    if (i % 3 === 0) extra.callbackUrl = `https://hooks.example.com/css/${i}`;
    if (i % 4 === 1)
      extra.watermarkList = [
        { pictureUrl: "https://static.example.com/logo.png", xPosition: 4, yPosition: 4,
          width: 10, height: 10, location: 1 },
        { pictureUrl: "https://static.example.com/badge.png", xPosition: 4, yPosition: 4,
          width: 8, height: 8, location: 3 },
      ];
    if (i % 2 === 0) {
      const backupSourceUrl = `rtmp://backup.example.com/live/${i}`;
      if (i % 4 === 2) Object.assign(extra, { backupSourceType: "PullLivePushLive", backupSourceUrl });
      out.push(liveRelay({ ...extra, sourceUrls: [`rtmp://origin.example.com/live/cam${i}`] }));
    } else {
      out.push(vodPlaylist({ ...extra, vodLoopTimes: i % 5, fileIndex: 1, offsetTime: 10 }));
    }
  }
  return out;
}

export interface CpuResult {
  iterations: number;
  msPerResource: number;
}

/**
 * CPU (user + system) of check followed by diff, per resource, over `iterations` calls on varied
 * tasks (a third of them changed, the rest unchanged), after a warm-up so the JIT has settled.
 */
export async function checkDiffCpu(iterations = 10_000): Promise<CpuResult> {
  const programs = variedPrograms(100);
  const states: { olds: Props; outputs: Props }[] = [];
  for (const p of programs) {
    const checked = await impl.check({}, p);
    const failures = checked.failures ?? [];
    if (failures.length > 0) throw new Error(`bench task invalid: ${JSON.stringify(failures)}`);
    const inputs = checked.inputs as Props;
    states.push({ olds: inputs, outputs: { ...inputs, taskId: `bench-${states.length}` } });
  }
  const variants = programs.map((p, i) => (i % 3 === 0 ? { ...p, comment: `changed ${i}` } : p));
  const once = async (i: number) => {
    const k = i % programs.length;
    const checked = await impl.check(states[k].olds, variants[k]);
    await impl.diff(String(states[k].outputs.taskId), states[k].outputs, checked.inputs);
  };
  for (let i = 0; i < 1000; i++) await once(i);
  const before = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await once(i);
  const used = process.cpuUsage(before);
  return { iterations, msPerResource: (used.user + used.system) / 1000 / iterations };
}

export async function serialisedProviderBytes(): Promise<number> {
  return Buffer.byteLength(await serialiseProvider(compiledProvider()), "utf8");
}

export interface ValidateResult {
  tasks: number;
  /** Medians over the runs: the validate, and a bare `node -e 0` timed between them. */
  seconds: number;
  bareNodeSeconds: number;
  /** seconds / bareNodeSeconds: what a shared machine's load moves least. */
  ratio: number;
  exitCode: number | null;
  output: string;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function wallSeconds(args: string[], cwd: string): { seconds: number; status: number | null; output: string } {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { encoding: "utf8", cwd });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, status: run.status, output: `${run.stdout}${run.stderr}`.trim().slice(0, 500) };
}

/**
 * Writes a tasks file of `count` valid tasks and times `node CLI validate FILE` of each built
 * checkout in `roots` (default: this one), `runs` rounds, each round a bare `node -e 0` and then
 * every checkout's validate in turn: a load that comes and goes weighs on all of them alike.
 */
export function validateTimes(count: number, runs: number, roots: string[]): ValidateResult[] {
  const clis = roots.map((root) => path.join(root, "dist", "cli", "main.js"));
  for (const cli of clis) if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\``);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-bench-"));
  try {
    const file = path.join(dir, "tasks.yaml");
    const tasks: Record<string, Props> = {};
    variedPrograms(count).forEach((p, i) => {
      tasks[`task-${String(i).padStart(5, "0")}`] = p;
    });
    fs.writeFileSync(file, stringify({ defaults: { region: "ap-guangzhou" }, tasks }));
    const bare: number[] = [];
    const timed = clis.map(() => [] as number[]);
    const last = clis.map(() => ({ seconds: 0, status: 0 as number | null, output: "" }));
    for (let i = 0; i < runs; i++) {
      bare.push(wallSeconds(["-e", "0"], dir).seconds);
      clis.forEach((cli, k) => {
        last[k] = wallSeconds([cli, "validate", file], dir);
        timed[k].push(last[k].seconds);
      });
    }
    const bareNodeSeconds = median(bare);
    return clis.map((_, k) => {
      const seconds = median(timed[k]);
      const ratio = seconds / bareNodeSeconds;
      return { tasks: count, seconds, bareNodeSeconds, ratio, exitCode: last[k].status, output: last[k].output };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function validateTime(count = 1000, runs = 5): ValidateResult {
  return validateTimes(count, runs, [repoRoot()])[0];
}

/** checkDiffCpu of the built checkout at `root`, in a process of its own (another version's code). */
export function checkDiffCpuAt(root: string, iterations: number): CpuResult {
  const offline = path.join(root, "dist", "bench", "offline.js");
  if (!fs.existsSync(offline)) throw new Error(`${offline} is missing: build that checkout`);
  const script =
    `require(${JSON.stringify(offline)}).checkDiffCpu(${iterations})` +
    ".then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); })";
  const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", cwd: root });
  if (run.status !== 0) throw new Error(`check+diff at ${root} failed: ${run.stderr.slice(0, 500)}`);
  return JSON.parse(run.stdout) as CpuResult;
}
