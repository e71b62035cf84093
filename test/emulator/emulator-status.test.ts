// DescribeLivePullStreamTaskStatus's clock-driven playback, restarts under /_emulator/restarts,
// and the span limit option (--max-task-span-days).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { VOD_FILE_SECONDS } from "../../emulator/view";
import { call, codeOf } from "./support-sign";
import { DAY, HOUR, iso, liveTask, vodTask } from "./support-tasks";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => emu?.close());

async function created(url: string, params: Record<string, unknown>): Promise<string> {
  const r = await call(url, "CreateLivePullStreamTask", params);
  expect(codeOf(r)).toBe("OK");
  return r.TaskId as string;
}
const status = async (id: string) => (await call(emu.url, "DescribeLivePullStreamTaskStatus", { TaskId: id })).TaskStatusInfo;

describe("DescribeLivePullStreamTaskStatus", () => {
  it("moves a video-file task through its playlist by the clock: file, offset, next file, loops", async () => {
    // 3 files of VOD_FILE_SECONDS each: two whole loops, then 30 s into the second file.
    const elapsed = (2 * 3 * VOD_FILE_SECONDS + VOD_FILE_SECONDS + 30) * 1000;
    const id = await created(emu.url, vodTask({ StartTime: iso(Date.now() - elapsed) }));
    const s = await status(id);
    expect(s).toMatchObject({
      RunStatus: "active",
      FileUrl: "https://media.example.com/b.flv",
      NextFileUrl: "https://media.example.com/c.m3u8",
      FileDuration: VOD_FILE_SECONDS,
      LoopedTimes: 2,
    });
    expect(s.OffsetTime).toBeGreaterThanOrEqual(30);
    expect(s.OffsetTime).toBeLessThan(40);
    expect(s.ReportTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("a video-file task whose loops are used up is inactive", async () => {
    const elapsed = (2 * 3 * VOD_FILE_SECONDS + 10) * 1000;
    const id = await created(emu.url, vodTask({ StartTime: iso(Date.now() - elapsed), VodLoopTimes: "1" }));
    expect(await status(id)).toMatchObject({ RunStatus: "inactive", FileUrl: "", LoopedTimes: -1 });
  });

  it("a task before its StartTime is inactive; a live task reports its source and LoopedTimes -1", async () => {
    const later = await created(emu.url, liveTask({ StartTime: iso(Date.now() + HOUR), EndTime: iso(Date.now() + 2 * HOUR) }));
    expect(await status(later)).toMatchObject({ RunStatus: "inactive", FileUrl: "" });
    const now = await created(emu.url, liveTask({ StartTime: iso(Date.now() - HOUR), StreamName: "s2" }));
    expect(await status(now)).toMatchObject({ RunStatus: "active", FileUrl: "rtmp://source.example.com/live/in", LoopedTimes: -1 });
  });
});

describe("restarts are recorded", () => {
  it("GET /_emulator/restarts lists every applied RestartLivePullStreamTask with its operator", async () => {
    const id = await created(emu.url, liveTask({ StreamName: "restarted" }));
    for (const op of ["alice", "bob"]) expect(codeOf(await call(emu.url, "RestartLivePullStreamTask", { TaskId: id, Operator: op }))).toBe("OK");
    const r = (await (await fetch(`${emu.url}/_emulator/restarts`)).json()) as { restarts: { TaskId: string; Operator: string; Time: string }[] };
    expect(r.restarts.filter((x) => x.TaskId === id).map((x) => x.Operator)).toEqual(["alice", "bob"]);
    expect(emu.tasks().find((t) => t.TaskId === id)?.RestartCount).toBe(2);
  });
});

describe("the span limit", () => {
  it("is 30 days by default (the newest model) and --max-task-span-days (1..30) sets it", async () => {
    const start = Date.now() + HOUR;
    const span = (days: number) => liveTask({ StartTime: iso(start), EndTime: iso(start + days * DAY), StreamName: `span-${days}` });
    expect(codeOf(await call(emu.url, "CreateLivePullStreamTask", span(20)))).toBe("OK");
    expect(codeOf(await call(emu.url, "CreateLivePullStreamTask", span(30)))).toBe("InvalidParameter.InvalidTaskTime");
    const strict = await startEmulator({ port: 0, maxTaskSpanDays: 7 });
    try {
      expect(codeOf(await call(strict.url, "CreateLivePullStreamTask", span(7)))).toBe("InvalidParameter.InvalidTaskTime");
      expect(codeOf(await call(strict.url, "CreateLivePullStreamTask", span(6)))).toBe("OK");
    } finally {
      await strict.close();
    }
    await expect(startEmulator({ port: 0, maxTaskSpanDays: 31 })).rejects.toThrow(/maxTaskSpanDays/);
  });
});
