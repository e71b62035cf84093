// The native plugin over gRPC, in the engine's order: `pulumi import` reads with the id alone
// (step.go ImportStep.Apply) and the inputs it returns make a program that previews clean; a task
// that is gone is reported as such. Its Diff returns changed keys and a detailed diff, so the
// engine's replaceOnChanges (step_generator.go applyReplaceOnChanges) and `--diff` work for plugin
// resources, and ignoreChanges reaches it; the dynamic host returns neither, so there
// replaceOnChanges never replaces.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CssClient } from "../../provider/api/client";
import type { CreateLivePullStreamTaskRequest } from "../../provider/api/types";
import { Stack } from "../../harness/engine";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, TestEmulator } from "../support/emulator";
import { ProviderHost, type Props } from "../support/host";
import { configurePlugin, emulatorAccount, isSecret, PluginStack, startPlugin, unwrap } from "../support/plugin";
import { emulatorConfig, iso, liveRelay } from "../support/tasks";

const DAY = 86_400_000;
let emu: TestEmulator;
let plugin: ProviderHost;
let dynamic: ProviderHost;

beforeAll(async () => {
  emu = await TestEmulator.start({ rateScale: 10 });
  [plugin, dynamic] = await Promise.all([startPlugin(), ProviderHost.start()]);
  await configurePlugin(plugin, { ...emulatorAccount(emu.url), region: "ap-guangzhou" });
  await dynamic.configure(emulatorConfig(emu.url));
});

afterAll(async () => {
  await Promise.all([plugin?.close(), dynamic?.close()]);
  await emu?.close();
});

const writes = () => emu.requests.filter((r) => r.action !== "DescribeLivePullStreamTasks");

describe("pulumi import tencentcloud-css:index:LivePullStreamTask NAME TASKID", () => {
  it("reads with the id alone and returns full inputs: a program written from them previews with no change", async () => {
    // Made in the console, running since yesterday: a VOD playlist with everything Describe shows.
    emu.emulator.setClockOffset(-DAY);
    const client = new CssClient({ secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY, endpoint: emu.emulator.url, region: "ap-guangzhou", now: () => Date.now() - DAY });
    const { TaskId: id } = await client.createTask({
      SourceType: "PullVodPushLive",
      SourceUrls: ["https://media.example.com/a.mp4?sign=abc", "https://media.example.com/b.mp4"],
      DomainName: "push.example.com", AppName: "vod", StreamName: "lobby-import",
      StartTime: iso(Date.now() - DAY / 2), EndTime: iso(Date.now() + 2 * DAY), Operator: "console",
      VodLoopTimes: "3", VodRefreshType: "ContinueBreakPoint", Comment: "console",
      CallbackUrl: "https://hooks.example.com/css", CallbackEvents: ["TaskStart"],
      WatermarkList: [{ PictureUrl: "https://s.example.com/logo.png", XPosition: 4, YPosition: 4, Width: 12, Height: 12, Location: 1 }],
    } as CreateLivePullStreamTaskRequest);
    emu.emulator.setClockOffset(0);
    const stack = new PluginStack(plugin);
    emu.clearRequests();
    const imported = await stack.import("lobby", id);
    expect(imported.checkFailures).toEqual([]);
    expect(imported.id).toBe(id);
    expect(isSecret(imported.inputs.sourceUrls)).toBe(true);
    const program = unwrap(imported.inputs) as Props;
    expect(program).toMatchObject({ region: "ap-guangzhou", sourceType: "PullVodPushLive", streamName: "lobby-import", vodLoopTimes: 3, comment: "console" });
    // `pulumi import` writes the program from these inputs; the next `pulumi up` changes nothing.
    const plan = await stack.up("lobby", program);
    expect(plan.check.failures).toEqual([]);
    expect(plan.op).toBe("same");
    expect(plan.diff).toMatchObject({ changes: "none", detailedDiff: {} });
    expect(writes()).toEqual([]);
  });

  it("a task that does not exist is reported as such (no outputs), not as a provider that cannot import", async () => {
    await expect(new PluginStack(plugin).import("ghost", "no-such-task")).rejects.toThrow("resource 'no-such-task' does not exist");
  });
});

