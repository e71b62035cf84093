// Create refuses to push to a stream another task of the account can still push to (issue 23),
// through the real provider host and the emulator in the engine's order: another stack's task is
// refused, naming it and the two ways out; the opt-out and adoptTaskId get past it; and no engine
// path that reaches Create with this resource's own task on the stream is refused (--replace in
// both orders, a Diff-decided replacement, an aliased rename, destroy then up within the reads' lag).
import { describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { ALIASES_KEY, resourceIdentity } from "../../provider/identity";
import { CssClient } from "../../provider/api/client";
import { specifyTaskIdFor } from "../../provider/protocol/ids";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, laggingAnswer } from "../support/emulator";
import { hostedStack } from "../support/hosted";
import { ProviderHost } from "../support/host";
import { emulatorConfig, liveRelay } from "../support/tasks";

const t = hostedStack("shared", { rateScale: 10 });
const CREATE = "CreateLivePullStreamTask";
const DESCRIBE = "DescribeLivePullStreamTasks";

const tasksTo = (stream: unknown) => t.emu.tasks().filter((task) => task.StreamName === stream);
const creates = () => t.emu.requestsOf(CREATE).length;

/** Another stack on the same account holding one task on `program`'s stream. */
async function otherStackTask(program: Record<string, unknown>) {
  const other = new Stack(t.host, "other-stack");
  await other.up("studio", program);
  return { other, id: other.state.get("studio")!.id };
}

