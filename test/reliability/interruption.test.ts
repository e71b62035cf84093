// A CI job killed in the middle of an apply: the provider host dies after some creates were sent.
// The engine records only the creates whose answer it got. A re-run with a new host must converge
// with no duplicate task and no orphan — including for the creates that were applied by the API
// but whose answer died with the host (the engine never learnt their TaskId).
import { afterEach, describe, expect, it } from "vitest";
import { TestEmulator } from "../support/emulator";
import type { ProviderHost, Props } from "../support/host";
import { Stack } from "../../harness/engine";
import { programResource } from "../../harness/program";
import { SOAK_CREDENTIALS, startSoakHost } from "../../harness/soak-host";
import { verify } from "../../harness/verify";
import { iso } from "../support/time";

const CREATE = "CreateLivePullStreamTask";
const MODIFY = "ModifyLivePullStreamTask";
const DELETE = "DeleteLivePullStreamTask";

async function until(cond: () => boolean, what: () => string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Half push destinations, half auth-bearing ToUrls (which Describe never returns). */
async function desiredInputs(n: number, tag: string): Promise<Map<string, Props>> {
  const start = iso(Date.now() + 30 * 60_000);
  const end = iso(Date.now() + 30 * 60_000 + 86400_000);
  const out = new Map<string, Props>();
  for (let i = 0; i < n; i++) {
    const dest = i % 2 === 0
      ? { domainName: "push.example.com", appName: "live", streamName: `${tag}-${i}` }
      : { toUrl: `rtmp://push.example.com/live/${tag}-${i}?txSecret=5ec2e7${i}&txTime=7FFFFFFF` };
    const args = { sourceType: "PullLivePushLive", sourceUrls: [`https://src.example.com/live/${tag}-${i}.flv`], startTime: start, endTime: end, ...dest };
    // What the program registers (the resource may add inputs of its own), as the engine passes it on.
    out.set(`${tag}-${i}`, (await programResource(`${tag}-${i}`, args)).inputs);
  }
  return out;
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  cleanup = [];
});

describe("provider host killed mid-apply", () => {
  it("re-run after the kill converges: 0 duplicates, 0 orphans, every task in state", async () => {
    const emu = await TestEmulator.start({ ...SOAK_CREDENTIALS, rateScale: 10 });
    cleanup.push(() => emu.close());
    const N = 8;
    const HELD = 3;
    const desired = await desiredInputs(N, "intr");
    const hostA = await startSoakHost(emu.url);
    cleanup.push(() => hostA.close());
    const ref: { current: ProviderHost } = { current: hostA };
    const engine = new Stack(ref, "interrupt");
    // The first HELD creates are applied by the API but their answers are held back: they are in
    // flight, inside the provider, when the host dies.
    emu.failNext({ action: CREATE, kind: "timeout", times: HELD });
    const first = engine.apply(desired);
    await until(() => emu.requestsOf(CREATE).length >= N && engine.state.size >= N - HELD,
      () => `all creates sent and the unheld ones recorded (creates sent ${emu.requestsOf(CREATE).length}, recorded ${engine.state.size}, stderr ${hostA.stderr().slice(-500)})`);
    hostA.kill();
    const firstResult = await first;
    // The engine's state after the kill: only the creates that completed.
    expect(engine.state.size).toBe(N - HELD);
    expect(firstResult.failures.filter((f) => f.op === "create")).toHaveLength(HELD);
    expect(emu.tasks()).toHaveLength(N);

    const hostB = await startSoakHost(emu.url);
    cleanup.push(() => hostB.close());
    ref.current = hostB;
    const second = await engine.apply(desired);
    expect(second.failures).toEqual([]);
    const verdict = verify(emu.tasks(), engine.state, new Map());
    const report = { tasks: verdict.tasks, duplicates: verdict.duplicates, orphans: verdict.orphans, shared: verdict.shared, problems: verdict.problems };
    console.log(`interruption: ${JSON.stringify(report)}`);
    expect(report).toEqual({ tasks: N, duplicates: 0, orphans: 0, shared: 0, problems: [] });
    expect(engine.state.size).toBe(N);
  });
});

