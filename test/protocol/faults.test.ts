// Writes that fail half-way, through the real provider host: nothing orphaned, nothing duplicated.
// Faults are injected per action by the test proxy in front of the emulator (test/support/emulator.ts).
import { beforeEach, describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { HostCallError, ProviderHost } from "../support/host";
import { emulatorConfig, iso, liveRelay } from "../support/tasks";
import { hostedStack } from "../support/hosted";

const t = hostedStack("test", {});

beforeEach(() => t.emu.clearRequests());

const tasksTo = (stream: unknown) => t.emu.tasks().filter((t) => t.StreamName === stream);
const count = (action: string) => t.emu.requestsOf(action).length;

describe("create", () => {
  it("creates a paused task with Create then one Modify Status=pause", async () => {
    const program = liveRelay({ status: "pause" });
    await t.stack.up("paused", program);
    const st = t.stack.state.get("paused")!;
    expect(t.emu.requests.map((r) => r.action).filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual([
      "CreateLivePullStreamTask",
      "ModifyLivePullStreamTask",
    ]);
    expect(t.emu.requestsOf("ModifyLivePullStreamTask")[0].body).toEqual({ TaskId: st.id, Operator: "pulumi", Status: "pause" });
    expect(t.emu.task(st.id)!.Status).toBe("pause");
    expect(st.outputs.status).toBe("pause");
    t.emu.clearRequests();
    expect((await t.stack.up("paused", program)).op).toBe("same");
    expect(t.emu.requests).toEqual([]);
  });

  it("a failure after the task exists reports a partial resource carrying its id; the next up finishes it", async () => {
    const program = liveRelay({ status: "pause" });
    t.emu.failNext({ action: "ModifyLivePullStreamTask", kind: "error", code: "FailedOperation" });
    const err = await t.stack.up("half", program).then(
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
    expect(t.stack.state.get("half")!.id).toBe(task.TaskId);

    t.emu.clearRequests();
    const plan = await t.stack.up("half", program);
    expect(plan.op).toBe("update");
    expect(t.emu.requestsOf("ModifyLivePullStreamTask").map((r) => r.body)).toEqual([{ TaskId: task.TaskId, Operator: "pulumi", Status: "pause" }]);
    expect(count("CreateLivePullStreamTask")).toBe(0);
    expect(tasksTo(program.streamName)).toHaveLength(1);
    expect(t.emu.task(task.TaskId)!.Status).toBe("pause");
  });

  it("a lost Create response leaves exactly one task: the one it made is found by its SpecifyTaskId and superseded", async () => {
    // Changed with issue 23: the task found used to be adopted. Create cannot tell the task its own
    // lost send made from the one a `--replace` replaces (both hold the id), so it never returns a
    // task it found: it creates under the next generation's id and deletes the one it found.
    const program = liveRelay();
    let first: string | undefined;
    t.emu.failNext({ action: "CreateLivePullStreamTask", kind: "lost-response", match: (b) => ((first = b.SpecifyTaskId), true) });
    await t.stack.up("lost", program);
    const tasks = tasksTo(program.streamName);
    expect(tasks).toHaveLength(1);
    expect(t.stack.state.get("lost")!.id).toBe(tasks[0].TaskId);
    expect(tasks[0].SpecifyTaskId).not.toBe(first);
    // The lost send applied once, never re-sent with its id: the look-up by SpecifyTaskId found it.
    expect(t.emu.requestsOf("CreateLivePullStreamTask").map((r) => r.body.SpecifyTaskId)).toEqual([first, tasks[0].SpecifyTaskId]);
    const lookups = t.emu.requestsOf("DescribeLivePullStreamTasks").filter((r) => r.body.SpecifyTaskId);
    expect(lookups.map((r) => r.body.SpecifyTaskId)).toEqual([first]);
    expect(count("DeleteLivePullStreamTask")).toBe(1);
  });

  it("a Create cut off before it arrived is sent again, once, and still leaves one task", async () => {
    const program = liveRelay();
    t.emu.failNext({ action: "CreateLivePullStreamTask", kind: "reset" });
    await t.stack.up("reset", program);
    const tasks = tasksTo(program.streamName);
    expect(tasks).toHaveLength(1);
    expect(count("CreateLivePullStreamTask")).toBe(2);
    // Both sends carried the same SpecifyTaskId, so the service could refuse a duplicate.
    const ids = t.emu.requestsOf("CreateLivePullStreamTask").map((r) => r.body.SpecifyTaskId);
    expect(new Set(ids).size).toBe(1);
    expect(t.stack.state.get("reset")!.id).toBe(tasks[0].TaskId);
  });

  it("a Create refused as if its id were in use, with no task holding it: nothing created under another id", async () => {
    const program = liveRelay();
    t.emu.failNext({ action: "CreateLivePullStreamTask", kind: "error", code: "InvalidParameter", message: () => "SpecifyTaskId is not available" });
    const err = await t.stack.up("fresh-id", program).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).details).toMatch(/SpecifyTaskId is not available.*no task with SpecifyTaskId \S+ can be found.*next `pulumi up` tries again/);
    // The way out if the API keeps a deleted task's id reserved.
    expect((err as HostCallError).details).toMatch(/a deleted task may still hold the id: renaming the resource/);
    const ids = t.emu.requestsOf("CreateLivePullStreamTask").map((r) => r.body.SpecifyTaskId);
    expect(ids).toHaveLength(1);
    expect(tasksTo(program.streamName)).toHaveLength(0);
    // The next run sends the same deterministic id (it would adopt the task had it existed).
    await t.stack.up("fresh-id", program);
    const again = t.emu.requestsOf("CreateLivePullStreamTask").map((r) => r.body.SpecifyTaskId);
    expect(again).toEqual([ids[0], ids[0]]);
    expect(tasksTo(program.streamName).map((t) => t.TaskId)).toEqual([t.stack.state.get("fresh-id")!.id]);
  });

  it("a refused Create whose read-back fails too reports the Create's refusal, not the read-back's error", async () => {
    const program = liveRelay();
    t.emu.failNext({ action: "CreateLivePullStreamTask", kind: "error", code: "InvalidParameter.InvalidToUrl" });
    // The read-back after the refusal: the look-up by SpecifyTaskId (not the listing before the Create).
    const lookUp = (b: Record<string, unknown>) => b.SpecifyTaskId !== undefined;
    t.emu.failNext({ action: "DescribeLivePullStreamTasks", kind: "error", code: "InternalError", times: 6, match: lookUp });
    const err = await t.stack.up("refused-unread", program).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).details).toMatch(/InvalidParameter\.InvalidToUrl/);
    expect(tasksTo(program.streamName)).toHaveLength(0);
  });

  it("a Create the API keeps refusing fails the resource with the API's answer and creates nothing", async () => {
    const program = liveRelay();
    t.emu.failNext({ action: "CreateLivePullStreamTask", kind: "error", code: "InvalidParameter.InvalidToUrl" });
    const err = await t.stack.up("refused", program).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).initFailure).toBeUndefined();
    expect((err as HostCallError).details).toMatch(/InvalidParameter\.InvalidToUrl/);
    // A refusal is the answer: not sent again.
    expect(count("CreateLivePullStreamTask")).toBe(1);
    expect(tasksTo(program.streamName)).toHaveLength(0);
    expect(t.stack.state.has("refused")).toBe(false);
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
  it("a host killed while its Create was in flight: the next run supersedes the task, no duplicate, no orphan", async () => {
    const program = liveRelay({ status: "pause", comment: "first run" });
    const first = await ProviderHost.start();
    await first.configure(emulatorConfig(t.emu.url));
    const killed = new Stack(first);
    // Applied by the service, answer held back: then the CI job dies.
    t.emu.failNext({ action: "CreateLivePullStreamTask", kind: "timeout" });
    const outcome = killed.up("interrupted", program).then(
      () => undefined,
      (e: unknown) => e,
    );
    await waitFor(() => tasksTo(program.streamName).length === 1, "the Create reached the emulator");
    first.kill();
    expect(await outcome).toBeInstanceOf(HostCallError);
    // The engine never heard of the task.
    expect(killed.state.has("interrupted")).toBe(false);

    t.emu.clearRequests();
    const rerun = { ...program, comment: "second run" };
    const plan = await t.stack.up("interrupted", rerun);
    expect(plan.op).toBe("create");
    const tasks = tasksTo(program.streamName);
    expect(tasks).toHaveLength(1);
    expect(t.stack.state.get("interrupted")!.id).toBe(tasks[0].TaskId);
    // Changed with issue 23 (it was adopted): the interrupted run's task, found holding the id and
    // shown to exist by a no-op write, is superseded by a new task and deleted once that exists.
    const [interrupted] = t.emu.requestsOf("DeleteLivePullStreamTask").map((r) => r.body.TaskId);
    expect(interrupted).not.toBe(tasks[0].TaskId);
    expect(t.emu.requestsOf("ModifyLivePullStreamTask").map((r) => r.body)).toEqual([
      { TaskId: interrupted, Operator: "pulumi", Comment: "second run" },
      { TaskId: tasks[0].TaskId, Operator: "pulumi", Status: "pause" },
    ]);
    t.emu.clearRequests();
    expect((await t.stack.up("interrupted", rerun)).op).toBe("same");
    expect(t.emu.requests).toEqual([]);
  });
});

