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
  tasks: number;
  concurrency: number;
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

async function measure(
  emulator: RunningEmulator,
  phase: PhaseName,
  names: string[],
  concurrency: number,
  work: (name: string) => Promise<unknown>,
): Promise<PhaseResult> {
  const before: CallCounts = emulator.calls();
  const out = await runPool(names, concurrency, (n) => n, work);
  const after: CallCounts = emulator.calls();
  const throttled = sum(delta(before.throttled, after.throttled));
  const wall = round(out.seconds, 3);
  const floor = round(floorSeconds(phase, names.length), 3);
  return {
    phase,
    concurrency,
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
async function inFreshHost(
  emulator: RunningEmulator,
  state: Stack["state"],
  stackName: string,
  log: (line: string) => void,
  work: (stack: Stack) => Promise<PhaseResult>,
): Promise<PhaseResult> {
  const host = await ProviderHost.start({ clientStats: true });
  let out: PhaseResult;
  try {
    await host.configure(emulatorConfig(emulator.url));
    const stack = new Stack(host, stackName);
    stack.ownProcessForDeletes = false; // every phase is a command with a host of its own already
    for (const [name, st] of state) stack.state.set(name, st);
    out = await work(stack);
    state.clear();
    for (const [name, st] of stack.state) state.set(name, st);
  } catch (err) {
    const stderr = host.stderr().trim();
    if (stderr) log(`provider host stderr (last 2000 chars):\n${stderr.slice(-2000)}`);
    throw err;
  } finally {
    await host.close();
  }
  const stats = host.clientStats();
  if (!stats) throw new Error(`${out.phase}: the provider host reported no client stats, so its retries are unknown`);
  return { ...out, retries: stats.retries };
}

export async function runHostPhases(opts: HostRunOptions): Promise<PhaseResult[]> {
  const { tasks, concurrency, log } = opts;
  const emulator = await startEmulator({ port: 0, taskLimit: Math.max(tasks, 1), rateScale: 1 });
  const results: PhaseResult[] = [];
  const record = (r: PhaseResult) => {
    results.push(r);
    const head = `  ${r.phase.padEnd(8)} par ${String(r.concurrency).padStart(4)}: ${r.wallSeconds.toFixed(2)} s`;
    const counts = `calls ${JSON.stringify(r.apiCalls)}, throttled ${r.throttled}, retries ${r.retries}`;
    log(`${head}, ${counts}, errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ""}`);
  };
  const stackName = `bench-p${concurrency}`;
  const state: Stack["state"] = new Map();
  const command = (work: (stack: Stack) => Promise<PhaseResult>) => inFreshHost(emulator, state, stackName, log, work);
  try {
    // State order: the engine refreshes and destroys in the order resources sit in the state.
    const names = Array.from({ length: tasks }, (_, i) => `relay-${String(i).padStart(5, "0")}`);
    const programs = new Map<string, Props>(names.map((n) => [n, liveRelay({ comment: "bench: created" })]));

    const create = (stack: Stack) =>
      measure(emulator, "create", names, concurrency, (n) => stack.up(n, programs.get(n)!));
    record(await command(create));
    const held = emulator.tasks().length;
    expect(held === tasks, `create: the emulator holds ${held} tasks, expected ${tasks}`);

    record(
      await command((stack) =>
        measure(emulator, "preview", names, concurrency, async (n) => {
          const plan = await stack.preview(n, programs.get(n)!);
          expect(plan.op === "same", `preview of ${n}: planned ${plan.op}, expected no change`);
        }),
      ),
    );

    for (const p of programs.values()) p.comment = MODIFIED_COMMENT;
    record(
      await command((stack) =>
        measure(emulator, "modify", names, concurrency, async (n) => {
          const plan = await stack.up(n, programs.get(n)!);
          expect(plan.op === "update", `modify of ${n}: planned ${plan.op}, expected an in-place update`);
        }),
      ),
    );
    const modified = emulator.tasks().every((t) => t.Comment === MODIFIED_COMMENT);
    expect(modified, "modify: not every task carries the new comment");

    const refresh = (stack: Stack) => async (n: string) => {
      expect((await stack.refresh(n)) === "kept", `refresh of ${n}: the task was reported gone`);
      const comment = stack.state.get(n)!.outputs.comment;
      expect(comment === MODIFIED_COMMENT, `refresh of ${n}: comment is ${String(comment)}`);
    };
    record(await command((stack) => measure(emulator, "refresh", names, concurrency, refresh(stack))));
    if (opts.refreshAllAtOnce && tasks > concurrency) {
      record(await command((stack) => measure(emulator, "refresh", names, tasks, refresh(stack))));
    }

    record(await command((stack) => measure(emulator, "delete", names, concurrency, (n) => stack.destroy(n))));
    expect(emulator.tasks().length === 0, `delete: ${emulator.tasks().length} tasks are left`);
    return results;
  } finally {
    await emulator.close();
  }
}
