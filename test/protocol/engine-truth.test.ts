// What Pulumi's engine does (harness/engine.ts, docs/engine.md), through the real provider host, one
// provider process per command as the engine has: every replacement ends with exactly one task for
// the resource, the one state holds, whether the old is deleted in the same run or left pending
// to a later one, and whatever forced the replacement (--replace, taint, a changed provider).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Stack, type HostRef } from "../../harness/engine";
import { StepExecutor, defaultParallel } from "../../harness/executor";
import { TestEmulator } from "../support/emulator";
import { ProviderHost } from "../support/host";
import { emulatorConfig, liveRelay } from "../support/tasks";

let emu: TestEmulator;
let first: ProviderHost;
const ref = {} as HostRef;

beforeAll(async () => {
  emu = await TestEmulator.start({ rateScale: 10 });
  first = await ProviderHost.start();
  await first.configure(emulatorConfig(emu.url));
  ref.current = first;
});

afterAll(async () => {
  if (ref.current !== first) await ref.current?.close();
  await first?.close();
  await emu?.close();
});

/** The next command gets a provider process of its own, as `pulumi up` does. */
async function nextCommand(): Promise<void> {
  const previous = ref.current;
  ref.current = await first.respawn();
  if (previous !== first) await previous.close();
}

const tasksTo = (stream: unknown) => emu.tasks().filter((task) => task.StreamName === stream);

/** Exactly one task pushes the program's stream, and it is the one state holds. */
function expectOneTask(stack: Stack, name: string, program: Record<string, unknown>): string {
  const ids = tasksTo(program.streamName).map((task) => task.TaskId);
  expect(ids).toEqual([stack.state.get(name)!.id]);
  return ids[0];
}

describe("forced replacements: the engine never calls Diff, checks without olds, creates first", () => {
  it("--replace, taint and --replace with a provider change, in both orders: a new task each, the state's", async () => {
    // A provider change alone is no replacement (its DiffConfig sets no replace keys); with a forced
    // one, the old object's Delete goes to the old provider's process (issue 23, case 3).
    const stack = new Stack(ref, "forced");
    const cases = (["--replace", "taint", "provider change"] as const).flatMap((how) =>
      [false, true].map((dbr) => ({ how, dbr, name: `${how.replace(/\W/g, "")}-${dbr ? "dbr" : "cbd"}`, program: liveRelay() })),
    );
    const desired = new Map(cases.map((c) => [c.name, stack.registered(c.name, c.program)]));
    await nextCommand();
    expect((await stack.apply(desired)).failures).toEqual([]);
    const before = new Map(cases.map((c) => [c.name, stack.state.get(c.name)!.id]));
    await nextCommand();
    for (const c of cases) if (c.how === "taint") stack.taint(c.name);
    const pick = (how: string) => new Set(cases.filter((c) => c.how === how).map((c) => c.name));
    const run = await stack.apply(desired, undefined, {
      replace: new Set([...pick("--replace"), ...pick("provider change")]),
      providerChanged: pick("provider change"),
      deleteBeforeReplace: (name) => cases.find((c) => c.name === name)!.dbr,
    });
    expect(run.failures).toEqual([]);
    expect(run.operations.diff).toBe(0);
    expect(run.replaced.sort()).toEqual(cases.map((c) => c.name).sort());
    for (const c of cases) {
      const id = expectOneTask(stack, c.name, c.program);
      // A new task in both orders (changed with issue 23: create first used to adopt the running
      // task, so the replacement asked for never happened).
      expect(id, c.name).not.toBe(before.get(c.name));
    }
    await nextCommand();
    for (const c of cases) expect((await stack.preview(c.name, c.program)).op).toBe("same");
  });

  it("create-before-delete with another step failing: the old stays pending; a later run's delete keeps the new task", async () => {
    const stack = new Stack(ref, "forced-pending");
    const relay = liveRelay();
    const other = liveRelay();
    await nextCommand();
    await stack.apply(new Map([["relay", stack.registered("relay", relay)]]));
    const id = stack.state.get("relay")!.id;
    // Run 1: --replace relay (create first: a new task, the old one superseded) while `other` fails
    // to create: the engine cancels the run, so the end-of-run delete of relay's old object does not run.
    await nextCommand();
    emu.failNext({ action: "CreateLivePullStreamTask", kind: "error", code: "FailedOperation", match: (b) => b.StreamName === other.streamName });
    const desired = new Map([["relay", stack.registered("relay", relay)], ["other", stack.registered("other", other)]]);
    const run1 = await stack.apply(desired, defaultParallel(), { replace: new Set(["relay"]), deleteBeforeReplace: () => false });
    emu.clearFaults();
    expect(run1.cancelled).toBe(true);
    expect(stack.pendingDeletes.map((p) => [p.name, p.id])).toEqual([["relay", id]]);
    expect(stack.state.get("relay")!.id).not.toBe(id);
    // Run 2, another process: the pending delete runs at its end; the task the state holds stays.
    await nextCommand();
    const run2 = await stack.apply(desired);
    expect(run2.failures).toEqual([]);
    expect(stack.pendingDeletes).toEqual([]);
    expectOneTask(stack, "relay", relay);
    expectOneTask(stack, "other", other);
  });
});

