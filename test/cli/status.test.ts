// `css-pull-tasks status` and `restart` against the emulator: names from stack outputs and the
// tasks file, table and JSON, the --wait-active health gate, restarts counted by the emulator.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { iso } from "../support/time";
import { emulatorIo } from "../support/cli-io";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { CssClient } from "../../provider/api/client";
import type { CreateLivePullStreamTaskRequest } from "../../provider/api/types";
import { notExpectedReason, runStatus, targetsOf } from "../../cli/status";
import { runRestart } from "../../cli/restart";
import { main } from "../../cli/main";

const HOUR = 3600_000;

let emu: RunningEmulator;
let dir: string;
let client: CssClient;
const ids: Record<string, string> = {};

const io = () => emulatorIo(emu.url, dir);

async function create(stream: string, over: Partial<CreateLivePullStreamTaskRequest> = {}): Promise<string> {
  const r = await client.createTask({
    SourceType: "PullLivePushLive",
    SourceUrls: [`rtmp://origin.example.net/live/${stream}?txSecret=abc123&txTime=5f000000`],
    DomainName: "push.example.com",
    AppName: "live",
    StreamName: stream,
    StartTime: iso(Date.now() - HOUR),
    EndTime: iso(Date.now() + HOUR),
    Operator: "seed",
    ...over,
  } as CreateLivePullStreamTaskRequest);
  return r.TaskId;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-status-"));
  emu = await startEmulator({ port: 0 });
  client = new CssClient({ secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key", endpoint: emu.url, region: "ap-guangzhou" });
  ids.relay = await create("relay");
  ids.later = await create("later", { StartTime: iso(Date.now() + HOUR), EndTime: iso(Date.now() + 2 * HOUR) });
  ids.playlist = await create("playlist", {
    SourceType: "PullVodPushLive",
    SourceUrls: ["https://media.example.com/a.mp4", "https://media.example.com/b.mp4"],
    StartTime: iso(Date.now() - 2 * HOUR),
  });
  fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify({ taskIds: { relay: ids.relay, later: ids.later } }));
  fs.writeFileSync(
    path.join(dir, "tasks.yaml"),
    [
      "tasks:",
      "  playlist: { sourceType: PullVodPushLive, sourceUrls: [https://media.example.com/a.mp4], domainName: push.example.com, appName: live, streamName: playlist, schedule: { window: 1d, renewBefore: 2h } }",
      `  later: { sourceType: PullLivePushLive, sourceUrls: [rtmp://origin.example.net/live/later], domainName: push.example.com, appName: live, streamName: later, startTime: "${iso(Date.now() + HOUR)}", endTime: "${iso(Date.now() + 2 * HOUR)}" }`,
      "imports:",
      `  playlist: "${ids.playlist}"`,
      "",
    ].join("\n"),
  );
});
afterAll(async () => {
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("css-pull-tasks status", () => {
  it("prints one line per task: name from the stack outputs, TaskId, RunStatus, masked file, report time", async () => {
    const o = io();
    const code = await runStatus(["--stack-outputs", "outputs.json"], o);
    expect(o.err()).toBe("");
    expect(code).toBe(0);
    const lines = o.out().trim().split("\n");
    expect(lines[0].split(/\s+/)).toEqual(["NAME", "TASK_ID", "RUN_STATUS", "FILE", "LOOPS", "REPORT_TIME"]);
    expect(lines[1]).toMatch(new RegExp(`^relay\\s+${ids.relay}\\s+active\\s+rtmp://origin.example.net/live/relay\\?txSecret=\\*\\*\\*`));
    expect(lines[2]).toMatch(new RegExp(`^later\\s+${ids.later}\\s+inactive\\s+-`));
    expect(o.out()).not.toContain("abc123");
  });

  it("takes names from the tasks file (imports block) and TaskIds as arguments; JSON shows loops and the next file", async () => {
    const o = io();
    fs.writeFileSync(path.join(dir, "tasks.yaml"), fs.readFileSync(path.join(dir, "tasks.yaml"), "utf8") + `  later: "${ids.later}"\n`);
    expect(await runStatus(["--file", "tasks.yaml", ids.relay, "--format", "json"], o)).toBe(0);
    const rows = JSON.parse(o.out()) as Record<string, unknown>[];
    expect(rows.map((r) => [r.name, r.taskId, r.runStatus])).toEqual([
      [null, ids.relay, "active"],
      ["playlist", ids.playlist, "active"],
      ["later", ids.later, "inactive"],
    ]);
    // Two hours into two 10-minute files: 6 whole loops.
    expect(rows[1]).toMatchObject({ loopedTimes: 6, fileUrl: "https://media.example.com/a.mp4", nextFileUrl: "https://media.example.com/b.mp4", active: true });
  });

  it("exits 1 for an unknown task; usage errors exit 2", async () => {
    const o = io();
    expect(await runStatus(["9999999"], o)).toBe(1);
    expect(o.out()).toMatch(/9999999\s+not-found/);
    expect(o.err()).toMatch(/no status for 9999999/);
    for (const argv of [[], ["--format", "xml", ids.relay], ["--wait-active", "soon", ids.relay], ["--file", "missing.yaml"]]) {
      const u = io();
      expect(await runStatus(argv, u), argv.join(" ")).toBe(2);
    }
    const noIds = io();
    fs.writeFileSync(path.join(dir, "noids.yaml"), "tasks:\n  x: { sourceType: PullLivePushLive, sourceUrls: [rtmp://a.example.com/l/s], toUrl: rtmp://b.example.com/l/s, schedule: { window: 1d, renewBefore: 1h } }\n");
    expect(await runStatus(["--file", "noids.yaml"], noIds)).toBe(2);
    expect(noIds.err()).toMatch(/no TaskId known for x: pass --stack-outputs/);
  });

  it("--wait-active polls until a task starting soon is active (one call per task per round)", async () => {
    const soon = await create("soon", { StartTime: iso(Date.now() + 2500), EndTime: iso(Date.now() + HOUR) });
    const before = emu.calls().calls.DescribeLivePullStreamTaskStatus ?? 0;
    const o = io();
    const code = await runStatus(["--wait-active", "20", soon, ids.relay], o);
    expect(o.err()).toBe("");
    expect(code).toBe(0);
    expect(o.out()).toMatch(new RegExp(`${soon}\\s+active`));
    const calls = (emu.calls().calls.DescribeLivePullStreamTaskStatus ?? 0) - before;
    // relay is asked once (active at once); soon once per round until it starts (~3 rounds of 1 s).
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(7);
  });

  it("--wait-active exits 1 naming the tasks still inactive when the time is up", async () => {
    const o = io();
    const code = await runStatus(["--stack-outputs", "outputs.json", "--wait-active", "1.5"], o);
    expect(code).toBe(1);
    expect(o.err()).toMatch(new RegExp(`not active after 1.5 s: later \\(${ids.later}\\) inactive$`, "m"));
    expect(o.err()).not.toMatch(/relay/);
    // Piped (as here and in CI): no progress line.
    expect(o.err()).not.toContain("\x1b");
  });

  it("--wait-active on a terminal shows how many tasks it still waits for, cleared before the verdict", async () => {
    const o = { ...io(), stderrIsTTY: true };
    const code = await runStatus(["--stack-outputs", "outputs.json", "--wait-active", "1.5"], o);
    expect(code).toBe(1);
    expect(o.err()).toMatch(/^\r\x1b\[Kwaiting for 1 of \d+ task\(s\) to be active: \d+ s of 1\.5 s/);
    expect(o.err()).toMatch(/\r\x1b\[Kcss-pull-tasks status: not active after 1\.5 s/);
  });

  it("--wait-active with --file does not wait for tasks the file says are not meant to run now", async () => {
    const o = io();
    const started = Date.now();
    expect(await runStatus(["--file", "tasks.yaml", "--wait-active", "10"], o)).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(o.out()).toMatch(new RegExp(`later\\s+${ids.later}\\s+inactive`));
    expect(o.err()).toMatch(new RegExp(`not waited for: later \\(${ids.later}\\) \\(starts `));
  });

  it("is dispatched by the main command", async () => {
    const o = io();
    expect(await main(["status", ids.relay], o)).toBe(0);
    expect(o.out()).toMatch(/active/);
  });
});

describe("status targets (pure)", () => {
  it("names from the file, TaskIds from the outputs, then the imports; the file's region travels with each task", () => {
    const outputs = new Map([["a", "1"], ["b", "2"]]);
    const file = [{ name: "a", region: "ap-tokyo" }, { name: "c", importId: "3", notExpected: "paused" }];
    expect(targetsOf(["9", "1"], file, outputs)).toEqual([
      { taskId: "9" },
      { taskId: "1" },
      { name: "c", taskId: "3", notExpected: "paused" },
    ]);
    expect(targetsOf([], file, outputs)).toEqual([{ name: "a", taskId: "1", region: "ap-tokyo" }, { name: "c", taskId: "3", notExpected: "paused" }]);
    expect(targetsOf([], undefined, outputs)).toEqual([{ name: "a", taskId: "1" }, { name: "b", taskId: "2" }]);
  });

  it("a task is not expected to run when paused, starting after the wait, or ended; a schedule always runs", () => {
    const now = Date.parse("2026-12-03T00:00:00Z");
    expect(notExpectedReason({ status: "pause", schedule: {} }, now)).toBe("paused");
    expect(notExpectedReason({ schedule: { window: "1d", renewBefore: "1h" } }, now)).toBeUndefined();
    expect(notExpectedReason({ startTime: "2026-12-03T00:10:00Z", endTime: "2026-12-04T00:00:00Z" }, now)).toMatch(/^starts /);
    expect(notExpectedReason({ startTime: "2026-12-03T00:10:00Z", endTime: "2026-12-04T00:00:00Z" }, now, 900_000)).toBeUndefined();
    expect(notExpectedReason({ startTime: "2026-12-01T00:00:00Z", endTime: "2026-12-02T00:00:00Z" }, now)).toMatch(/^ended /);
  });
});

describe("css-pull-tasks restart", () => {
  const restarts = async () =>
    ((await (await fetch(`${emu.url}/_emulator/restarts`)).json()) as { restarts: { TaskId: string; Operator: string }[] }).restarts;

  it("restarts each task once, recorded by the emulator with the operator", async () => {
    const o = io();
    expect(await main(["restart", ids.relay, ids.playlist, "--operator", "oncall"], o)).toBe(0);
    expect(o.out()).toBe(`${ids.relay}: restarted\n${ids.playlist}: restarted\n`);
    const r = await restarts();
    expect(r.filter((x) => x.TaskId === ids.relay)).toEqual([expect.objectContaining({ Operator: "oncall" })]);
    expect(r.filter((x) => x.TaskId === ids.playlist)).toHaveLength(1);
  });

  it("a lost reply is reported as unknown and not sent again", async () => {
    const before = (await restarts()).filter((x) => x.TaskId === ids.later).length;
    emu.setFaults({ "lost-response": 1 });
    const o = io();
    try {
      expect(await runRestart([ids.later], o)).toBe(1);
    } finally {
      emu.setFaults(undefined);
    }
    expect(o.err()).toMatch(new RegExp(`${ids.later}: outcome unknown, not sent again`));
    expect((await restarts()).filter((x) => x.TaskId === ids.later).length).toBe(before + 1);
  });

  it("an unknown task fails (exit 1); no TASK_ID is a usage error", async () => {
    const o = io();
    expect(await runRestart(["9999999"], o)).toBe(1);
    expect(o.err()).toMatch(/9999999: failed: .*TaskNotExist/);
    expect(await runRestart([], io())).toBe(2);
  });
});

describe("Ctrl-C", () => {
  it("status --wait-active interrupted says so and that nothing was written, exit 130", async () => {
    const { spawn } = await import("node:child_process");
    const main = path.join(__dirname, "..", "..", "dist", "cli", "main.js");
    const child = spawn(process.execPath, [main, "status", "--wait-active", "600", ids.later], { env: { ...process.env, ...io().env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // Interrupted once it is waiting (it has asked the API), not before the handler is set.
    const before = emu.calls().total;
    while (emu.calls().total === before) await new Promise((resolve) => setTimeout(resolve, 50));
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exit).toBe(130);
    expect(stderr).toContain("css-pull-tasks status: interrupted; nothing was written\n");
    expect(stdout).toBe("");
  }, 30_000);
});
