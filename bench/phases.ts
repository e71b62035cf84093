// The host-driven phases: a fresh emulator enforcing the documented rate limits (quota raised to
// the task count) and Pulumi's real dynamic provider host, driven the way the engine drives it
// (harness/engine.ts) by `concurrency` workers, the engine's --parallel. Retries are the API
// client's own count, read from each host as it stops.
import { startEmulator, type CallCounts, type RunningEmulator } from "../emulator";
import { Stack } from "../harness/engine";
import { ProviderHost, type Props } from "../harness/host";
import { emulatorConfig, liveRelay } from "../harness/tasks";
import { runPool } from "../harness/pool";
import { floorSeconds, ratio, round, shortAction, type PhaseName, type PhaseResult } from "./report";

export interface HostRunOptions {
  /** Tasks per stack. */
  tasks: number;
  concurrency: number;
  /**
   * Stacks applied at once on one account (default 1): each its own provider host process, as K
   * pipelines or K `pulumi up` in parallel, each pacing itself (provider/api/adaptive.ts).
   */
  stacks?: number;
  /** Also refresh with every read at once (the engine with --parallel ≥ the stack's size). */
  refreshAllAtOnce: boolean;
  log: (line: string) => void;
}

export const MODIFIED_COMMENT = "bench: modified";

function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[shortAction(k)] = d;
  }
  return out;
}

const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);

/**
 * One stack's part of a phase: its names and what to do with each, `concurrency` at a time, or a
 * run of its own over all of them (refresh) returning its failures.
 */
type StackWork =
  | { names: string[]; work: (name: string) => Promise<unknown> }
  | { names: string[]; run: () => Promise<{ item: string; message: string }[]> };

async function measure(
  emulator: RunningEmulator,
  phase: PhaseName,
  parts: StackWork[],
  concurrency: number,
): Promise<PhaseResult> {
  const before: CallCounts = emulator.calls();
  const started = performance.now();
  // Every stack at once, each with its own engine pool: K `pulumi up` started together.
  const outs = await Promise.all(
    parts.map(async (p) => ("run" in p ? p.run() : (await runPool(p.names, concurrency, (n) => n, p.work)).errors)),
  );
  const out = { seconds: (performance.now() - started) / 1000, errors: outs.flat() };
  const names = parts.flatMap((p) => p.names);
  const after: CallCounts = emulator.calls();
  const throttled = sum(delta(before.throttled, after.throttled));
  const wall = round(out.seconds, 3);
  const floor = round(floorSeconds(phase, names.length), 3);
  return {
    phase,
    concurrency,
    stacks: parts.length,
    tasks: names.length,
    wallSeconds: wall,
    floorSeconds: floor,
    ratio: ratio(wall, floor),
    apiCalls: delta(before.calls, after.calls),
    throttled,
    // Counted by the API client itself once its host has stopped (inFreshHost fills it in).
    retries: 0,
    errors: out.errors.length,
    throttlingErrorsSurfaced: out.errors.filter((e) => /RequestLimitExceeded/.test(e.message)).length,
    ...(out.errors.length > 0 ? { firstError: `${out.errors[0].item}: ${out.errors[0].message}` } : {}),
  };
}

