// Several stacks on one account, each with its own provider host process (two pipelines, two
// `pulumi up` at once): each process starts at the documented rate, so together they overrun it;
// throttles cut each process's rate (provider/api/adaptive.ts) and are retried without spending
// the retry budget, so nothing fails. Counted from the emulator's call log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { Stack } from "../../harness/engine";
import { ProviderHost } from "../support/host";
import { emulatorConfig, liveRelay } from "../support/tasks";
import { pool } from "../../harness/pool";

const CREATE = "CreateLivePullStreamTask";
const PER_STACK = 20;
// The account's Create limit scaled to 20/s: two processes each starting at the documented 50/s
// would be throttled on three calls of five without adapting.
const RATE_SCALE = 0.4;

let emulator: RunningEmulator;
let hosts: ProviderHost[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, taskLimit: 4 * PER_STACK, rateScale: RATE_SCALE });
  hosts = await Promise.all([0, 1].map(() => ProviderHost.start({ clientStats: true })));
  await Promise.all(hosts.map((h) => h.configure(emulatorConfig(emulator.url))));
}, 30_000);

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await emulator?.close();
});

describe("two provider processes on one account", () => {
  it("create 2 × 20 tasks at once at the engine's --parallel 16: no failure, every throttle retried", async () => {
    const stacks = hosts.map((h, i) => new Stack(h, `stack-${i}`));
    const failures: string[] = [];
    await Promise.all(
      stacks.map((stack) =>
        pool(Array.from({ length: PER_STACK }, (_, i) => `relay-${i}`), 16, async (name) => {
          await stack.up(name, liveRelay()).catch((e: Error) => failures.push(`${stack.stack}/${name}: ${e.message}`));
        }),
      ),
    );
    expect(failures).toEqual([]);
    const calls = emulator.calls();
    expect(emulator.tasks()).toHaveLength(2 * PER_STACK);
    // The emulator refused some Creates (the processes found each other) and every refused one was
    // sent again: Create requests = tasks + throttles, and no other Create error.
    expect(calls.throttled[CREATE] ?? 0).toBeGreaterThan(0);
    expect(calls.calls[CREATE]).toBe(2 * PER_STACK + (calls.throttled[CREATE] ?? 0));
    for (const stack of stacks) expect(stack.state.size).toBe(PER_STACK);
    // The processes' own counts add up to the emulator's refusals, and no throttle spent the retry
    // budget. (Which process is refused is a matter of timing: one may take them all.)
    await Promise.all(hosts.map((h) => h.close()));
    const stats = hosts.map((h) => h.clientStats()!);
    // (Describe too: the read-backs after each create share the account's Describe rate.)
    const refused = Object.values(emulator.calls().throttled).reduce((a, b) => a + b, 0);
    expect(stats.reduce((a, s) => a + s.throttled, 0)).toBe(refused);
    for (const s of stats) expect(s.retriesRefused).toBe(0);
  }, 30_000);
});

describe("one provider process, the API throttling half the calls whatever the rate", () => {
  it("20 creates: none fails, the retry budget is never spent (a throttle is refused before any work)", async () => {
    const emu = await startEmulator({ port: 0, taskLimit: 50, faults: "throttle=0.5", seed: 7 });
    const host = await ProviderHost.start({ clientStats: true });
    try {
      await host.configure(emulatorConfig(emu.url));
      const stack = new Stack(host, "throttled");
      const failures: string[] = [];
      await pool(Array.from({ length: 20 }, (_, i) => `relay-${i}`), 8, (name) =>
        stack.up(name, liveRelay()).catch((e: Error) => failures.push(`${name}: ${e.message}`)),
      );
      expect(failures).toEqual([]);
      expect(emu.tasks()).toHaveLength(20);
      expect(emu.faults().injected.throttle).toBeGreaterThan(10);
    } finally {
      await host.close();
      await emu.close();
    }
    expect(host.clientStats()!.retriesRefused).toBe(0);
  }, 30_000);
});