describe("adoptTaskId through the native plugin", () => {
  it("Create adopts the task, secrets wrapped on the wire; no CreateLivePullStreamTask", async () => {
    const program = liveRelay({ sourceUrls: ["rtmp://origin.example.com/live/cam1?txSecret=abc&txTime=FFFFFFFF"], comment: "managed" });
    const client = new CssClient({ secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY, endpoint: emu.emulator.url, region: "ap-guangzhou" });
    const { TaskId: id } = await client.createTask({
      SourceType: program.sourceType, SourceUrls: program.sourceUrls, DomainName: program.domainName, AppName: program.appName,
      StreamName: program.streamName, StartTime: program.startTime, EndTime: program.endTime, Operator: "console",
    } as CreateLivePullStreamTaskRequest);
    const stack = new PluginStack(plugin);
    emu.clearRequests();
    expect((await stack.up("adopted", { ...program, adoptTaskId: id })).op).toBe("create");
    expect(stack.state.get("adopted")!.id).toBe(id);
    expect(writes().map((r) => r.action)).toEqual(["ModifyLivePullStreamTask"]);
    expect(isSecret(stack.state.get("adopted")!.outputs.sourceUrls)).toBe(true);
    expect((await stack.preview("adopted", program)).op).toBe("same");
  });
});

describe("plugin Diff: changed keys and a detailed diff", () => {
  it("names each changed field with its kind, replacements as *Replace", async () => {
    const stack = new PluginStack(plugin);
    const program = liveRelay({ comment: "v1" });
    await stack.up("detailed", program);
    const { comment: _c, ...withoutComment } = program;
    const plan = await stack.preview("detailed", { ...withoutComment, callbackUrl: "https://hooks.example.com/a", status: "pause", streamName: `${program.streamName}-b` });
    expect(plan.diff).toMatchObject({
      changes: "some",
      replaces: ["streamName"],
      changedKeys: expect.arrayContaining(["comment", "callbackUrl", "status", "streamName"]),
      detailedDiff: {
        comment: { kind: "delete", inputDiff: false },
        callbackUrl: { kind: "add", inputDiff: false },
        status: { kind: "update", inputDiff: false },
        streamName: { kind: "updateReplace", inputDiff: false },
      },
    });
    expect(plan.diff!.changedKeys).toHaveLength(4);
  });

  it("ignoreChanges sent with Diff keeps the state's value", async () => {
    const stack = new PluginStack(plugin);
    const program = liveRelay({ comment: "v1" });
    await stack.up("ignored", program);
    const st = stack.state.get("ignored")!;
    const checked = await plugin.check(stack.urn("ignored"), st.inputs, { ...program, comment: "v2" });
    expect((await plugin.diff(st.id, stack.urn("ignored"), st.outputs, checked.inputs)).changes).toBe("some");
    expect(await plugin.diff(st.id, stack.urn("ignored"), st.outputs, checked.inputs, ["comment"])).toMatchObject({ changes: "none", detailedDiff: {} });
  });
});

describe("replaceOnChanges on an in-place field", () => {
  for (const deleteBeforeReplace of [false, true]) {
    const order = deleteBeforeReplace ? "delete-before-replace" : "create-before-delete";
    it(`native plugin, ${order}: a comment change replaces the task; one task remains, carrying the change`, async () => {
      const stack = new PluginStack(plugin);
      const name = `roc-${order}`;
      const program = liveRelay({ comment: "before" });
      await stack.up(name, program);
      const oldId = stack.state.get(name)!.id;
      const changed = { ...program, comment: "after" };
      const plan = await stack.up(name, changed, { replaceOnChanges: ["comment"], deleteBeforeReplace });
      expect(plan.op).toBe("replace");
      const tasks = emu.tasks().filter((t) => t.StreamName === program.streamName);
      expect(tasks.map((t) => t.TaskId)).toEqual([stack.state.get(name)!.id]);
      expect(tasks[0].TaskId).not.toBe(oldId);
      expect(tasks[0].Comment).toBe("after");
    });
  }

  it("dynamic resource: the host returns no detailed diff, so the engine updates in place", async () => {
    const stack = new Stack(dynamic);
    const program = liveRelay({ comment: "before" });
    await stack.up("roc-dynamic", program);
    const oldId = stack.state.get("roc-dynamic")!.id;
    const plan = await stack.up("roc-dynamic", { ...program, comment: "after" }, { replaceOnChanges: ["comment"] });
    expect(plan.diff).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: true });
    expect(plan.op).toBe("update");
    expect(stack.state.get("roc-dynamic")!.id).toBe(oldId);
    expect(emu.task(oldId)?.Comment).toBe("after");
  });
});
