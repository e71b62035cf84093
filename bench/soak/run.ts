// The soak: create N, modify N, (with `replace`) force-replace N, delete N through the real provider
// host while the emulator injects every fault kind, re-running each phase for what failed (as a
// second `pulumi up` would), and judging the emulator against the engine's state after each phase.
import { startEmulator, type RunningEmulator } from "../../emulator";
import { FAULT_KINDS } from "../../emulator/faults";
import { ProviderHost, type Props } from "../../harness/host";
import { defaultParallel, Stack, type OpFailure, type UpResult } from "../../harness/engine";
import { emulatorCalls, emulatorFaults, emulatorTasks, setFaults } from "../../harness/inspect";
import { SOAK_CREDENTIALS, startSoakHost } from "../../harness/soak-host";
import { desiredSet, modifiedSet, mulberry32 } from "./plan";
import { programResource } from "../../harness/program";
import { isClean, verify, type Verdict } from "../../harness/verify";

export { FAULT_KINDS, SOAK_CREDENTIALS };
const SECRET_ID = SOAK_CREDENTIALS.secretId;
const SECRET_KEY = SOAK_CREDENTIALS.secretKey;
/** The client gives up on a request after 15 s unless `tencentcloud:requestTimeoutMs` says otherwise. */
const CLIENT_TIMEOUT_MS = 15_000;

