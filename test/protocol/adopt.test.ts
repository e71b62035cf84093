// Adopting tasks created outside Pulumi through the real dynamic provider host, in the engine's
// order. The engine's own import (the `import` resource option, `pulumi import`) reads with the id
// alone (step.go ImportStep.Apply), which the dynamic host cannot serve; `adoptTaskId` makes the
// Create adopt the task instead: checked first (no write when it cannot be this resource's task),
// then one Modify to the program, and never a second task.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CssClient } from "../../provider/api/client";
import type { CreateLivePullStreamTaskRequest } from "../../provider/api/types";
import { Stack } from "../../harness/engine";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, TestEmulator } from "../support/emulator";
import { ProviderHost, type Props } from "../support/host";
import { emulatorConfig, liveRelay, uniqueStream, vodPlaylist } from "../support/tasks";

let emu: TestEmulator;
let console_: CssClient;
const hosts: ProviderHost[] = [];
/** One host for runs whose order does not depend on what an earlier run did in the same process. */
let shared: ProviderHost;

/**
 * A fresh host, as each `pulumi up` has (one provider process per deployment): for a run whose
 * Delete must not see what an earlier run's Create adopted in the same process.
 */
async function run(): Promise<ProviderHost> {
  const host = await ProviderHost.start();
  await host.configure(emulatorConfig(emu.url));
  hosts.push(host);
  return host;
}

beforeAll(async () => {
  emu = await TestEmulator.start({ rateScale: 10 });
  shared = await run();
  console_ = new CssClient({ secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY, endpoint: emu.emulator.url, region: "ap-guangzhou" });
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await emu?.close();
});

/** A task made in the console: the program's destination, its own comment, paused. */
async function outsideTask(program: Props, extra: Partial<CreateLivePullStreamTaskRequest> = {}): Promise<string> {
  const req = {
    SourceType: program.sourceType,
    SourceUrls: program.sourceUrls,
    DomainName: program.domainName ?? "",
    AppName: program.appName ?? "",
    StreamName: program.streamName ?? "",
    StartTime: program.startTime,
    EndTime: program.endTime,
    Operator: "console",
    Comment: "made in the console",
    ...extra,
  } as CreateLivePullStreamTaskRequest;
  const { TaskId } = await console_.createTask(req);
  await console_.modifyTask({ TaskId, Operator: "console", Status: "pause" } as never);
  return TaskId;
}

const writes = () => emu.requests.filter((r) => r.action !== "DescribeLivePullStreamTasks");

/** An earlier run (the shared host) adopted a console task as `name`: the task's id and the state. */
async function adoptedEarlier(name: string, program: Props) {
  const id = await outsideTask(program);
  const first = new Stack(shared);
  await first.up(name, { ...program, adoptTaskId: id });
  return { id, old: first.state.get(name)! };
}

/** The engine's Check (without olds) then Create of `name` in `host`, as for a new or targeted-replaced resource. */
async function checkAndCreate(host: ProviderHost, name: string, program: Props) {
  const stack = new Stack(host);
  const checked = await host.check(stack.urn(name), {}, stack.registered(name, program));
  return host.create(stack.urn(name), checked.inputs);
}
const tasksTo = (stream: unknown) => emu.tasks().filter((t) => t.StreamName === stream);

describe("the engine's import step", () => {
  it("reads with the id alone, which the dynamic provider host cannot serve (no __provider): nothing is written", async () => {
    const program = liveRelay();
    const id = await outsideTask(program);
    const host = shared;
    emu.clearRequests();
    // `pulumi import` and the `import` resource option: the same Read, before any Check.
    await expect(new Stack(host).import("cli", id)).rejects.toThrow(/code must be a string, not undefined/);
    await expect(new Stack(host).import("option", id, program)).rejects.toThrow(/code must be a string, not undefined/);
    expect(emu.requests).toEqual([]);
  });
});

