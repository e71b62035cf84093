// `pulumi refresh` through the real provider host, as the engine runs it (Stack.refreshAll: every
// Read in one batch, --parallel at a time, a fresh provider process per command): Describe calls
// counted by the emulator at several parallelisms, from 1 to unbounded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CssClient } from "../../provider/api/client";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, startEmulator, type RunningEmulator } from "../../emulator";
import { Stack, type StateEntry } from "../../harness/engine";
import { pool } from "../../harness/pool";
import { ProviderHost } from "../support/host";
import { emulatorConfig, iso, liveRelay } from "../support/tasks";

const DESCRIBE = "DescribeLivePullStreamTasks";
const TASKS = 200;
const OTHERS = 200;

let emulator: RunningEmulator;
let state: Map<string, StateEntry>;

/** One `pulumi refresh` of `names` in a fresh provider host: the Describe calls it made. */
async function refresh(names: string[], parallel: number): Promise<number> {
  const host = await ProviderHost.start();
  try {
    await host.configure(emulatorConfig(emulator.url));
    const stack = new Stack(host, "refresh");
    for (const n of names) stack.state.set(n, state.get(n)!);
    const before = emulator.calls().calls[DESCRIBE] ?? 0;
    const r = await stack.refreshAll(parallel);
    expect(r.failures).toEqual([]);
    expect(r.kept).toBe(names.length);
    for (const n of names) expect(stack.state.get(n)!.outputs.comment).toBe(`task ${n}`);
    return (emulator.calls().calls[DESCRIBE] ?? 0) - before;
  } finally {
    await host.close();
  }
}

beforeAll(async () => {
  // Rates scaled up: this test counts calls, the setup need not wait for the documented rates.
  emulator = await startEmulator({ port: 0, taskLimit: TASKS + OTHERS, rateScale: 20 });
  const host = await ProviderHost.start();
  try {
    await host.configure({ ...emulatorConfig(emulator.url) });
    const stack = new Stack(host, "refresh");
    const names = Array.from({ length: TASKS }, (_, i) => `relay-${String(i).padStart(4, "0")}`);
    await pool(names, 32, (n) => stack.up(n, liveRelay({ comment: `task ${n}` })));
    state = new Map(stack.state);
  } finally {
    await host.close();
  }
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

describe(`refresh of a stack holding the account's ${TASKS} tasks`, () => {
  const limit = Math.ceil(TASKS / 20) + 5;
  for (const parallel of [1, 8, 64, Number.MAX_SAFE_INTEGER]) {
    const label = parallel > 1e6 ? "unbounded" : String(parallel);
    it(`--parallel ${label}: at most ceil(${TASKS}/20) + 5 = ${limit} Describe calls`, async () => {
      const calls = await refresh([...state.keys()], parallel);
      expect(calls).toBeLessThanOrEqual(limit);
    }, 30_000);
  }
});

describe("refresh of a small stack in a big account", () => {
  it(`10 of ${TASKS + OTHERS} tasks, --parallel 1 and 16: at most N + 5 Describe calls, not the account's listing`, async () => {
    // Another team's tasks, written after ours: the account holds 400, the listing costs 20 pages.
    const other = new CssClient({
      endpoint: emulator.url, secretId: DEFAULT_SECRET_ID, secretKey: DEFAULT_SECRET_KEY, region: "ap-guangzhou",
      rateScale: 20,
    });
    const now = Date.now();
    await pool(Array.from({ length: OTHERS }, (_, i) => i), 32, (i) =>
      other.createTask({
        SourceType: "PullLivePushLive", SourceUrls: ["rtmp://origin.example.com/live/other"],
        DomainName: "push.example.com", AppName: "other", StreamName: `other-${process.pid}-${i}`,
        StartTime: iso(now + 3600_000), EndTime: iso(now + 7200_000), Operator: "other-team",
      }),
    );
    const mine = [...state.keys()].filter((_, i) => i % 20 === 3);
    expect(mine).toHaveLength(10);
    for (const parallel of [1, 16]) expect(await refresh(mine, parallel)).toBeLessThanOrEqual(mine.length + 5);
  }, 60_000);
});
