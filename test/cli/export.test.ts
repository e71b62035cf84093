// `css-pull-tasks export` against the emulator: seed tasks with the client, export, re-validate.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { CssClient } from "../../provider/api/client";
import type { CreateLivePullStreamTaskRequest, PullStreamTaskInfo } from "../../provider/api/types";
import { nameTasks, safeName } from "../../cli/export-file";
import { runExport } from "../../cli/export";
import { loadTasksFile, formatProblem } from "../../program/tasks-file";
import type { Io } from "../../cli/io";
import { iso } from "../support/time";

const DAY = 24 * 3600_000;
const SECRET_ID = "AKIDEMULATOR";
const SECRET_KEY = "emulator-secret-key";

let emu: RunningEmulator;
let dir: string;
const seeded = new Map<string, string>(); // TaskId → what it is

function env(): NodeJS.ProcessEnv {
  return {
    TENCENTCLOUD_SECRET_ID: SECRET_ID,
    TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
    TENCENTCLOUD_CSS_ENDPOINT: emu.url,
    TENCENTCLOUD_REGION: "ap-guangzhou",
    HOME: dir, // no ~/.tccli of the machine running the tests
  };
}

async function exportTo(sub: string, ...argv: string[]): Promise<{ code: number; out: string; err: string; cwd: string }> {
  return exportOn(false, sub, ...argv);
}

async function exportOn(tty: boolean, sub: string, ...argv: string[]): Promise<{ code: number; out: string; err: string; cwd: string }> {
  const cwd = path.join(dir, sub);
  fs.mkdirSync(cwd, { recursive: true });
  let out = "";
  let err = "";
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd, env: env(), stderrIsTTY: tty };
  const code = await runExport(argv, io);
  return { code, out, err, cwd };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-export-"));
  emu = await startEmulator({ port: 0 });
  // Create the tasks "two days ago", so that now they are running tasks whose startTime has passed.
  const offset = -2 * DAY;
  emu.setClockOffset(offset);
  const client = new CssClient({ secretId: SECRET_ID, secretKey: SECRET_KEY, endpoint: emu.url, region: "ap-guangzhou", now: () => Date.now() + offset });
  const start = iso(Date.now() - DAY);
  const end = iso(Date.now() + 3 * DAY);
  const base = { DomainName: "push.example.com", AppName: "live", StartTime: start, EndTime: end, Operator: "seed" };
  const create = async (what: string, req: Partial<CreateLivePullStreamTaskRequest>) => {
    const res = await client.createTask({ ...base, SourceType: "PullLivePushLive", SourceUrls: ["rtmp://origin.example.net/live/x"], StreamName: "x", ...req } as CreateLivePullStreamTaskRequest);
    seeded.set(res.TaskId, what);
  };
  await create("relay", {
    StreamName: "studio",
    SourceUrls: ["rtmp://origin.example.net/live/studio"],
    BackupSourceType: "PullLivePushLive",
    BackupSourceUrl: "rtmp://backup.example.net/live/studio",
    WatermarkList: [{ PictureUrl: "https://s.example.com/logo.png", XPosition: 4, YPosition: 4, Width: 12, Height: 12, Location: 1 }],
    Comment: "studio relay",
    CallbackUrl: "https://hooks.example.com/css",
    CallbackEvents: ["TaskStart", "TaskExit"],
  });
  await create("playlist", {
    SourceType: "PullVodPushLive",
    SourceUrls: ["https://media.example.com/a.mp4", "https://media.example.com/b.mp4"],
    StreamName: "lobby",
    VodLoopTimes: "3",
    VodRefreshType: "ContinueBreakPoint",
  });
  // Two tasks pushing streams with the same name to different domains: names must stay unique.
  await create("signed", { StreamName: "signed", SourceUrls: ["https://cdn.example.com/live/s.flv?txSecret=abcdef&txTime=7A000000"] });
  await create("twin-1", { StreamName: "same name", DomainName: "a.example.com" });
  await create("twin-2", { StreamName: "same name", DomainName: "b.example.com" });
  // More than one page of Describe (PageSize 20).
  for (let i = 0; i < 18; i++) await create(`bulk-${i}`, { StreamName: `bulk${i}` });
  emu.setClockOffset(0);
}, 60_000);