describe("another task of the account on the stream", () => {
  it("a second stack's Create is refused before any write, naming toUrl's field, the task and both ways out", async () => {
    const program = liveRelay({ comment: "owned by other-stack" });
    const { id } = await otherStackTask(program);
    const before = creates();
    const err = await t.stack.up("studio", { ...program, comment: "mine" }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const text = (err as Error).message;
    expect(text).toContain(`domainName/appName/streamName: push.example.com/live/${program.streamName} is already pushed by task ${id}`);
    expect(text).toContain('comment "owned by other-stack"');
    expect(text).toContain(`\`adoptTaskId: ${id}\``);
    expect(text).toContain("`allowSharedDestination: true`");
    expect(creates()).toBe(before);
    expect(tasksTo(program.streamName).map((task) => task.TaskId)).toEqual([id]);
    expect(t.stack.state.has("studio")).toBe(false);
  }, 60_000);

  it("a toUrl with auth values is refused with them masked; a paused task counts", async () => {
    const program = liveRelay();
    const { other, id } = await otherStackTask(program);
    await other.up("studio", { ...program, status: "pause" });
    const toUrl = `rtmp://push.example.com/live/${program.streamName}?txSecret=topsecret&txTime=6000`;
    const mine = { ...program, domainName: undefined, appName: undefined, streamName: undefined, toUrl };
    const text = await t.stack.up("via-url", mine).then(() => "created", (e: Error) => e.message);
    expect(text).toContain(`toUrl: push.example.com/live/${program.streamName} is already pushed by task ${id} (paused`);
    expect(text).not.toContain("topsecret");
  }, 60_000);

  it("allowSharedDestination: true creates the second task", async () => {
    const program = liveRelay();
    await otherStackTask(program);
    await t.stack.up("standby", { ...program, allowSharedDestination: true });
    expect(tasksTo(program.streamName)).toHaveLength(2);
  }, 60_000);

  it("adoptTaskId takes the task over: no Create, one task", async () => {
    const program = liveRelay();
    const { id } = await otherStackTask(program);
    const before = creates();
    await t.stack.up("adopter", { ...program, adoptTaskId: id });
    expect(creates()).toBe(before);
    expect(t.stack.state.get("adopter")!.id).toBe(id);
  }, 60_000);

  it("an ended task or one whose window ends before ours starts is no rival", async () => {
    const program = liveRelay();
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + "Z";
    await otherStackTask({ ...program, startTime: iso(now + 60_000), endTime: iso(now + 1800_000) });
    await t.stack.up("later", { ...program, startTime: iso(now + 3600_000), endTime: iso(now + 7200_000) });
    expect(tasksTo(program.streamName)).toHaveLength(2);
  }, 60_000);

  it("a rival a lagging listing shows after its delete is confirmed by TaskId, found gone, and not refused", async () => {
    const program = liveRelay();
    const { other, id } = await otherStackTask(program);
    const ghost = laggingAnswer(t.emu.emulator.store.get(id)!);
    await other.destroy("studio");
    // Every listing page lags the delete (the look-ups by TaskId do not).
    t.emu.failNext({ action: DESCRIBE, kind: "answer", answer: ghost, match: (b) => b.TaskId === undefined && b.SpecifyTaskId === undefined, times: 3 });
    try {
      await t.stack.up("after-their-destroy", program);
    } finally {
      t.emu.clearFaults();
    }
    expect(tasksTo(program.streamName).map((task) => task.TaskId)).toEqual([t.stack.state.get("after-their-destroy")!.id]);
  }, 60_000);
});

describe("this resource's own task on the stream is never a rival", () => {
  it("--replace, create first (Diff not called): a new task, the old one deleted", async () => {
    const program = liveRelay();
    await t.stack.up("cbd", program);
    const oldId = t.stack.state.get("cbd")!.id;
    const plan = await t.stack.up("cbd", program, { replace: true });
    expect(plan).toMatchObject({ op: "replace", diffCalled: false, deleteBeforeReplace: false });
    expect(tasksTo(program.streamName).map((task) => task.TaskId)).toEqual([t.stack.state.get("cbd")!.id]);
    expect(t.stack.state.get("cbd")!.id).not.toBe(oldId);
  }, 60_000);

  it("--replace, delete first, and a Diff-decided replacement on the same stream (pushArgs: delete first)", async () => {
    const program = liveRelay();
    await t.stack.up("dbr", program);
    await t.stack.up("dbr", program, { replace: true, deleteBeforeReplace: true });
    const plan = await t.stack.up("dbr", { ...program, pushArgs: "bak=1" });
    expect(plan).toMatchObject({ op: "replace", diffCalled: true, deleteBeforeReplace: true });
    expect(tasksTo(program.streamName).map((task) => task.TaskId)).toEqual([t.stack.state.get("dbr")!.id]);
  }, 60_000);

  it("an aliased rename, then --replace: the task made under the old name is its own", async () => {
    const program = liveRelay();
    await t.stack.up("before-rename", program);
    const old = t.stack.state.get("before-rename")!;
    t.stack.state.delete("before-rename");
    t.stack.state.set("after-rename", old);
    const aliased = { ...program, [ALIASES_KEY]: [resourceIdentity(t.stack.project, t.stack.stack, "before-rename")] };
    await t.stack.up("after-rename", aliased, { replace: true });
    expect(tasksTo(program.streamName).map((task) => task.TaskId)).toEqual([t.stack.state.get("after-rename")!.id]);
    expect(t.stack.state.get("after-rename")!.id).not.toBe(old.id);
  }, 60_000);

  it("destroy, then up within the lag, every read showing the deleted task: its own, so created", async () => {
    const program = liveRelay();
    await t.stack.up("again", program);
    const id = t.stack.state.get("again")!.id;
    const ghost = laggingAnswer(t.emu.emulator.store.get(id)!);
    await t.stack.destroy("again");
    // The listing and the look-ups by SpecifyTaskId lag the destroy (a look-up that lags shows it
    // holding the resource's id: its own task).
    t.emu.failNext({ action: DESCRIBE, kind: "answer", answer: ghost, match: (b) => b.TaskId === undefined, times: 2 });
    try {
      await t.stack.up("again", program);
    } finally {
      t.emu.clearFaults();
    }
    expect(tasksTo(program.streamName).map((task) => task.TaskId)).toEqual([t.stack.state.get("again")!.id]);
  }, 60_000);
});

describe("this resource's own earlier task holding a later generation", () => {
  it("a run killed after creating under generation 1 and deleting generation 0's task: the next Create supersedes it", async () => {
    const program = liveRelay();
    const name = "killed-mid-supersede";
    // What that run left: a task on the stream holding generation 1 of the resource's id, and
    // generation 0 free again (its task deleted). The next Create takes generation 0.
    const inputs = (await t.host.check(t.stack.urn(name), {}, t.stack.registered(name, program))).inputs;
    const g1 = specifyTaskIdFor(resourceIdentity(t.stack.project, t.stack.stack, name), inputs as never, 1);
    const console_ = new CssClient({ secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY, endpoint: t.emu.emulator.url, region: "ap-guangzhou" });
    const left = await console_.createTask({
      SourceType: program.sourceType, SourceUrls: program.sourceUrls, DomainName: program.domainName, AppName: program.appName,
      StreamName: program.streamName, StartTime: inputs.startTime, EndTime: inputs.endTime, Operator: "pulumi", SpecifyTaskId: g1,
    } as never);
    // The next run: a process of its own (the killed one's successor).
    const host = await ProviderHost.start();
    try {
      await host.configure(emulatorConfig(t.emu.url));
      const next = new Stack(host, t.stack.stack);
      await next.up(name, program);
      expect(tasksTo(program.streamName).map((task) => task.TaskId)).toEqual([next.state.get(name)!.id]);
    } finally {
      await host.close();
    }
    expect(t.emu.task(left.TaskId)).toBeUndefined();
  }, 60_000);
});

describe("the listing is shared", () => {
  it("16 Creates at once in one process pay far fewer listing pages than one listing each", async () => {
    const stack = new Stack(t.host, "many");
    const before = t.emu.requestsOf(DESCRIBE).length;
    const desired = new Map(Array.from({ length: 16 }, (_, i) => [`many-${i}`, stack.registered(`many-${i}`, liveRelay())] as const));
    const result = await stack.apply(desired, 16);
    expect(result.failures).toEqual([]);
    const listings = t.emu.requestsOf(DESCRIBE).slice(before).filter((r) => r.body.TaskId === undefined && r.body.SpecifyTaskId === undefined);
    expect(listings.length).toBeLessThan(16);
  }, 60_000);
});
