// npm run soak -- --stacks K: K stacks applied at once on ONE account with faults on, each through
// its own provider host process per `pulumi up` (K pipelines), so their limiters, retry budgets and
// read caches are separate and only the API's throttles tell them about each other. Create, modify
// and delete N tasks per stack, re-running what failed as a second `pulumi up` would; after each
// phase one verdict over the whole account: no duplicates, orphans, missing tasks or lost changes.
import { startEmulator } from "../../emulator";
import { Stack, type UpResult } from "../../harness/engine";
import type { Props, ProviderHost } from "../../harness/host";
import { emulatorCalls, emulatorFaults, emulatorTasks, setFaults } from "../../harness/inspect";
import { programResource } from "../../harness/program";
import { SOAK_CREDENTIALS, startSoakHost } from "../../harness/soak-host";
import { isClean, verify, type Verdict } from "../../harness/verify";
import { desiredSet, modifiedSet } from "./plan";
import { faultSpec } from "./run";

export interface StacksSoakOptions {
  stacks: number;
  /** Tasks per stack. */
  tasks: number;
  faultRate: number;
  seed?: number;
  parallel?: number;
  kinds?: readonly string[];
  maxRounds?: number;
  log?: (line: string) => void;
}

/** The verdict's counts summed over phases (leftoverFailures: over stacks too), and the run's. */
export interface StacksSoakReport extends Omit<Verdict, "tasks" | "problems"> {
  stacks: number;
  tasks: number;
  faultRate: number;
  seed: number;
  operations: number;
  failures: number;
  rounds: Record<string, number[]>;
  faultsInjected: Record<string, number>;
  apiCalls: Record<string, number>;
  clean: boolean;
  seconds: number;
}

/**
 * Stack j's own resources: the same shapes as the one-stack soak, never another stack's stream,
 * and names of their own (the program mocks fix one stack name per process, so the name is what
 * keeps the resources' identities apart).
 */
function ownDestinations(set: Map<string, Props>, j: number): Map<string, Props> {
  const out = new Map<string, Props>();
  for (const [plain, cfg] of set) {
    const name = `s${j}-${plain}`;
    const c: Props = { ...cfg };
    if (typeof c.streamName === "string") c.streamName = c.streamName.replace("soak-", `soak-s${j}-`);
    if (typeof c.toUrl === "string") c.toUrl = c.toUrl.replace("/soak-", `/soak-s${j}-`);
    out.set(name, c);
  }
  return out;
}

export async function runStacksSoak(o: StacksSoakOptions): Promise<StacksSoakReport> {
  const started = Date.now();
  const seed = o.seed ?? 1;
  const maxRounds = o.maxRounds ?? 6;
  const log = o.log ?? (() => undefined);
  const emu = await startEmulator({
    port: 0,
    ...SOAK_CREDENTIALS,
    seed,
    taskLimit: o.stacks * (o.tasks * 2 + 20),
    timeoutDelayMs: 16_000,
  });
  const report: StacksSoakReport = {
    stacks: o.stacks, tasks: o.tasks, faultRate: o.faultRate, seed, operations: 0, failures: 0, rounds: {},
    duplicates: 0, orphans: 0, shared: 0, missing: 0, lostChanges: 0, leftoverFailures: 0,
    faultsInjected: {}, apiCalls: {}, clean: false, seconds: 0,
  };
  try {
    await setFaults(emu.url, faultSpec(o.faultRate, o.kinds), seed);
    const now = Date.now();
    const stacks = Array.from({ length: o.stacks }, (_, j) => {
      const host = { current: undefined as unknown as ProviderHost };
      return { j, host, engine: new Stack(host, `soak-s${j}`) };
    });
    // One after the other: the program mocks of harness/program.ts find a registration by name.
    const sets: Record<"create" | "modify" | "delete", Map<string, Props>>[] = [];
    for (const { j, engine } of stacks) {
      const configs = ownDestinations(desiredSet(o.tasks, seed + j, now), j);
      const registered = async (set: Map<string, Props>) => {
        const out = new Map<string, Props>();
        for (const [name, cfg] of set) out.set(name, (await programResource(name, cfg, "css", engine.stack)).inputs);
        return out;
      };
      sets.push({ create: await registered(configs), modify: await registered(modifiedSet(configs)), delete: new Map() });
    }
    let clean = true;
    for (const phase of ["create", "modify", "delete"] as const) {
      report.rounds[phase] = await Promise.all(stacks.map(async ({ j, host, engine }) => {
        const want = sets[j][phase];
        let last: UpResult | undefined;
        let rounds = 0;
        while (rounds < maxRounds && (!last || last.failures.length > 0 || engine.pendingDeletes.length > 0)) {
          rounds++;
          host.current = await startSoakHost(emu.url);
          try {
            last = await engine.apply(want, o.parallel);
          } finally {
            await host.current.close();
          }
          const ops = last.operations.create + last.operations.update + last.operations.delete;
          report.operations += ops;
          report.failures += last.failures.length;
          const first = last.failures[0];
          log(`${phase} stack ${j} round ${rounds}: ${ops} operations, ${last.failures.length} failed` +
            (first ? ` (e.g. ${first.name} ${first.op}: ${first.message.slice(0, 160)})` : ""));
        }
        report.leftoverFailures += last?.failures.length ?? 0;
        return rounds;
      }));
      // One verdict over the account: every stack's state and desired set, keyed by stack.
      const state = new Map(
        stacks.flatMap(({ j, engine }) => [...engine.state].map(([n, e]) => [`s${j}/${n}`, e] as const)),
      );
      const want = new Map(stacks.flatMap(({ j }) => [...sets[j][phase]].map(([n, p]) => [`s${j}/${n}`, p] as const)));
      const pendingDeletes = stacks.flatMap(({ engine }) => engine.pendingDeletes);
      const verdict: Verdict = verify(await emulatorTasks(emu.url), state, want, { failures: 0, pendingDeletes });
      log(`${phase}: ${JSON.stringify({ ...verdict, problems: verdict.problems.slice(0, 5) })}`);
      for (const k of ["duplicates", "orphans", "shared", "missing", "lostChanges"] as const) report[k] += verdict[k];
      clean &&= isClean(verdict);
    }
    report.clean = clean && report.leftoverFailures === 0;
    const faults = await emulatorFaults(emu.url);
    const calls = await emulatorCalls(emu.url);
    report.faultsInjected = { ...faults.injected, total: faults.total };
    const throttledByRate = Object.values(calls.throttled).reduce((a, b) => a + b, 0);
    report.apiCalls = { ...calls.calls, throttledByRate, total: calls.total };
  } finally {
    await emu.close();
  }
  report.seconds = Math.round((Date.now() - started) / 100) / 10;
  return report;
}