describe("provider host killed mid-update and mid-destroy", () => {
  /** N tasks created cleanly, then a phase whose first HELD writes are applied but never answered. */
  async function killedPhase(action: string, want: (desired: Map<string, Props>) => Map<string, Props>, done: (e: Stack) => number) {
    const emu = await TestEmulator.start({ ...SOAK_CREDENTIALS, rateScale: 10 });
    cleanup.push(() => emu.close());
    const N = 8;
    const HELD = 3;
    const tag = action === MODIFY ? "kmod" : "kdel";
    const desired = await desiredInputs(N, tag);
    const ref: { current: ProviderHost } = { current: await startSoakHost(emu.url) };
    cleanup.push(() => ref.current.close());
    const engine = new Stack(ref, tag);
    engine.ownProcessForDeletes = false; // this driver gives every run its own host
    expect((await engine.apply(desired)).failures).toEqual([]);
    await ref.current.close();
    const target = want(desired);
    ref.current = await startSoakHost(emu.url);
    const hostA = ref.current;
    emu.failNext({ action, kind: "timeout", times: HELD });
    const run = engine.apply(target);
    await until(() => emu.requestsOf(action).length >= N && done(engine) >= N - HELD,
      () => `${action}: sent ${emu.requestsOf(action).length}, recorded ${done(engine)}`);
    hostA.kill();
    const first = await run;
    expect(first.failures).toHaveLength(HELD);
    ref.current = await startSoakHost(emu.url);
    cleanup.push(() => ref.current.close());
    const second = await engine.apply(target);
    expect(second.failures).toEqual([]);
    return { emu, engine, target };
  }

  it("killed while Modifies were in flight: the re-run completes them, no lost change, no duplicate", async () => {
    const { emu, engine, target } = await killedPhase(
      MODIFY,
      (d) => new Map([...d].map(([n, c]) => [n, { ...c, comment: "after-kill", sourceUrls: [String((c.sourceUrls as string[])[0]).replace(".flv", "-v2.flv")] }])),
      (e) => [...e.state.values()].filter((s) => s.inputs.comment === "after-kill").length,
    );
    const verdict = verify(emu.tasks(), engine.state, target);
    expect({ ...verdict, problems: verdict.problems }).toEqual({ tasks: 8, duplicates: 0, orphans: 0, shared: 0, missing: 0, lostChanges: 0, leftoverFailures: 0, problems: [] });
  });

  it("killed while Deletes were in flight: the re-run finishes the destroy, nothing left behind", async () => {
    const { emu, engine } = await killedPhase(DELETE, () => new Map(), (e) => 8 - e.state.size);
    expect(engine.state.size).toBe(0);
    expect(emu.tasks()).toEqual([]);
  });
});

describe("adoption after an interruption never takes another resource's task", () => {
  // Adoption finds "my" task by a SpecifyTaskId derived from the task's identity. Two resources
  // with the same Create-only fields (a copy-pasted block with only the source changed) must not
  // end up owning one task: the second would overwrite the first's fields with one Modify, and
  // deleting either would take the stream away from the other. Either the second is refused with
  // a clear error, or it gets its own task.
  it("two resources with the same destination: never one task in state twice", async () => {
    const emu = await TestEmulator.start({ ...SOAK_CREDENTIALS, rateScale: 10 });
    cleanup.push(() => emu.close());
    const host = await startSoakHost(emu.url);
    cleanup.push(() => host.close());
    const engine = new Stack({ current: host }, "twins");
    const start = iso(Date.now() + 30 * 60_000);
    const end = iso(Date.now() + 30 * 60_000 + 86400_000);
    const twin = (src: string) => ({ sourceType: "PullLivePushLive", sourceUrls: [src], domainName: "push.example.com", appName: "live", streamName: "twin", startTime: start, endTime: end });
    const first = new Map([["twin-a", (await programResource("twin-a", twin("https://src.example.com/live/a.flv"))).inputs]]);
    expect((await engine.apply(first)).failures).toEqual([]);
    const both = new Map([...first, ["twin-b", (await programResource("twin-b", twin("https://src.example.com/live/b.flv"))).inputs]]);
    const second = await engine.apply(both);
    const verdict = verify(emu.tasks(), engine.state, new Map());
    const a = emu.tasks().find((t) => t.TaskId === engine.state.get("twin-a")?.id);
    console.log(`twins: ${JSON.stringify({ failures: second.failures.map((f) => f.message.slice(0, 160)), shared: verdict.shared, problems: verdict.problems })}`);
    expect(verdict.shared).toBe(0);
    // twin-a's task still carries twin-a's source: nothing of the first resource was overwritten.
    expect(a?.SourceUrls).toEqual(["https://src.example.com/live/a.flv"]);
  });
});