describe("adoptTaskId", () => {
  it("Create adopts the task: no CreateLivePullStreamTask, one Modify to the program, then no change", async () => {
    const program = liveRelay({ comment: "managed", callbackUrl: "https://hooks.example.com/css" });
    const id = await outsideTask(program);
    const stack = new Stack(shared);
    emu.clearRequests();
    const plan = await stack.up("adopted", { ...program, adoptTaskId: id });
    expect(plan.op).toBe("create");
    expect(stack.state.get("adopted")!.id).toBe(id);
    expect(writes().map((r) => r.action)).toEqual(["ModifyLivePullStreamTask"]);
    expect(writes()[0].body).toEqual({ TaskId: id, Operator: "pulumi (adoptTaskId)", Status: "enable", Comment: "managed", CallbackUrl: program.callbackUrl });
    expect(tasksTo(program.streamName).map((t) => t.TaskId)).toEqual([id]);
    expect(stack.state.get("adopted")!.outputs).toMatchObject({ taskId: id, adoptTaskId: id, status: "enable", comment: "managed" });

    // It only matters at Create: changed or removed later, nothing is replaced or sent.
    const next = new Stack(shared);
    next.state.set("adopted", stack.state.get("adopted")!);
    emu.clearRequests();
    expect((await next.up("adopted", { ...program, adoptTaskId: "some-other-task" })).op).toBe("same");
    expect((await next.up("adopted", program)).op).toBe("same");
    await next.refresh("adopted");
    expect((await next.up("adopted", program)).op).toBe("same");
    expect(writes()).toEqual([]);
  });

  it("a task that cannot be this resource's fails Create before any write, naming the field and the way out", async () => {
    const program = liveRelay({ recordTemplateId: "rec-1" });
    const id = await outsideTask(program, { RecordTemplateId: "rec-1" });
    const stack = new Stack(shared);
    emu.clearRequests();
    const cases: [Props, RegExp][] = [
      [{ ...program, streamName: "elsewhere" }, /adoptTaskId: task \S+ cannot become this resource: .*streamName.*remove adoptTaskId/],
      [{ ...program, sourceType: "PullPicPushLive", sourceUrls: ["https://img.example.com/a.png"] }, /sourceType is "PullPicPushLive" here, "PullLivePushLive" on the task/],
      [{ ...program, recordTemplateId: undefined }, /recordTemplateId is unset here, "rec-1" on the task/],
    ];
    for (const [wrong, message] of cases) {
      await expect(stack.up("mismatch", { ...wrong, adoptTaskId: id })).rejects.toThrow(message);
    }
    await expect(stack.up("missing", { ...program, adoptTaskId: "no-such-task" })).rejects.toThrow(/task no-such-task was not found in region ap-guangzhou.*set `region` to the task's/);
    // A secret field that differs is named, its values are not.
    const signed = await stack.up("secret", { ...program, pushArgs: "txSecret=abc123&txTime=FFFFFFFF", adoptTaskId: id }).catch((e: Error) => e.message);
    expect(signed).toMatch(/pushArgs is \(secret\) here, \(secret\) on the task/);
    expect(signed).not.toContain("abc123");
    expect(writes()).toEqual([]);
    expect(stack.state.size).toBe(0);
    expect(emu.task(id)).toMatchObject({ Status: "pause", Comment: "made in the console" });
  });

  it("write-only fields: toUrl and extraCmd are taken as written, fileIndex/offsetTime/backupVodUrl sent only when set", async () => {
    const stream = uniqueStream("wo");
    const { domainName: _d, appName: _a, streamName: _s, ...rest } = vodPlaylist();
    const toUrl = `rtmp://push.example.com/vod/${stream}?txSecret=s3cr3t&txTime=FFFFFFFF`;
    const program = { ...rest, toUrl, extraCmd: "ignore_region", comment: "made in the console", status: "pause" };
    const id = await outsideTask(program, { ToUrl: toUrl, ExtraCmd: "ignore_region", FileIndex: 2 } as never);
    const stack = new Stack(shared);
    emu.clearRequests();
    expect((await stack.up("wo", { ...program, adoptTaskId: id })).op).toBe("create");
    // Nothing differs: one no-op write (the comment as the program says), which shows the task is
    // there (a read may lag its delete); FileIndex (which restarts playback) not re-sent.
    expect(writes().map((r) => r.body)).toEqual([{ TaskId: id, Operator: "pulumi (adoptTaskId)", Comment: "made in the console" }]);
    expect(emu.task(id)?.FileIndex).toBe(2);
    const again = new Stack(shared);
    again.state.set("wo", stack.state.get("wo")!);
    expect((await again.up("wo", program)).op).toBe("same");

    const second = await outsideTask({ ...program, toUrl: undefined, streamName: `${stream}b`, domainName: "push.example.com", appName: "vod" });
    emu.clearRequests();
    const { toUrl: _t, ...byTriple } = program;
    const indexed = { ...byTriple, domainName: "push.example.com", appName: "vod", streamName: `${stream}b`, fileIndex: 2, offsetTime: 30, backupVodUrl: "https://cdn.example.com/pad.mp4" };
    await new Stack(shared).up("indexed", { ...indexed, adoptTaskId: second });
    expect(writes().map((r) => r.body)).toEqual([{ TaskId: second, Operator: "pulumi (adoptTaskId)", FileIndex: 2, OffsetTime: 30, BackupVodUrl: indexed.backupVodUrl }]);
  });

  it("a replacement after adoption creates a new task and deletes the adopted one, adoptTaskId left in", async () => {
    const program = liveRelay();
    const { id, old } = await adoptedEarlier("moved", program);
    const next = new Stack(await run());
    next.state.set("moved", old);
    const moved = { ...program, streamName: `${program.streamName}-moved`, adoptTaskId: id };
    expect((await next.up("moved", moved)).op).toBe("replace");
    expect(emu.task(id)).toBeUndefined();
    expect(tasksTo(moved.streamName).map((t) => t.TaskId)).toEqual([next.state.get("moved")!.id]);
  });

  it("in the engine's order without Diff (--replace, a renamed resource): the adopted task is never deleted", async () => {
    const program = liveRelay();
    const { id, old } = await adoptedEarlier("old-name", program);
    // Renamed in the program, adoptTaskId kept: the new resource's Create, then (all creates done)
    // the Delete of the old one (deployment_executor.go: deletes after registrations).
    const host = await run();
    expect((await checkAndCreate(host, "new-name", { ...program, adoptTaskId: id })).id).toBe(id);
    emu.clearRequests();
    await host.delete(old.id, new Stack(host).urn("old-name"), old.outputs);
    expect(writes()).toEqual([]);
    // The host's stderr (shown by the engine) arrives on its own pipe, after the answer.
    await vi.waitFor(() => expect(host.stderr()).toMatch(new RegExp(`task ${id} was not deleted: another resource adopted it`)));
    expect(tasksTo(program.streamName).map((t) => t.TaskId)).toEqual([id]);
  });

  it("delete-before-replace without Diff, adoptTaskId left in: the Create names the way out; without it, a new task", async () => {
    // Changed with issue 23: the Create used to skip the adoption because its process remembered
    // deleting the task; no process memory decides now, and a task that is not there is refused.
    const program = liveRelay();
    const { id, old } = await adoptedEarlier("dbr", program);
    const host = await run();
    await host.delete(old.id, new Stack(host).urn("dbr"), old.outputs);
    await expect(checkAndCreate(host, "dbr", { ...program, adoptTaskId: id })).rejects.toThrow(/not found.*remove adoptTaskId/i);
    const created = await checkAndCreate(host, "dbr", program);
    expect(created.id).not.toBe(id);
    expect(tasksTo(program.streamName).map((t) => t.TaskId)).toEqual([created.id]);
  });

  it("an interrupted adoption is adopted again by the next run: still one task", async () => {
    const program = liveRelay({ comment: "v2" });
    const id = await outsideTask(program);
    const host = await run();
    await checkAndCreate(host, "again", { ...program, adoptTaskId: id });
    host.kill(); // the engine never records it
    const rerun = new Stack(shared);
    emu.clearRequests();
    expect((await rerun.up("again", { ...program, adoptTaskId: id })).op).toBe("create");
    expect(rerun.state.get("again")!.id).toBe(id);
    // The adoption's one write, a no-op: only an accepted write shows the task is there.
    expect(writes().map((r) => r.body)).toEqual([{ TaskId: id, Operator: "pulumi (adoptTaskId)", Comment: "v2" }]);
    expect(tasksTo(program.streamName)).toHaveLength(1);
  });
});
