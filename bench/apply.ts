// npm run bench -- --tasks N [--concurrency default,16,64] [--stacks 1,2,4] [--no-refresh-all] [--offline-only]
//
// --concurrency: the engine's --parallel; `default` is Pulumi's own default, 4 × CPUs
// (pkg/cmd/pulumi/operations/up.go `defaultParallel`), `all` unbounded. --stacks K: K stacks of N
// tasks each applied at once on one account, each in its own provider host (K pipelines).
//
// Drives the provider through Pulumi's real dynamic provider host against an emulator enforcing
// the documented rate limits (quota raised to N): create N, no-op preview of N, modify N (comment),
// refresh N, delete N, at each engine concurrency, each phase in a fresh host as each Pulumi
// command gets. At the first concurrency, refresh also runs with all N reads at once (the engine
// with --parallel ≥ N). Then the offline figures: check+diff CPU per resource, the serialised
// provider's size, and `css-pull-tasks validate` of a 1,000-task file as a multiple of a bare
// `node -e 0` (--baseline DIR: the same figures of another built checkout, in the same run).
// Goals are in goals.ts; a throughput is judged from a 4 s floor (200 creates, 80 modifies), and
// below it the goal line says so. Prints tables; the VERY LAST line is one JSON object with every
// figure. Exit status 1 when an operation failed or a goal was missed (the table says which).
import * as os from "node:os";
import { parseArgs } from "node:util";
import { checkDiffCpu, checkDiffCpuAt, serialisedProviderBytes, type CpuResult } from "./offline";
import { validateTime, validateTimes } from "./offline";
import { repoRoot } from "../harness/host";
import { offlineGoals, phaseGoals } from "./goals";
import { mainEngineCli } from "./engine-cli";
import { runHostPhases, UNBOUNDED } from "./phases";
import { formatGoals, formatTable, round, type PhaseResult } from "./report";

export const USAGE =
  "Usage: npm run bench -- --tasks N [--concurrency default,16,64] [--stacks 1,2,4] [--no-refresh-all] " +
  "[--offline-only] " +
  "[--validate-tasks 1000] [--validate-runs 5] [--cpu-iterations 10000] [--baseline DIR]";

/** A bad command line: printed as its message and the usage, without a stack trace (exit 2). */
export class UsageError extends Error {}

interface Args {
  tasks: number;
  concurrency: number[];
  stacks: number[];
  refreshAll: boolean;
  offlineOnly: boolean;
  validateTasks: number;
  validateRuns: number;
  cpuIterations: number;
  /** Another built checkout: its offline figures are measured in the same run, for a before/after. */
  baseline?: string;
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`--${name} must be a positive whole number, got "${text}"\n${USAGE}`);
  }
  return n;
}

/** Pulumi's default --parallel: 4 × GOMAXPROCS (pkg/cmd/pulumi/operations/up.go `defaultParallel`). */
export const ENGINE_DEFAULT_PARALLEL = 4 * os.cpus().length;

function parallelism(text: string): number {
  if (text === "default") return ENGINE_DEFAULT_PARALLEL;
  if (text === "all") return UNBOUNDED;
  return positiveInt("concurrency", text);
}

export const parLabel = (p: number): string => (p >= UNBOUNDED ? "all" : String(p));