export interface SoakOptions {
  tasks: number;
  faultRate: number;
  seed?: number;
  /** `--parallel`: step chains in flight at once; the engine's default is 4 x CPUs (harness/executor.ts). */
  parallel?: number;
  /** Fault kinds to inject (default: all seven); the rate is split evenly across them. */
  kinds?: readonly string[];
  /**
   * Kill the provider host (SIGKILL, like a cancelled CI job) part-way through the first round of
   * every phase, after a seeded-random 20–80% of its operations have finished.
   */
  interrupt?: boolean;
  /**
   * A phase between modify and delete replacing every task once, as `pulumi up --replace`: half
   * delete-before-replace, half create-before-delete (the resource option overriding the provider).
   */
  replace?: boolean;
  /**
   * Every run as `pulumi up --refresh` (the delete phase as `destroy --refresh`): the refresh's
   * Reads and Diffs in the same provider process as the writes and deletes that follow.
   */
  refresh?: boolean;
  /** Every run with `--continue-on-error`: a failed step cancels nothing, the deletes still run. */
  continueOnError?: boolean;
  /**
   * Replace phase: every third replacement in the same run as a change of the resource's explicit
   * provider, so that the old object's Delete lands in the old provider's process.
   */
  providerChange?: boolean;
  /**
   * After the delete phase, `pulumi up` of the same tasks at once (within the reads' lag of the
   * destroy), then a second delete: a lagging read must never bring a deleted task back.
   */
  recreate?: boolean;
  /** `pulumi up` runs allowed per phase before the soak calls the phase unconverged. */
  maxRounds?: number;
  /** The provider's `tencentcloud:requestTimeoutMs`: what each `timeout` fault costs (default 15 s). */
  requestTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface PhaseReport {
  phase: "create" | "modify" | "replace" | "delete" | "recreate" | "delete-again";
  rounds: number;
  operations: number;
  failures: number;
  failureReasons: Record<string, number>;
  /** The first few failure messages in full, to judge whether a retry could have succeeded. */
  failureExamples: string[];
  replacements: number;
  /** Replace phase: resources whose replacement never completed (the engine's Create never succeeded). */
  notReplaced?: number;
  /** Replace phase: create-first replacements that kept the old id (none since issue 23: a new task each). */
  kept?: number;
  verdict: Verdict;
}

/** The verdict's counts, summed over the phases. */
type Counts = Omit<Verdict, "tasks" | "problems">;

export interface SoakReport extends Counts {
  tasks: number;
  faultRate: number;
  seed: number;
  parallel: number;
  operations: number;
  faultsInjected: Record<string, number>;
  apiCalls: Record<string, number>;
  /** Client-side retries summed over every host (null if a host did not report its counters). */
  retries: number | null;
  clientCalls: Record<string, number> | null;
  /** Provider hosts started: one per `pulumi up` round. */
  providerHosts: number;
  /** Hosts killed mid-round (--interrupt); their client counters are lost, so `retries` omits them. */
  hostKills: number;
  failures: number;
  rounds: Record<string, number>;
  /** Replace phase (--replace): resources whose replacement never completed; null without the phase. */
  notReplaced: number | null;
  /** Replace phase: create-first replacements that kept the old id (0 since issue 23); null without the phase. */
  kept: number | null;
  converged: boolean;
  /** Every count above 0, converged: what the exit status reports. */
  clean: boolean;
  phases: PhaseReport[];
  seconds: number;
}

/** A failure's reason without task-specific text: the API error code, or its first words. */
function reasonOf(f: OpFailure): string {
  const code = /\b((?:[A-Z][A-Za-z]+\.)*[A-Z][A-Za-z]+(?:\.[A-Z][A-Za-z]+)+|InternalError|RequestLimitExceeded)\b/.exec(f.message)?.[1];
  return `${f.op}: ${code ?? f.message.split(/[:;]/)[0].slice(0, 60)}`;
}

export function faultSpec(rate: number, kinds: readonly string[] = FAULT_KINDS): string {
  return kinds.map((k) => `${k}=${(rate / kinds.length).toFixed(6)}`).join(",");
}


/** Phases a complete run has. */
const phaseCount = (o: SoakOptions): number => 3 + (o.replace ? 1 : 0) + (o.recreate ? 2 : 0);

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const seed = o.seed ?? 1;
  const maxRounds = o.maxRounds ?? 6;
  const parallel = o.parallel ?? defaultParallel();
  const log = o.log ?? (() => undefined);
  const emu: RunningEmulator = await startEmulator({
    port: 0, secretId: SECRET_ID, secretKey: SECRET_KEY, seed,
    taskLimit: o.tasks * 2 + 20,
    // A "timeout" answers just after the client has given up, so the change IS applied.
    timeoutDelayMs: (o.requestTimeoutMs ?? CLIENT_TIMEOUT_MS) + 1_000,
  });
  // Every `pulumi up` starts its own provider host: a fresh one per round, so nothing a host keeps
  // in memory (client, limiter, read cache) carries a run through.
  const host = { current: undefined as unknown as ProviderHost };
  const engine = new Stack(host, "soak");
  engine.ownProcessForDeletes = false; // every round already has a host of its own
  const stats = { retries: 0, calls: {} as Record<string, number>, hosts: 0, reported: 0 };
  const closeHost = async () => {
    if (!host.current) return;
    await host.current.close();
    stats.hosts++;
    const s = host.current.clientStats();
    if (s) {
      stats.reported++;
      stats.retries += s.retries;
      for (const [k, v] of Object.entries(s.calls)) stats.calls[k] = (stats.calls[k] ?? 0) + v;
    }
  };
  const phases: PhaseReport[] = [];
  let operations = 0;
  let kills = 0;
  const rand = mulberry32(seed ^ 0x5eed);
  /**
   * Kills the current host the moment `count` more operations have finished. count is below the
   * round's operations, so at least one is still in flight and dies with the host.
   */
  const killAfter = (count: number): (() => void) => {
    const from = engine.finished;
    engine.onFinish = (finished) => {
      if (finished - from < count || !host.current) return;
      engine.onFinish = undefined;
      host.current.kill();
      kills++;
      log(`  host killed after ${finished - from} operations`);
    };
    return () => {
      engine.onFinish = undefined;
    };
  };
  /** What the program registers for each task (identity input, secrets unwrapped), as the engine passes it on. */
  const registered = async (set: Map<string, Props>) => {
    const out = new Map<string, Props>();
    for (const [name, cfg] of set) out.set(name, (await programResource(name, cfg, "css", "soak")).inputs);
    return out;
  };
  try {
    await setFaults(emu.url, faultSpec(o.faultRate, o.kinds), seed);
    const configs = desiredSet(o.tasks, seed, Date.now());
    const desired = await registered(configs);
    const modified = await registered(modifiedSet(configs));
    const plan: [PhaseReport["phase"], Map<string, Props>][] = [
      ["create", desired],
      ["modify", modified],
      ...(o.replace ? [["replace", modified] as [PhaseReport["phase"], Map<string, Props>]] : []),
      ["delete", new Map()],
      ...(o.recreate ? ([["recreate", modified], ["delete-again", new Map()]] as [PhaseReport["phase"], Map<string, Props>][]) : []),
    ];
    const moved = new Set(o.providerChange ? [...modified.keys()].filter((_, i) => i % 3 === 1) : []);
    const order = new Map([...modified.keys()].map((name, i) => [name, i % 2 === 0]));
    for (const [phase, want] of plan) {
      const report: PhaseReport = { phase, rounds: 0, operations: 0, failures: 0, failureReasons: {}, failureExamples: [], replacements: 0, verdict: undefined as unknown as Verdict };
      // Replace phase: `pulumi up --replace` for every resource, re-run for those not replaced yet.
      const toReplace = new Set(phase === "replace" ? want.keys() : []);
      const before = new Map([...engine.state].map(([name, e]) => [name, e.id]));
      let last: UpResult | undefined;
      const more = () => !last || last.failures.length > 0 || toReplace.size > 0 || engine.pendingDeletes.length > 0;
      while (report.rounds < maxRounds && more()) {
        report.rounds++;
        host.current = await startSoakHost(emu.url, o.requestTimeoutMs);
        const planned = new Set([...want.keys(), ...engine.state.keys()]).size;
        const stopKiller = o.interrupt && report.rounds === 1 ? killAfter(Math.max(1, Math.floor(planned * (0.2 + 0.6 * rand())))) : undefined;
        try {
          last = await engine.apply(want, parallel, {
            replace: toReplace,
            deleteBeforeReplace: (name) => order.get(name),
            providerChanged: phase === "replace" ? moved : undefined,
            refresh: o.refresh,
            continueOnError: o.continueOnError,
          });
          for (const name of last.replaced) toReplace.delete(name);
        } finally {
          stopKiller?.();
          await closeHost();
          host.current = undefined as unknown as ProviderHost;
        }
        const ops = Object.values(last.operations).reduce((a, b) => a + b, 0) - last.operations.check - last.operations.diff;
        report.operations += ops;
        report.failures += last.failures.length;
        report.replacements += last.replacements.length;
        for (const f of last.failures) {
          report.failureReasons[reasonOf(f)] = (report.failureReasons[reasonOf(f)] ?? 0) + 1;
          if (report.failureExamples.length < 3) report.failureExamples.push(`${f.name} ${f.op}${f.partial ? " (partial: id kept in state)" : ""}: ${f.message}`);
        }
        log(`${phase} round ${report.rounds}: ${ops} operations, ${last.failures.length} failed${last.failures[0] ? ` (e.g. ${last.failures[0].name} ${last.failures[0].op}: ${last.failures[0].message.slice(0, 160)})` : ""}`);
      }
      operations += report.operations;
      if (phase === "replace") {
        report.notReplaced = toReplace.size;
        report.kept = [...want.keys()].filter((name) => !order.get(name) && engine.state.get(name)?.id === before.get(name)).length;
      }
      const leftovers = { failures: last?.failures.length ?? 0, pendingDeletes: engine.pendingDeletes };
      report.verdict = verify(await emulatorTasks(emu.url), engine.state, want, leftovers);
      log(`${phase}: ${JSON.stringify({ ...report.verdict, problems: report.verdict.problems.slice(0, 5) })}`);
      phases.push(report);
    }
  } finally {
    await closeHost();
  }
  const faults = await emulatorFaults(emu.url);
  const calls = await emulatorCalls(emu.url);
  await emu.close();
  const complete = stats.hosts > 0 && stats.reported === stats.hosts;
  const sum = (k: keyof Verdict) => phases.reduce((a, p) => a + (p.verdict[k] as number), 0);
  const last = phases[phases.length - 1];
  const replacePhase = phases.find((p) => p.phase === "replace");
  const converged = phases.length === phaseCount(o) && phases.every((p) => p.verdict.missing === 0 && p.replacements === 0) && last.verdict.tasks === 0;
  const notReplaced = replacePhase ? replacePhase.notReplaced ?? 0 : null;
  const kept = replacePhase ? replacePhase.kept ?? 0 : null;
  return {
    tasks: o.tasks,
    faultRate: o.faultRate,
    seed,
    parallel,
    operations,
    faultsInjected: { ...faults.injected, total: faults.total },
    apiCalls: { ...calls.calls, total: calls.total },
    retries: complete || kills > 0 ? stats.retries : null,
    clientCalls: complete || kills > 0 ? stats.calls : null,
    providerHosts: stats.hosts,
    hostKills: kills,
    failures: phases.reduce((a, p) => a + p.failures, 0),
    rounds: Object.fromEntries(phases.map((p) => [p.phase, p.rounds])),
    duplicates: sum("duplicates"),
    orphans: sum("orphans"),
    shared: sum("shared"),
    missing: sum("missing"),
    lostChanges: sum("lostChanges"),
    leftoverFailures: sum("leftoverFailures"),
    notReplaced,
    kept,
    converged,
    clean: converged && phases.every((p) => isClean(p.verdict)) && !notReplaced,
    phases,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}
