// LivePullStreamTask through Pulumi's real dynamic provider host, against the emulator: preview,
// create, no-op re-apply, in-place updates, replacements, refresh, import and delete.
import { beforeEach, describe, expect, it } from "vitest";
import { MODIFIABLE_FIELDS, REPLACE_FIELDS } from "../../provider/task/fields";
import { UNKNOWN } from "../../provider/task/unknown";
import { Stack } from "../../harness/engine";
import { CssClient } from "../../provider/api/client";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from "../support/emulator";
import { REPLACE_CASES, signedUrl, UPDATE_CASES } from "../support/cases";
import { liveRelay, uniqueStream, vodPlaylist } from "../support/tasks";
import { hostedStack } from "../support/hosted";

const t = hostedStack("test", {});

beforeEach(() => t.emu.clearRequests());

/** Someone else's client (the console, another tool): straight to the emulator, not recorded. */
const outsider = () =>
  new CssClient({ secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY, endpoint: t.emu.emulator.url, region: "ap-guangzhou", limiter: false });
const actions = () => t.emu.requests.map((r) => r.action);
const modifies = () => t.emu.requestsOf("ModifyLivePullStreamTask");

describe("preview and create", () => {
  it("previews a new task with normalised inputs, reading only the listing row the quota check needs", async () => {
    const program = liveRelay({ startTime: "2099-01-01T08:00:00+08:00", endTime: "2099-01-02T00:00:00.250Z" });
    const plan = await t.stack.preview("preview-only", program);
    expect(plan.op).toBe("create");
    expect(plan.check.failures).toEqual([]);
    expect(plan.check.inputs).toMatchObject({
      startTime: "2099-01-01T00:00:00Z",
      endTime: "2099-01-02T00:00:00Z",
      status: "enable",
      operator: "pulumi",
      region: "ap-guangzhou",
    });
    // The provider process's first planned Create: TotalNum and LimitTaskNum (quota/watch.ts), no write.
    expect(t.emu.requests.map((r) => [r.action, r.body])).toEqual([["DescribeLivePullStreamTasks", { PageNum: 1, PageSize: 1 }]]);
  });

  it("reports check failures with the property path and the rule", async () => {
    const plan = await t.stack.preview("bad", liveRelay({ sourceUrl: "rtmp://x.example.com/a", comment: "x".repeat(600) }));
    const props = plan.check.failures.map((f) => f.property);
    expect(props).toContain("sourceUrl");
    expect(props).toContain("comment");
    for (const f of plan.check.failures) expect(f.reason.length).toBeGreaterThan(10);
    expect(t.emu.requests).toEqual([]);
  });

  it("creates a task with one Create and returns its outputs", async () => {
    const program = liveRelay();
    await t.stack.up("created", program);
    const st = t.stack.state.get("created")!;
    expect(actions().filter((a) => a === "CreateLivePullStreamTask")).toHaveLength(1);
    const stored = t.emu.task(st.id)!;
    expect(stored).toMatchObject({ StreamName: program.streamName, DomainName: "push.example.com", Status: "enable", Operator: "pulumi" });
    expect(stored.SpecifyTaskId).not.toBe("");
    expect(st.outputs).toMatchObject({ taskId: st.id, region: "ap-guangzhou", status: "enable", streamName: program.streamName });
    expect(typeof st.outputs.createTime).toBe("string");
    // The emulator's own view over HTTP agrees (write-only fields included).
    const { tasks } = await t.emu.inspect<{ tasks: { TaskId: string; Operator: string }[] }>("tasks");
    expect(tasks.find((t) => t.TaskId === st.id)?.Operator).toBe("pulumi");
    const calls = await t.emu.inspect<{ calls: Record<string, number> }>("calls");
    expect(calls.calls.CreateLivePullStreamTask).toBeGreaterThanOrEqual(1);
  });

  it("re-applying the same program changes nothing and calls nothing", async () => {
    const program = liveRelay();
    await t.stack.up("steady", program);
    t.emu.clearRequests();
    const plan = await t.stack.up("steady", program);
    expect(plan.op).toBe("same");
    expect(plan.diff!.changes).toBe("none");
    expect(t.emu.requests).toEqual([]);
    // Changing only the operator is no change either.
    expect((await t.stack.up("steady", { ...program, operator: "ci-bot" })).op).toBe("same");
    expect(t.emu.requests).toEqual([]);
  });
});