export function parse(argv: string[]): Args | "help" {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  const { values } = parsed;
  if (values.help) return "help";
  return {
    tasks: positiveInt("tasks", values.tasks!),
    concurrency: values.concurrency!.split(",").map((c) => parallelism(c.trim())),
    stacks: values.stacks!.split(",").map((c) => positiveInt("stacks", c.trim())),
    refreshAll: !values["no-refresh-all"],
    offlineOnly: !!values["offline-only"],
    validateTasks: positiveInt("validate-tasks", values["validate-tasks"]!),
    validateRuns: positiveInt("validate-runs", values["validate-runs"]!),
    cpuIterations: positiveInt("cpu-iterations", values["cpu-iterations"]!),
    ...(values.baseline ? { baseline: values.baseline } : {}),
  };
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      tasks: { type: "string", default: "200" },
      concurrency: { type: "string", default: "default,16,64" },
      stacks: { type: "string", default: "1" },
      "no-refresh-all": { type: "boolean", default: false },
      "offline-only": { type: "boolean", default: false },
      "validate-tasks": { type: "string", default: "1000" },
      "validate-runs": { type: "string", default: "5" },
      baseline: { type: "string" },
      "cpu-iterations": { type: "string", default: "10000" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
}

async function main(): Promise<number> {
  // `--engine cli`: the real Pulumi CLI instead of the provider host alone (bench/engine-cli.ts).
  const argv = process.argv.slice(2);
  const engine = argv.indexOf("--engine");
  if (engine >= 0 && argv[engine + 1] === "cli") return mainEngineCli(argv);
  const parsed = parse(argv);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  if (parsed === "help") {
    log(USAGE);
    return 0;
  }
  const args = parsed;
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  const where = `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}`;
  const pars = args.concurrency.map(parLabel).join(", ");
  log(`bench: ${args.tasks} tasks per stack, engine --parallel ${pars} ` +
    `(Pulumi's default here: ${ENGINE_DEFAULT_PARALLEL}), ` +
    `stacks ${args.stacks.join(", ")}; ${where}`);
  const started = performance.now();
  const phases: PhaseResult[] = [];
  if (!args.offlineOnly) {
    for (const stacks of args.stacks) {
      for (const c of args.concurrency) {
        log(`phases at --parallel ${parLabel(c)}${stacks > 1 ? `, ${stacks} stacks on one account` : ""}:`);
        const refreshAllAtOnce = args.refreshAll && c === args.concurrency[0] && stacks === 1;
        phases.push(...(await runHostPhases({ tasks: args.tasks, concurrency: c, stacks, refreshAllAtOnce, log })));
      }
    }
  }
  log("offline figures…");
  const bytes = await serialisedProviderBytes();
  const { cpu, validate, before } = args.baseline
    ? withBaseline(args, args.baseline)
    : { cpu: await checkDiffCpu(args.cpuIterations), validate: validateTime(args.validateTasks, args.validateRuns) };
  if (validate.exitCode !== 0) log(`validate exited ${validate.exitCode}: ${validate.output}`);
  log(`check+diff: ${round(cpu.msPerResource, 4)} ms CPU per resource (${cpu.iterations} calls)`);
  log(`validate ${validate.tasks} tasks: ${round(validate.seconds, 3)} s, ${round(validate.ratio, 2)} × ` +
    `\`node -e 0\` (${round(validate.bareNodeSeconds, 3)} s; medians of ${args.validateRuns})`);
  if (before) {
    log(`baseline ${args.baseline}: check+diff ${before.cpuMs} ms; validate ${before.validateSeconds} s, ` +
      `${before.validateRatio} × \`node -e 0\``);
    log(`before/after: check+diff ${round(before.cpuMs / cpu.msPerResource, 2)} × faster; validate ` +
      `${round(before.validateRatio / validate.ratio, 2)} × faster (${before.validateRatio} → ` +
      `${round(validate.ratio, 2)} × node -e 0)`);
  }

  log("");
  if (phases.length > 0) log(formatTable(phases));
  log("");
  const g = [
    ...phaseGoals(phases, args.tasks, parLabel),
    ...offlineGoals({
      checkDiffMs: cpu.msPerResource,
      providerBytes: bytes,
      validate: { ...validate, ok: validate.exitCode === 0 },
    }),
  ];
  log(formatGoals(g));
  if (g.some((x) => !x.met)) log(`missed goals: ${g.filter((x) => !x.met).map((x) => x.name).join("; ")}`);
  const failedOps = phases.reduce((a, p) => a + p.errors, 0);
  const summary = {
    tasks: args.tasks,
    concurrency: args.concurrency.map(parLabel),
    stacks: args.stacks,
    engineDefaultParallel: ENGINE_DEFAULT_PARALLEL,
    machine,
    totalSeconds: round((performance.now() - started) / 1000, 1),
    phases: phases.map(({ firstError, ...p }) => ({
      ...p,
      concurrency: parLabel(p.concurrency),
      ...(firstError ? { firstError } : {}),
    })),
    checkDiffCpuMsPerResource: round(cpu.msPerResource, 4),
    checkDiffIterations: cpu.iterations,
    serialisedProviderBytes: bytes,
    validate: {
      tasks: validate.tasks,
      seconds: round(validate.seconds, 3),
      bareNodeSeconds: round(validate.bareNodeSeconds, 3),
      ratio: round(validate.ratio, 2),
      exitCode: validate.exitCode,
    },
    ...(before ? { baseline: { dir: args.baseline, ...before } } : {}),
    goals: g.map((x) => ({ name: x.name, target: x.target, measured: x.measured, met: x.met })),
  };
  log(JSON.stringify(summary));
  return failedOps > 0 || validate.exitCode !== 0 || g.some((x) => !x.met) ? 1 : 0;
}

/**
 * The offline figures of this checkout and of the --baseline one, measured in turn (check+diff:
 * each in a process of its own, 3 rounds; validate: interleaved), medians.
 */
function withBaseline(args: Args, dir: string) {
  const mine: CpuResult[] = [];
  const theirs: CpuResult[] = [];
  for (let i = 0; i < 3; i++) {
    mine.push(checkDiffCpuAt(repoRoot(), args.cpuIterations));
    theirs.push(checkDiffCpuAt(dir, args.cpuIterations));
  }
  const mid = (xs: CpuResult[]) => [...xs].sort((a, b) => a.msPerResource - b.msPerResource)[1];
  const [validate, old] = validateTimes(args.validateTasks, args.validateRuns, [repoRoot(), dir]);
  const before = {
    cpuMs: round(mid(theirs).msPerResource, 4),
    validateSeconds: round(old.seconds, 3),
    validateRatio: round(old.ratio, 2),
  };
  return { cpu: mid(mine), validate, before };
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`bench: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