function expect(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

/**
 * Each phase is its own Pulumi command (up, preview, up, refresh, destroy), and the engine starts
 * a fresh provider host for each: a new process, so no limiter history and no coalescer hints.
 */
async function inFreshHosts(
  emulator: RunningEmulator,
  states: Stack["state"][],
  stackName: (i: number) => string,
  log: (line: string) => void,
  work: (stacks: Stack[]) => Promise<PhaseResult>,
): Promise<PhaseResult> {
  const hosts = await Promise.all(states.map(() => ProviderHost.start({ clientStats: true })));
  let out: PhaseResult;
  try {
    await Promise.all(hosts.map((h) => h.configure(emulatorConfig(emulator.url))));
    const stacks = hosts.map((h, i) => new Stack(h, stackName(i)));
    // Every phase is a command with hosts of its own already: no extra process for its deletes.
    for (const stack of stacks) stack.ownProcessForDeletes = false;
    states.forEach((state, i) => {
      for (const [name, st] of state) stacks[i].state.set(name, st);
    });
    out = await work(stacks);
    states.forEach((state, i) => {
      state.clear();
      for (const [name, st] of stacks[i].state) state.set(name, st);
    });
  } catch (err) {
    for (const host of hosts) {
      const stderr = host.stderr().trim();
      if (stderr) log(`provider host stderr (last 2000 chars):\n${stderr.slice(-2000)}`);
    }
    throw err;
  } finally {
    await Promise.all(hosts.map((h) => h.close()));
  }
  let retries = 0;
  for (const host of hosts) {
    const stats = host.clientStats();
    if (!stats) throw new Error(`${out.phase}: a provider host reported no client stats, so its retries are unknown`);
    retries += stats.retries;
  }
  return { ...out, retries };
}

export async function runHostPhases(opts: HostRunOptions): Promise<PhaseResult[]> {
  const { tasks, concurrency, log } = opts;
  const k = opts.stacks ?? 1;
  const emulator = await startEmulator({ port: 0, taskLimit: Math.max(tasks * k, 1), rateScale: 1 });
  const results: PhaseResult[] = [];
  const record = (r: PhaseResult) => {
    results.push(r);
    const par = r.concurrency >= UNBOUNDED ? "all" : String(r.concurrency);
    const stacks = k > 1 ? ` × ${k} stacks` : "";
    const head = `  ${r.phase.padEnd(8)} par ${par.padStart(4)}${stacks}: ${r.wallSeconds.toFixed(2)} s`;
    const ratioText = r.ratio === null ? "" : ` (${r.ratio.toFixed(2)} × floor)`;
    const counts = `calls ${JSON.stringify(r.apiCalls)}, throttled ${r.throttled}, retries ${r.retries}`;
    log(`${head}${ratioText}, ${counts}, errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ""}`);
  };
  const states: Stack["state"][] = Array.from({ length: k }, () => new Map());
  const stackName = (i: number) => (k > 1 ? `bench-p${concurrency}-s${i}` : `bench-p${concurrency}`);
  const command = (work: (stacks: Stack[]) => Promise<PhaseResult>) =>
    inFreshHosts(emulator, states, stackName, log, work);
  const total = tasks * k;
  try {
    // State order: the engine refreshes and destroys in the order resources sit in the state.
    const names = Array.from({ length: tasks }, (_, i) => `relay-${String(i).padStart(5, "0")}`);
    const programs = Array.from({ length: k }, () => new Map<string, Props>(
      names.map((n) => [n, liveRelay({ comment: "bench: created" })]),
    ));
    const each = (stacks: Stack[], work: (stack: Stack, i: number) => (name: string) => Promise<unknown>) =>
      stacks.map((stack, i) => ({ names, work: work(stack, i) }));

    record(await command((stacks) =>
      measure(emulator, "create", each(stacks, (st, i) => (n) => st.up(n, programs[i].get(n)!)), concurrency)));
    const held = emulator.tasks().length;
    expect(held === total, `create: the emulator holds ${held} tasks, expected ${total}`);

    record(await command((stacks) =>
      measure(emulator, "preview", each(stacks, (st, i) => async (n) => {
        const plan = await st.preview(n, programs[i].get(n)!);
        expect(plan.op === "same", `preview of ${n}: planned ${plan.op}, expected no change`);
      }), concurrency)));

    for (const set of programs) for (const p of set.values()) p.comment = MODIFIED_COMMENT;
    record(await command((stacks) =>
      measure(emulator, "modify", each(stacks, (st, i) => async (n) => {
        const plan = await st.up(n, programs[i].get(n)!);
        expect(plan.op === "update", `modify of ${n}: planned ${plan.op}, expected an in-place update`);
      }), concurrency)));
    const modified = emulator.tasks().every((t) => t.Comment === MODIFIED_COMMENT);
    expect(modified, "modify: not every task carries the new comment");

    const refreshAt = (parallel: number) => command((stacks) =>
      measureRefresh(emulator, stacks, parallel));
    const refreshes = [concurrency, ...(opts.refreshAllAtOnce && tasks > concurrency ? [UNBOUNDED] : [])];
    for (const parallel of refreshes) record(await refreshAt(parallel));

    record(await command((stacks) =>
      measure(emulator, "delete", each(stacks, (st) => (n) => st.destroy(n)), concurrency)));
    expect(emulator.tasks().length === 0, `delete: ${emulator.tasks().length} tasks are left`);
    return results;
  } finally {
    await emulator.close();
  }
}

/** The engine's --parallel when none is given on the command line... of old: unbounded. */
export const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/**
 * `pulumi refresh` of every stack at once, each as the engine does it (Stack.refreshAll: all Reads
 * in one batch, `parallel` at a time); every task must be kept, with the modified comment.
 */
async function measureRefresh(emulator: RunningEmulator, stacks: Stack[], parallel: number): Promise<PhaseResult> {
  const parts = stacks.map((stack) => ({
    names: [...stack.state.keys()],
    run: async () => {
      const r = await stack.refreshAll(parallel);
      const errors = r.failures.map((f) => ({ item: f.name, message: f.message }));
      if (r.gone > 0) errors.push({ item: stack.stack, message: `${r.gone} tasks reported gone` });
      for (const [name, st] of stack.state) {
        const comment = st.outputs.comment;
        if (comment !== MODIFIED_COMMENT) errors.push({ item: name, message: `comment is ${String(comment)}` });
      }
      return errors;
    },
  }));
  return measure(emulator, "refresh", parts, parallel);
}
