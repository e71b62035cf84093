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
  seconds: number;
  exitCode: number | null;
  output: string;
}

/** Writes a tasks file of `count` valid tasks and times `node dist/cli/main.js validate FILE`. */
export function validateTime(count = 1000): ValidateResult {
  const root = repoRoot();
  const cli = path.join(root, "dist", "cli", "main.js");
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\``);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-bench-"));
  try {
    const file = path.join(dir, "tasks.yaml");
    const tasks: Record<string, Props> = {};
    variedPrograms(count).forEach((p, i) => {
      tasks[`task-${String(i).padStart(5, "0")}`] = p;
    });
    fs.writeFileSync(file, stringify({ defaults: { region: "ap-guangzhou" }, tasks }));
    const started = performance.now();
    const run = spawnSync(process.execPath, [cli, "validate", file], { encoding: "utf8", cwd: dir });
    const seconds = (performance.now() - started) / 1000;
    return { tasks: count, seconds, exitCode: run.status, output: `${run.stdout}${run.stderr}`.trim().slice(0, 500) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
