// Adopting an account: export its tasks, then the root program's tasks (each `imports` entry is its
// task's adoptTaskId) go through the real provider host as `pulumi up` creates them: Check, then a
// Create that adopts the task. Nothing is written (the file matches the tasks), and the next
// preview shows no change.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CssClient } from "../../provider/api/client";
import type { CreateLivePullStreamTaskRequest } from "../../provider/api/types";
import { runExport } from "../../cli/export";
import { loadTasksFile, formatProblem } from "../../program/tasks-file";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, TestEmulator } from "../support/emulator";
import { ProviderHost, type Props } from "../support/host";
import { Stack } from "../../harness/engine";
import { emulatorConfig, iso } from "../support/tasks";

const DAY = 24 * 3600_000;
let emu: TestEmulator;
let host: ProviderHost;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-roundtrip-"));
  emu = await TestEmulator.start();
  host = await ProviderHost.start();
  await host.configure(emulatorConfig(emu.url));
  // Created "yesterday and the day before": now running, startTime in the past.
  const offset = -2 * DAY;
  emu.emulator.setClockOffset(offset);
  const client = new CssClient({ secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY, endpoint: emu.emulator.url, region: "ap-guangzhou", now: () => Date.now() + offset });
  const base = { DomainName: "push.example.com", AppName: "live", StartTime: iso(Date.now() - DAY), EndTime: iso(Date.now() + 3 * DAY), Operator: "console" };
  const tasks: Partial<CreateLivePullStreamTaskRequest>[] = [
    {
      SourceType: "PullLivePushLive",
      SourceUrls: ["rtmp://origin.example.net/live/studio"],
      StreamName: "studio",
      BackupSourceType: "PullLivePushLive",
      BackupSourceUrl: "rtmp://backup.example.net/live/studio",
      WatermarkList: [{ PictureUrl: "https://s.example.com/logo.png", XPosition: 4, YPosition: 4, Width: 12, Height: 12, Location: 1 }],
      CallbackUrl: "https://hooks.example.com/css",
      CallbackEvents: ["TaskStart", "TaskExit"],
      Comment: "studio relay",
    },
    {
      SourceType: "PullVodPushLive",
      SourceUrls: ["https://media.example.com/a.mp4", "https://media.example.com/b.mp4"],
      StreamName: "lobby",
      VodLoopTimes: "3",
      VodRefreshType: "ContinueBreakPoint",
    },
    { SourceType: "PullLivePushLive", SourceUrls: ["rtmp://origin.example.net/live/plain"], StreamName: "plain" },
  ];
  for (const t of tasks) await client.createTask({ ...base, ...t } as CreateLivePullStreamTaskRequest);
  const paused = await client.createTask({ ...base, SourceType: "PullLivePushLive", SourceUrls: ["rtmp://origin.example.net/live/p"], StreamName: "paused" } as CreateLivePullStreamTaskRequest);
  await client.modifyTask({ TaskId: paused.TaskId, Operator: "console", Status: "pause" } as never);
  emu.emulator.setClockOffset(0);
}, 60_000);

afterAll(async () => {
  await host?.close();
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("export → adopt → preview", () => {
  test("every exported task is adopted and previews with no change", async () => {
    const env = { TENCENTCLOUD_SECRET_ID: EMULATOR_SECRET_ID, TENCENTCLOUD_SECRET_KEY: EMULATOR_SECRET_KEY, TENCENTCLOUD_CSS_ENDPOINT: emu.url, TENCENTCLOUD_REGION: "ap-guangzhou", HOME: dir };
    let err = "";
    const code = await runExport(["--out", "tasks.yaml"], { stdout: () => undefined, stderr: (t) => (err += t), cwd: dir, env });
    expect(err).toBe("");
    expect(code).toBe(0);
    const loaded = loadTasksFile(fs.readFileSync(path.join(dir, "tasks.yaml"), "utf8"), "tasks.yaml", { now: new Date() });
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.tasks.map((t) => t.name).sort()).toEqual(["lobby", "paused", "plain", "studio"]);

    emu.clearRequests();
    const stack = new Stack(host);
    for (const task of loaded.tasks) {
      expect(task.importId).toBeDefined();
      const program = task.inputs as Props;
      expect(program.adoptTaskId).toBe(task.importId);
      expect((await stack.up(task.name, program)).op).toBe("create");
      expect(stack.state.get(task.name)!.id).toBe(task.importId);
      const plan = await stack.preview(task.name, program);
      expect({ task: task.name, failures: plan.check.failures }).toEqual({ task: task.name, failures: [] });
      expect({ task: task.name, op: plan.op, changes: plan.diff?.changes }).toEqual({ task: task.name, op: "same", changes: "none" });
    }
    // Each adoption's one write is a no-op Modify (the exported comment as it is): only an accepted
    // write shows the task is there (issue 23); nothing else is written.
    const writes = emu.requests.filter((r) => r.action !== "DescribeLivePullStreamTasks");
    expect(writes.map((r) => [r.action, Object.keys(r.body).sort().join(",")])).toEqual(
      loaded.tasks.map(() => ["ModifyLivePullStreamTask", "Comment,Operator,TaskId"]),
    );
    // The same comparison does see a real edit of the file.
    const studio = loaded.tasks.find((t) => t.name === "studio")!;
    expect((await stack.preview("studio", { ...studio.inputs, comment: "edited" } as Props)).op).toBe("update");
  });
});