afterAll(async () => {
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("css-pull-tasks export", () => {
  test("writes a tasks file that validates, names unique and Pulumi-safe, and a bulk-import file listing every task", async () => {
    const r = await exportTo("a", "--out", "tasks.yaml", "--import-file", "import.json");
    expect(r.err).toMatch(/^css-pull-tasks export: warning: signed carry auth parameters .* write `\$\{config:NAME\}` in its place\.\n$/);
    expect(r.code).toBe(0);
    expect(r.out).toContain("wrote tasks.yaml: 23 task(s) from region ap-guangzhou");
    const text = fs.readFileSync(path.join(r.cwd, "tasks.yaml"), "utf8");

    const loaded = loadTasksFile(text, "tasks.yaml", { now: new Date() });
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.tasks).toHaveLength(23);
    const byId = new Map(loaded.tasks.map((t) => [t.importId, t]));
    expect([...byId.keys()].sort()).toEqual([...seeded.keys()].sort());

    const name = (what: string) => byId.get([...seeded].find(([, w]) => w === what)![0])!.name;
    expect(name("relay")).toBe("studio");
    expect(name("playlist")).toBe("lobby");
    expect([name("twin-1"), name("twin-2")].sort()).toEqual(["same-name", "same-name-2"]);

    const relay = byId.get([...seeded].find(([, w]) => w === "relay")![0])!.inputs;
    expect(relay).toMatchObject({
      region: "ap-guangzhou",
      sourceType: "PullLivePushLive",
      sourceUrls: ["rtmp://origin.example.net/live/studio"],
      domainName: "push.example.com",
      appName: "live",
      streamName: "studio",
      backupSourceType: "PullLivePushLive",
      backupSourceUrl: "rtmp://backup.example.net/live/studio",
      watermarkList: [{ pictureUrl: "https://s.example.com/logo.png", xPosition: 4, yPosition: 4, width: 12, height: 12, location: 1 }],
      comment: "studio relay",
      callbackEvents: ["TaskStart", "TaskExit"],
    });
    // A running task: its startTime is in the past, and the file still validates (above).
    expect(Date.parse(String(relay.startTime))).toBeLessThan(Date.now());
    // Values the resource fills in anyway are left out; the operator is not a task attribute.
    expect(relay).not.toHaveProperty("status");
    expect(relay).not.toHaveProperty("operator");
    const playlist = byId.get([...seeded].find(([, w]) => w === "playlist")![0])!.inputs;
    expect(playlist).toMatchObject({ vodLoopTimes: 3, vodRefreshType: "ContinueBreakPoint" });

    const importFile = JSON.parse(fs.readFileSync(path.join(r.cwd, "import.json"), "utf8"));
    expect(importFile.resources).toHaveLength(23);
    // For the native provider: the engine's import reads with the id alone, which only it can serve.
    for (const res of importFile.resources) {
      expect(res.type).toBe("tencentcloud-css:index:LivePullStreamTask");
      expect(byId.get(res.id)?.name).toBe(res.name);
    }
  });

  test("on a terminal it shows how many tasks it has read, cleared before its output; piped it stays quiet", async () => {
    const tty = await exportOn(true, "tty", "--out", "tasks.yaml");
    expect(tty.code).toBe(0);
    expect(tty.err).toMatch(/^\r\x1b\[Kreading tasks: \d+ of 23(\r\x1b\[Kreading tasks: \d+ of 23)*\r\x1b\[K/);
    const piped = await exportOn(false, "piped", "--out", "tasks.yaml");
    expect(piped.err).not.toContain("\x1b");
    expect(piped.out).toBe(tty.out);
  });

  test("the file starts with a working $schema line and names the write-only fields above each task", async () => {
    const r = await exportTo("b", "--out", "deep/tasks.yaml");
    expect(r.code).toBe(0);
    const text = fs.readFileSync(path.join(r.cwd, "deep/tasks.yaml"), "utf8");
    const first = text.split("\n")[0];
    expect(first).toMatch(/^# yaml-language-server: \$schema=\S+tasks-file\.schema\.json$/);
    const ref = first.split("$schema=")[1];
    expect(fs.existsSync(path.resolve(r.cwd, "deep", ref))).toBe(true);
    const comment = /# studio: TaskId \S+\.\n\s+# Describe does not return ([^:]+): add any/.exec(text);
    expect(comment?.[1].split(", ").sort()).toEqual(["backupVodUrl", "extraCmd", "fileIndex", "offsetTime", "toUrl"]);
    expect(parse(text).imports.studio).toMatch(/\S/);
  });

  test("a task pushing to a toUrl: the comment says toUrl is required, and validate says where", async () => {
    const client = new CssClient({ secretId: SECRET_ID, secretKey: SECRET_KEY, endpoint: emu.url, region: "ap-guangzhou" });
    const { TaskId } = await client.createTask({
      SourceType: "PullLivePushLive",
      SourceUrls: ["rtmp://origin.example.net/live/y"],
      DomainName: "",
      AppName: "",
      StreamName: "",
      ToUrl: "rtmp://push.example.com/live/y?txSecret=s3cr3t&txTime=7A000000",
      StartTime: iso(Date.now() + 3600_000),
      EndTime: iso(Date.now() + DAY),
      Operator: "seed",
    });
    try {
      const r = await exportTo("c");
      expect(r.code).toBe(0);
      const text = fs.readFileSync(path.join(r.cwd, "tasks.yaml"), "utf8");
      const name = `task-${TaskId}`.replace(/[^A-Za-z0-9._-]+/g, "-");
      expect(text).toContain(`# ${name}: TaskId ${TaskId}.`);
      expect(text).toContain("toUrl is required here");
      expect(text).not.toContain("s3cr3t");
      const problems = loadTasksFile(text, "tasks.yaml", { now: new Date() }).problems;
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((p) => p.path.startsWith(`tasks.${name}`))).toBe(true);
    } finally {
      await client.deleteTask({ TaskId, Operator: "seed" });
    }
  });

  test("refuses to overwrite without --force; usage errors exit 2; bad credentials exit 1 with the reason", async () => {
    const first = await exportTo("d");
    expect(first.code).toBe(0);
    const again = await exportTo("d");
    expect(again.code).toBe(1);
    expect(again.err).toContain("tasks.yaml exists; pass --force");
    expect((await exportTo("d", "--force")).code).toBe(0);
    expect((await exportTo("d", "--bogus")).code).toBe(2);
    expect((await exportTo("d", "extra")).code).toBe(2);
    let err = "";
    const io: Io = { stdout: () => undefined, stderr: (t) => (err += t), cwd: path.join(dir, "d"), env: { ...env(), TENCENTCLOUD_SECRET_KEY: "wrong-key" } };
    expect(await runExport(["--out", "x.yaml"], io)).toBe(1);
    expect(err).toMatch(/AuthFailure/);
    expect(err).not.toContain("wrong-key");
    expect(fs.existsSync(path.join(dir, "d", "x.yaml"))).toBe(false);
  });
});

describe("export names", () => {
  const info = (TaskId: string, StreamName: string, CreateTime = "2026-01-01T00:00:00Z") =>
    ({ TaskId, StreamName, CreateTime, SourceType: "PullLivePushLive", SourceUrls: [], DomainName: "d", AppName: "a", StartTime: "", EndTime: "" }) as PullStreamTaskInfo;

  test("Pulumi-safe: invalid characters become '-', a letter first, at most 100 characters", () => {
    expect(safeName("Main Stage (EU)")).toBe("Main-Stage-EU");
    expect(safeName("2nd_feed")).toBe("nd_feed");
    expect(safeName("直播")).toBe("");
    expect(safeName("x".repeat(150))).toHaveLength(100);
  });

  test("unique in creation order, falling back to task-<TaskId>", () => {
    const names = nameTasks([
      info("t3", "a", "2026-01-03T00:00:00Z"),
      info("t1", "a", "2026-01-01T00:00:00Z"),
      info("t2", "a-2", "2026-01-02T00:00:00Z"),
      info("t4", "直播"),
      info("t5", ""),
    ]);
    expect(Object.fromEntries(names)).toEqual({ t1: "a", t2: "a-2", t3: "a-3", t4: "task-t4", t5: "task-t5" });
  });
});