describe("interrupted and failed runs", () => {
  it("a create whose run died before state was written is superseded by the next run: no second task", async () => {
    const stack = new Stack(ref, "died");
    const program = liveRelay();
    await nextCommand();
    const checked = await ref.current.check(stack.urn("relay"), {}, stack.registered("relay", program));
    await ref.current.create(stack.urn("relay"), checked.inputs);
    ref.current.kill();
    await nextCommand();
    expect((await stack.up("relay", program)).op).toBe("create");
    expectOneTask(stack, "relay", program);
  });

  it("delete-before-replace whose Create fails: the old stays pending replacement; the next run diffs the deleted id and creates without a second delete", async () => {
    const stack = new Stack(ref, "dbr-fails");
    const program = liveRelay();
    await nextCommand();
    await stack.up("relay", program);
    const oldId = stack.state.get("relay")!.id;
    await nextCommand();
    emu.failNext({ action: "CreateLivePullStreamTask", kind: "error", code: "FailedOperation", times: 10 });
    await expect(stack.up("relay", program, { replace: true, deleteBeforeReplace: true })).rejects.toThrow(/FailedOperation/);
    emu.clearFaults();
    expect(stack.state.get("relay")).toMatchObject({ id: oldId, pendingReplacement: true });
    expect(tasksTo(program.streamName)).toEqual([]);
    await nextCommand();
    emu.clearRequests();
    const plan = await stack.up("relay", program);
    expect(plan).toMatchObject({ op: "replace", diffCalled: true });
    expect(emu.requestsOf("DeleteLivePullStreamTask")).toEqual([]);
    expectOneTask(stack, "relay", program);
  });

  it("a Check failure stops the run: nothing after it is checked or created, no deletes run", async () => {
    const stack = new Stack(ref, "check-stops");
    await nextCommand();
    const good = liveRelay();
    const bad = { ...liveRelay(), sourceUrls: ["ftp://nope"] };
    const later = liveRelay();
    const desired = new Map([
      ["good", stack.registered("good", good)],
      ["bad", stack.registered("bad", bad)],
      ["later", stack.registered("later", later)],
    ]);
    const run = await stack.apply(desired);
    expect(run.cancelled).toBe(true);
    expect(run.failures.map((f) => [f.name, f.op])).toEqual([["bad", "check"]]);
    expect(run.operations.check).toBe(2);
    expect(stack.state.has("later")).toBe(false);
    expect(tasksTo(later.streamName)).toEqual([]);
  });
});

describe("the step executor", () => {
  it("the default --parallel is 4 x CPUs; no more chains run at once; a cancel starts nothing new", async () => {
    expect(defaultParallel()).toBeGreaterThanOrEqual(4);
    expect(defaultParallel() % 4).toBe(0);
    const exec = new StepExecutor(3);
    let running = 0;
    let most = 0;
    let ran = 0;
    const chain = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      ran++;
      if (ran === 5) exec.cancel();
    };
    for (let i = 0; i < 20; i++) await exec.submit(chain);
    await exec.idle();
    expect(most).toBe(3);
    expect(ran).toBeLessThan(10);
  });
});
