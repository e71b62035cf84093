// Writes that fail half-way, through the real provider host: nothing orphaned, nothing duplicated.
// Faults are injected per action by the test proxy in front of the emulator (test/support/emulator.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { TestEmulator } from "../support/emulator";
import { HostCallError, ProviderHost } from "../support/host";
import { emulatorConfig, iso, liveRelay } from "../support/tasks";

let emu: TestEmulator;
let host: ProviderHost;
let stack: Stack;

beforeAll(async () => {
  emu = await TestEmulator.start();
  host = await ProviderHost.start();
  await host.configure(emulatorConfig(emu.url));
  stack = new Stack(host);
});

afterAll(async () => {
  await host?.close();
  await emu?.close();
});

beforeEach(() => emu.clearRequests());

const tasksTo = (stream: unknown) => emu.tasks().filter((t) => t.StreamName === stream);
const count = (action: string) => emu.requestsOf(action).length;

describe("create", () => {
  it("creates a paused task with Create then one Modify Status=pause", async () => {
    const program = liveRelay({ status: "pause" });
    await stack.up("paused", program);
    const st = stack.state.get("paused")!;
    expect(emu.requests.map((r) => r.action).filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual([
      "CreateLivePullStreamTask",
      "ModifyLivePullStreamTask",
    ]);
    expect(emu.requestsOf("ModifyLivePullStreamTask")[0].body).toEqual({ TaskId: st.id, Operator: "pulumi", Status: "pause" });
    expect(emu.task(st.id)!.Status).toBe("pause");
    expect(st.outputs.status).toBe("pause");
    emu.clearRequests();
    expect((await stack.up("paused", program)).op).toBe("same");
    expect(emu.requests).toEqual([]);
  });

  it("a failure after the task exists reports a partial resource carrying its id; the next up finishes it", async () => {
    const program = liveRelay({ status: "pause" });
    emu.failNext({ action: "ModifyLivePullStreamTask", kind: "error", code: "FailedOperation" });
    const err = await stack.up("half", program).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostCallError);
    const init = (err as HostCallError).initFailure!;
    expect(init).toBeDefined();
    const [task] = tasksTo(program.streamName);
    expect(init.id).toBe(task.TaskId);
    // The partial state tells the truth (the task runs) and can be updated or deleted later.
    expect(init.properties).toMatchObject({ taskId: task.TaskId, status: "enable", streamName: program.streamName });
    expect(init.carriesProvider).toBe(true);
    expect((err as HostCallError).details).toMatch(/FailedOperation/);
    expect(stack.state.get("half")!.id).toBe(task.TaskId);

    emu.clearRequests();
    const plan = await stack.up("half", program);
    expect(plan.op).toBe("update");
    expect(emu.requestsOf("ModifyLivePullStreamTask").map((r) => r.body)).toEqual([{ TaskId: task.TaskId, Operator: "pulumi", Status: "pause" }]);
    expect(count("CreateLivePullStreamTask")).toBe(0);
    expect(tasksTo(program.streamName)).toHaveLength(1);
    expect(emu.task(task.TaskId)!.Status).toBe("pause");
  });

  it("a lost Create response leaves exactly one task, found again by its SpecifyTaskId", async () => {
    const program = liveRelay();
    emu.failNext({ action: "CreateLivePullStreamTask", kind: "lost-response" });
    await stack.up("lost", program);
    const tasks = tasksTo(program.streamName);
    expect(tasks).toHaveLength(1);
    expect(stack.state.get("lost")!.id).toBe(tasks[0].TaskId);
    // Applied once, never sent again: the read-back by SpecifyTaskId found it.
    expect(count("CreateLivePullStreamTask")).toBe(1);
    const lookups = emu.requestsOf("DescribeLivePullStreamTasks").filter((r) => r.body.SpecifyTaskId);
    expect(lookups.map((r) => r.body.SpecifyTaskId)).toEqual([tasks[0].SpecifyTaskId]);
  });

  it("a Create cut off before it arrived is sent again, once, and still leaves one task", async () => {
    const program = liveRelay();
    emu.failNext({ action: "CreateLivePullStreamTask", kind: "reset" });
    await stack.up("reset", program);
    const tasks = tasksTo(program.streamName);
    expect(tasks).toHaveLength(1);
    expect(count("CreateLivePullStreamTask")).toBe(2);
    // Both sends carried the same SpecifyTaskId, so the service could refuse a duplicate.
    const ids = emu.requestsOf("CreateLivePullStreamTask").map((r) => r.body.SpecifyTaskId);
    expect(new Set(ids).size).toBe(1);
    expect(stack.state.get("reset")!.id).toBe(tasks[0].TaskId);
  });

  it("a Create refused as if its id were in use, with no task holding it: nothing created under another id", async () => {
    const program = liveRelay();
    emu.failNext({ action: "CreateLivePullStreamTask", kind: "error", code: "InvalidParameter", message: () => "SpecifyTaskId is not available" });
    const err = await stack.up("fresh-id", program).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).details).toMatch(/SpecifyTaskId is not available.*no task with SpecifyTaskId \S+ can be found.*next `pulumi up` tries again/);
    const ids = emu.requestsOf("CreateLivePullStreamTask").map((r) => r.body.SpecifyTaskId);
    expect(ids).toHaveLength(1);
    expect(tasksTo(program.streamName)).toHaveLength(0);
    // The next run sends the same deterministic id (it would adopt the task had it existed).
    await stack.up("fresh-id", program);
    const again = emu.requestsOf("CreateLivePullStreamTask").map((r) => r.body.SpecifyTaskId);
    expect(again).toEqual([ids[0], ids[0]]);
    expect(tasksTo(program.streamName).map((t) => t.TaskId)).toEqual([stack.state.get("fresh-id")!.id]);
  });

  it("a refused Create whose read-back fails too reports the Create's refusal, not the read-back's error", async () => {
    const program = liveRelay();
    emu.failNext({ action: "CreateLivePullStreamTask", kind: "error", code: "InvalidParameter.InvalidToUrl" });
    emu.failNext({ action: "DescribeLivePullStreamTasks", kind: "error", code: "InternalError", times: 6 });
    const err = await stack.up("refused-unread", program).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).details).toMatch(/InvalidParameter\.InvalidToUrl/);
    expect(tasksTo(program.streamName)).toHaveLength(0);
  });

  it("a Create the API keeps refusing fails the resource with the API's answer and creates nothing", async () => {
    const program = liveRelay();
    emu.failNext({ action: "CreateLivePullStreamTask", kind: "error", code: "InvalidParameter.InvalidToUrl" });
    const err = await stack.up("refused", program).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).initFailure).toBeUndefined();
    expect((err as HostCallError).details).toMatch(/InvalidParameter\.InvalidToUrl/);
    // A refusal is the answer: not sent again.
    expect(count("CreateLivePullStreamTask")).toBe(1);
    expect(tasksTo(program.streamName)).toHaveLength(0);
    expect(stack.state.has("refused")).toBe(false);
  });
});