describe("in-place updates", () => {
  it("covers every modifiable field of the schema (operator, schedule, restartTrigger, adoptTaskId, allowSharedDestination have their own tests)", () => {
    const covered = new Set([...UPDATE_CASES.map((c) => c.field), "operator", "schedule", "restartTrigger", "restartWaitSeconds", "adoptTaskId", "allowSharedDestination"]);
    expect(MODIFIABLE_FIELDS.filter((f) => !covered.has(f))).toEqual([]);
  });

  for (const c of UPDATE_CASES) {
    it(`${c.field}: one ModifyLivePullStreamTask carrying only ${c.sends.join(" + ")}`, async () => {
      const name = `upd-${c.field}`;
      const base = c.base();
      await t.stack.up(name, base);
      const id = t.stack.state.get(name)!.id;
      t.emu.clearRequests();
      const program = { ...base, ...c.change(base) };
      const plan = await t.stack.up(name, program);
      expect(plan.op).toBe("update");
      expect(plan.diff!.replaces).toEqual([]);
      expect(modifies()).toHaveLength(1);
      expect(actions().filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual(["ModifyLivePullStreamTask"]);
      const body = modifies()[0].body;
      expect(Object.keys(body).sort()).toEqual(["Operator", "TaskId", ...c.sends].sort());
      expect(body.TaskId).toBe(id);
      // The task is the same one, and a further re-apply is clean.
      expect(t.stack.state.get(name)!.id).toBe(id);
      t.emu.clearRequests();
      expect((await t.stack.up(name, program)).op).toBe("same");
      expect(t.emu.requests).toEqual([]);
    });
  }

  it("backupToUrl: changed, then removed, in place: no Delete, the same TaskId, the empty value cancels it", async () => {
    const base = liveRelay({ backupToUrl: `rtmp://backup.example.com/live/${uniqueStream("bk1")}` });
    await t.stack.up("backup-to", base);
    const id = t.stack.state.get("backup-to")!.id;
    const moved = { ...base, backupToUrl: `rtmp://backup2.example.com/live/${uniqueStream("bk2")}` };
    const preview = await t.stack.preview("backup-to", moved);
    expect([preview.op, preview.diff!.replaces]).toEqual(["update", []]);
    t.emu.clearRequests();
    await t.stack.up("backup-to", moved);
    const { backupToUrl: _gone, ...without } = moved;
    await t.stack.up("backup-to", without);
    expect(actions().filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual(["ModifyLivePullStreamTask", "ModifyLivePullStreamTask"]);
    expect(modifies().map((m) => m.body.BackupToUrl)).toEqual([moved.backupToUrl, ""]);
    expect(t.stack.state.get("backup-to")!.id).toBe(id);
    expect(t.emu.task(id)!.BackupToUrl).toBe("");
  });

  it("callbackEvents removed: one Modify with the five events Modify lists (no TaskAlarm), then clean after refresh", async () => {
    const base = liveRelay({ callbackUrl: "https://hooks.example.com/css", callbackEvents: ["TaskStart"] });
    await t.stack.up("events-gone", base);
    const { callbackEvents: _gone, ...without } = base;
    t.emu.clearRequests();
    await t.stack.up("events-gone", without);
    expect(modifies().map((m) => m.body.CallbackEvents)).toEqual([
      ["TaskStart", "TaskExit", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig"],
    ]);
    expect(await t.stack.refresh("events-gone")).toBe("kept");
    t.emu.clearRequests();
    expect((await t.stack.up("events-gone", without)).op).toBe("same");
    expect(modifies()).toEqual([]);
  });

  it("schedule: a rolling window is filled at create and adopted later without a request while far from renewal", async () => {
    const { startTime: _s, endTime: _e, ...rest } = liveRelay();
    const program = { ...rest, schedule: { window: "2d", renewBefore: "12h" } };
    await t.stack.up("scheduled", program);
    const st = t.stack.state.get("scheduled")!;
    const span = Date.parse(String(st.inputs.endTime)) - Date.parse(String(st.inputs.startTime));
    expect(span).toBe(48 * 3600_000);
    t.emu.clearRequests();
    expect((await t.stack.up("scheduled", program)).op).toBe("same");
    expect(t.emu.requests).toEqual([]);
    // A new renewal margin is ours alone (not an API field): state follows, no request is sent.
    const plan = await t.stack.up("scheduled", { ...program, schedule: { window: "2d", renewBefore: "1d" } });
    expect(plan.op).toBe("update");
    expect(modifies()).toEqual([]);
    expect(t.stack.state.get("scheduled")!.outputs.schedule).toEqual({ window: "2d", renewBefore: "1d" });
    expect(t.stack.state.get("scheduled")!.outputs.endTime).toBe(st.inputs.endTime);
  });

  it("status toggles pause → enable with one Modify each way", async () => {
    const base = liveRelay();
    await t.stack.up("toggle", base);
    const id = t.stack.state.get("toggle")!.id;
    t.emu.clearRequests();
    await t.stack.up("toggle", { ...base, status: "pause" });
    expect(t.emu.task(id)!.Status).toBe("pause");
    await t.stack.up("toggle", { ...base, status: "enable" });
    expect(t.emu.task(id)!.Status).toBe("enable");
    expect(modifies().map((m) => m.body.Status)).toEqual(["pause", "enable"]);
  });

  it("clearing the watermarks sends an empty list; removing the backup sends an empty BackupSourceType", async () => {
    const withExtras = liveRelay({
      backupSourceType: "PullLivePushLive",
      backupSourceUrl: "rtmp://backup.example.com/live/cam1",
      watermarkList: [{ pictureUrl: "https://img.example.com/logo.png", xPosition: 1, yPosition: 1, width: 10, height: 10, location: 0 }],
    });
    await t.stack.up("clear", withExtras);
    const id = t.stack.state.get("clear")!.id;
    const { watermarkList: _w, ...noWatermarks } = withExtras;
    t.emu.clearRequests();
    await t.stack.up("clear", noWatermarks);
    expect(modifies().map((m) => m.body)).toEqual([{ TaskId: id, Operator: "pulumi", WatermarkList: [] }]);
    expect(t.emu.task(id)!.WatermarkList).toEqual([]);
    const { backupSourceType: _t, backupSourceUrl: _u, ...plainRelay } = noWatermarks;
    t.emu.clearRequests();
    await t.stack.up("clear", plainRelay);
    expect(modifies().map((m) => m.body)).toEqual([{ TaskId: id, Operator: "pulumi", BackupSourceType: "" }]);
    expect(t.emu.task(id)!.BackupSourceType).toBe("");
    t.emu.clearRequests();
    expect((await t.stack.up("clear", plainRelay)).op).toBe("same");
  });
});

describe("replacements", () => {
  it("covers every Create-only field of the schema", () => {
    expect(REPLACE_FIELDS.filter((f) => !REPLACE_CASES.some((c) => c.field === f))).toEqual([]);
  });

  for (const c of REPLACE_CASES) {
    const order = c.deleteBeforeReplace ? "delete, then create (same destination)" : "create, then delete (new destination)";
    it(`${c.field}: replace, ${order}`, async () => {
      const name = `rep-${c.field}`;
      const base = c.base();
      await t.stack.up(name, base);
      const oldId = t.stack.state.get(name)!.id;
      t.emu.clearRequests();
      const plan = await t.stack.up(name, { ...base, ...c.change(base) });
      expect(plan.op).toBe("replace");
      expect(plan.diff!.replaces).toContain(c.field);
      expect(plan.diff!.deleteBeforeReplace).toBe(c.deleteBeforeReplace);
      const writes = actions().filter((a) => a === "CreateLivePullStreamTask" || a === "DeleteLivePullStreamTask");
      expect(writes).toEqual(c.deleteBeforeReplace ? ["DeleteLivePullStreamTask", "CreateLivePullStreamTask"] : ["CreateLivePullStreamTask", "DeleteLivePullStreamTask"]);
      const newId = t.stack.state.get(name)!.id;
      expect(newId).not.toBe(oldId);
      expect(t.emu.task(oldId)).toBeUndefined();
      expect(t.emu.task(newId)).toBeDefined();
    });
  }
});

describe("refresh, import and delete", () => {
  it("a task paused outside shows as drift, and the next up enables it again", async () => {
    const program = liveRelay();
    await t.stack.up("drift", program);
    const id = t.stack.state.get("drift")!.id;
    await outsider().modifyTask({ TaskId: id, Operator: "console-user", Status: "pause" });
    expect(await t.stack.refresh("drift")).toBe("kept");
    expect(t.stack.state.get("drift")!.outputs.status).toBe("pause");
    t.emu.clearRequests();
    const plan = await t.stack.up("drift", program);
    expect(plan.op).toBe("update");
    expect(modifies().map((m) => m.body)).toEqual([{ TaskId: id, Operator: "pulumi", Status: "enable" }]);
  });

  it("a task deleted outside leaves state on refresh, and the next up creates it again", async () => {
    const program = liveRelay();
    await t.stack.up("vanished", program);
    const id = t.stack.state.get("vanished")!.id;
    await outsider().deleteTask({ TaskId: id, Operator: "console-user" });
    expect(await t.stack.refresh("vanished")).toBe("gone");
    const plan = await t.stack.up("vanished", program);
    expect(plan.op).toBe("create");
    expect(t.stack.state.get("vanished")!.id).not.toBe(id);
  });

  it("an update of a task deleted outside says to refresh", async () => {
    const program = liveRelay();
    await t.stack.up("gone-before-update", program);
    await outsider().deleteTask({ TaskId: t.stack.state.get("gone-before-update")!.id, Operator: "console-user" });
    const err = await t.stack.up("gone-before-update", { ...program, comment: "too late" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String((err as Error).message)).toMatch(/no longer exists.*pulumi refresh/);
    expect(await t.stack.refresh("gone-before-update")).toBe("gone");
    expect((await t.stack.up("gone-before-update", { ...program, comment: "too late" })).op).toBe("create");
  });

  it("removing a field that needs no request (fileIndex) leaves no perpetual diff", async () => {
    const program = { ...vodPlaylist(), fileIndex: 2, offsetTime: 10 };
    await t.stack.up("drop-index", program);
    const { fileIndex: _f, offsetTime: _o, ...without } = program;
    expect((await t.stack.up("drop-index", without)).op).toBe("update");
    t.emu.clearRequests();
    const again = await t.stack.up("drop-index", without);
    expect(again.op).toBe("same");
    expect(t.emu.requests).toEqual([]);
  });

  it("refresh keeps write-only fields from state, so no perpetual diff", async () => {
    const { domainName: _d, appName: _a, streamName: _s, ...rest } = vodPlaylist();
    const program = { ...rest, toUrl: signedUrl(uniqueStream("wo"), "cccc3333"), extraCmd: "ignore_region", fileIndex: 2, offsetTime: 10 };
    await t.stack.up("write-only", program);
    await t.stack.refresh("write-only");
    t.emu.clearRequests();
    expect((await t.stack.up("write-only", program)).op).toBe("same");
    expect(t.emu.requests).toEqual([]);
  });

  it("adoptTaskId adopts a task as it is: one no-op write, and no diff against the program", async () => {
    const program = vodPlaylist({ comment: "imported", callbackEvents: ["TaskStart"], vodLoopTimes: 2 });
    const other = new Stack(t.host, "elsewhere");
    await other.up("original", program);
    const id = other.state.get("original")!.id;
    const adopted = new Stack(t.host);
    t.emu.clearRequests();
    expect((await adopted.up("adopted", { ...program, adoptTaskId: id })).op).toBe("create");
    expect(adopted.state.get("adopted")!.outputs).toMatchObject({ taskId: id, comment: "imported", streamName: program.streamName });
    // Nothing differs, yet one Modify (the comment the program has): only a write the API accepts
    // shows the task is there, a read may lag its delete (issue 23; it used to send nothing).
    expect(actions().filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual(["ModifyLivePullStreamTask"]);
    expect(t.emu.requestsOf("ModifyLivePullStreamTask").map((r) => r.body)).toEqual([{ TaskId: id, Operator: "pulumi (adoptTaskId)", Comment: "imported" }]);
    const plan = await adopted.preview("adopted", program);
    expect(plan.check.failures).toEqual([]);
    expect(plan.op).toBe("same");
  });

  it("adoptTaskId keeps the program's write-only fields and schedule: no diff afterwards", async () => {
    const { domainName: _d, appName: _a, streamName: _s, startTime: _st, endTime: _et, ...rest } = vodPlaylist();
    const program = { ...rest, toUrl: signedUrl(uniqueStream("imp"), "dddd4444"), extraCmd: "ignore_region", fileIndex: 2, offsetTime: 5, schedule: { window: "2d", renewBefore: "12h" } };
    const other = new Stack(t.host, "elsewhere");
    await other.up("original-wo", program);
    const id = other.state.get("original-wo")!.id;
    // The `up` in a process of its own, as the engine runs it: its reader may still be finishing a
    // listing pass it began (reads/coalesce.ts) when it returns. The preview in the shared one.
    const ref = { current: await t.host.respawn() };
    const adopted = new Stack(ref);
    await adopted.up("adopted-wo", { ...program, adoptTaskId: id });
    await ref.current.close();
    ref.current = t.host;
    t.emu.clearRequests();
    const plan = await adopted.preview("adopted-wo", program);
    expect(plan.check.failures).toEqual([]);
    expect(plan.op).toBe("same");
    expect(t.emu.requests).toEqual([]);
  });

  it("delete removes the task; deleting a task already gone succeeds", async () => {
    await t.stack.up("doomed", liveRelay());
    const st = t.stack.state.get("doomed")!;
    await t.stack.destroy("doomed");
    expect(t.emu.task(st.id)).toBeUndefined();
    t.emu.clearRequests();
    await t.host.delete(st.id, t.stack.urn("doomed"), st.outputs);
    // (The delete guard's read of the task comes first: protocol/story.ts deleteTask.)
    expect(actions().filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual(["DeleteLivePullStreamTask"]);
  });
});

describe("preview with unknown values", () => {
  it("check never fails on unknowns, and diff plans conservatively", async () => {
    const program = liveRelay();
    await t.stack.up("unknowns", program);
    t.emu.clearRequests();
    const unknownUrls = await t.stack.preview("unknowns", { ...program, sourceUrls: [UNKNOWN], endTime: UNKNOWN });
    expect(unknownUrls.check.failures).toEqual([]);
    expect(unknownUrls.op).toBe("update");
    const unknownDest = await t.stack.preview("unknowns", { ...program, streamName: UNKNOWN });
    expect(unknownDest.check.failures).toEqual([]);
    expect(unknownDest.op).toBe("replace");
    expect(unknownDest.diff!.replaces).toEqual(["streamName"]);
    // Not known: the destination may be the same, so the safe order is delete first.
    expect(unknownDest.diff!.deleteBeforeReplace).toBe(true);
    const fresh = await t.stack.preview("unknown-new", { ...liveRelay(), sourceUrls: UNKNOWN, comment: UNKNOWN });
    expect(fresh.check.failures).toEqual([]);
    expect(t.emu.requests).toEqual([]);
  });
});