describe("update and delete", () => {
  it("a Modify whose answer is lost is sent once and confirmed by reading the task back", async () => {
    const program = liveRelay();
    await t.stack.up("modify-lost", program);
    const id = t.stack.state.get("modify-lost")!.id;
    t.emu.clearRequests();
    t.emu.failNext({ action: "ModifyLivePullStreamTask", kind: "lost-response" });
    await t.stack.up("modify-lost", { ...program, comment: "after a lost answer" });
    expect(t.emu.requestsOf("ModifyLivePullStreamTask").map((r) => r.body)).toEqual([{ TaskId: id, Operator: "pulumi", Comment: "after a lost answer" }]);
    expect(t.emu.requestsOf("DescribeLivePullStreamTasks").some((r) => r.body.TaskId === id)).toBe(true);
    expect(t.emu.task(id)!.Comment).toBe("after a lost answer");
    expect(t.stack.state.get("modify-lost")!.outputs.comment).toBe("after a lost answer");
  });

  it("a Modify cut off before it arrived is read back, found not applied, and sent again", async () => {
    const program = liveRelay();
    await t.stack.up("modify-reset", program);
    const id = t.stack.state.get("modify-reset")!.id;
    t.emu.clearRequests();
    const endTime = iso(Date.now() + 60 * 3600_000);
    t.emu.failNext({ action: "ModifyLivePullStreamTask", kind: "reset" });
    await t.stack.up("modify-reset", { ...program, endTime });
    const sent = t.emu.requestsOf("ModifyLivePullStreamTask").map((r) => r.body);
    expect(sent).toEqual([
      { TaskId: id, Operator: "pulumi", EndTime: endTime },
      { TaskId: id, Operator: "pulumi", EndTime: endTime },
    ]);
    const order = t.emu.requests.map((r) => r.action);
    expect(order.indexOf("DescribeLivePullStreamTasks")).toBeGreaterThan(order.indexOf("ModifyLivePullStreamTask"));
    expect(order.lastIndexOf("ModifyLivePullStreamTask")).toBeGreaterThan(order.indexOf("DescribeLivePullStreamTasks"));
    expect(t.emu.task(id)!.EndTime).toBe(endTime);
  });

  it("a Delete whose answer is lost still ends with the task gone and the delete successful", async () => {
    await t.stack.up("delete-lost", liveRelay());
    const id = t.stack.state.get("delete-lost")!.id;
    t.emu.failNext({ action: "DeleteLivePullStreamTask", kind: "lost-response" });
    await t.stack.destroy("delete-lost");
    expect(t.emu.task(id)).toBeUndefined();
    expect(t.stack.state.has("delete-lost")).toBe(false);
  });
});