/** Polls a condition of the emulator's state (an event to wait for, not a timing assertion). */
async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe("interrupted apply", () => {
  it("a host killed while its Create was in flight: the next run adopts the task, no duplicate, no orphan", async () => {
    const program = liveRelay({ status: "pause", comment: "first run" });
    const first = await ProviderHost.start();
    await first.configure(emulatorConfig(emu.url));
    const killed = new Stack(first);
    // Applied by the service, answer held back: then the CI job dies.
    emu.failNext({ action: "CreateLivePullStreamTask", kind: "timeout" });
    const outcome = killed.up("interrupted", program).then(
      () => undefined,
      (e: unknown) => e,
    );
    await waitFor(() => tasksTo(program.streamName).length === 1, "the Create reached the emulator");
    first.kill();
    expect(await outcome).toBeInstanceOf(HostCallError);
    // The engine never heard of the task.
    expect(killed.state.has("interrupted")).toBe(false);

    emu.clearRequests();
    const rerun = { ...program, comment: "second run" };
    const plan = await stack.up("interrupted", rerun);
    expect(plan.op).toBe("create");
    const tasks = tasksTo(program.streamName);
    expect(tasks).toHaveLength(1);
    expect(stack.state.get("interrupted")!.id).toBe(tasks[0].TaskId);
    // Adopted and brought to the program in one Modify (status and the changed comment).
    expect(emu.requestsOf("ModifyLivePullStreamTask").map((r) => r.body)).toEqual([
      { TaskId: tasks[0].TaskId, Operator: "pulumi", Status: "pause", Comment: "second run" },
    ]);
    emu.clearRequests();
    expect((await stack.up("interrupted", rerun)).op).toBe("same");
    expect(emu.requests).toEqual([]);
  });
});

describe("update and delete", () => {
  it("a Modify whose answer is lost is sent once and confirmed by reading the task back", async () => {
    const program = liveRelay();
    await stack.up("modify-lost", program);
    const id = stack.state.get("modify-lost")!.id;
    emu.clearRequests();
    emu.failNext({ action: "ModifyLivePullStreamTask", kind: "lost-response" });
    await stack.up("modify-lost", { ...program, comment: "after a lost answer" });
    expect(emu.requestsOf("ModifyLivePullStreamTask").map((r) => r.body)).toEqual([{ TaskId: id, Operator: "pulumi", Comment: "after a lost answer" }]);
    expect(emu.requestsOf("DescribeLivePullStreamTasks").some((r) => r.body.TaskId === id)).toBe(true);
    expect(emu.task(id)!.Comment).toBe("after a lost answer");
    expect(stack.state.get("modify-lost")!.outputs.comment).toBe("after a lost answer");
  });

  it("a Modify cut off before it arrived is read back, found not applied, and sent again", async () => {
    const program = liveRelay();
    await stack.up("modify-reset", program);
    const id = stack.state.get("modify-reset")!.id;
    emu.clearRequests();
    const endTime = iso(Date.now() + 60 * 3600_000);
    emu.failNext({ action: "ModifyLivePullStreamTask", kind: "reset" });
    await stack.up("modify-reset", { ...program, endTime });
    const sent = emu.requestsOf("ModifyLivePullStreamTask").map((r) => r.body);
    expect(sent).toEqual([
      { TaskId: id, Operator: "pulumi", EndTime: endTime },
      { TaskId: id, Operator: "pulumi", EndTime: endTime },
    ]);
    const order = emu.requests.map((r) => r.action);
    expect(order.indexOf("DescribeLivePullStreamTasks")).toBeGreaterThan(order.indexOf("ModifyLivePullStreamTask"));
    expect(order.lastIndexOf("ModifyLivePullStreamTask")).toBeGreaterThan(order.indexOf("DescribeLivePullStreamTasks"));
    expect(emu.task(id)!.EndTime).toBe(endTime);
  });

  it("a Delete whose answer is lost still ends with the task gone and the delete successful", async () => {
    await stack.up("delete-lost", liveRelay());
    const id = stack.state.get("delete-lost")!.id;
    emu.failNext({ action: "DeleteLivePullStreamTask", kind: "lost-response" });
    await stack.destroy("delete-lost");
    expect(emu.task(id)).toBeUndefined();
    expect(stack.state.has("delete-lost")).toBe(false);
  });
});
