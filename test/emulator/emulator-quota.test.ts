// The task quota from the emulator's own table: LimitTaskNum and TotalNum in Describe, ended tasks
// counted until deleted (no auto-cleanup), and the limit set at run time (/_emulator/limit).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { call, codeOf } from "./support-sign";
import { HOUR, iso, liveTask } from "./support-tasks";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ taskLimit: 3 });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  offsetMs = 0;
});

// Requests signed at the emulator's clock, which a test may move.
let offsetMs = 0;
const signed = () => ({ timestamp: Math.floor((Date.now() + offsetMs) / 1000) });
const create = (over: Record<string, unknown> = {}) =>
  call(emu.url, "CreateLivePullStreamTask", liveTask(over, Date.now() + offsetMs), signed());
const listing = () => call(emu.url, "DescribeLivePullStreamTasks", { PageNum: 1, PageSize: 1 }, signed());
const inspect = (method: string, body?: unknown) =>
  fetch(`${emu.url}/_emulator/limit`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

describe("the emulator's task quota", () => {
  it("an ended task still counts: TotalNum includes it and the Create past LimitTaskNum is refused", async () => {
    expect(codeOf(await create({ StartTime: iso(Date.now() - 2 * HOUR), EndTime: iso(Date.now() + HOUR) }))).toBe("OK");
    expect(codeOf(await create())).toBe("OK");
    offsetMs = emu.setClockOffset(2 * HOUR).offsetMs; // the first task has ended by the emulator's clock
    expect(await listing()).toMatchObject({ TotalNum: 2, LimitTaskNum: 3 });
    expect(codeOf(await create())).toBe("OK");
    const refused = await create();
    expect(codeOf(refused)).toBe("InvalidParameter.TaskNumMoreThanLimit");
    expect(refused.Error.Message).toContain("already has 3 pull tasks (LimitTaskNum 3)");
  });

  it("the limit set at run time is what Describe reports and Create obeys; reset restores the start value", async () => {
    expect(emu.setTaskLimit(1)).toEqual({ taskLimit: 1 });
    expect(await listing()).toMatchObject({ TotalNum: 0, LimitTaskNum: 1 });
    expect(codeOf(await create())).toBe("OK");
    expect(codeOf(await create())).toBe("InvalidParameter.TaskNumMoreThanLimit");
    // Over HTTP too; tasks already held stay when the limit drops under them.
    expect(await (await inspect("POST", { taskLimit: 0 })).json()).toEqual({ taskLimit: 0 });
    expect(await listing()).toMatchObject({ TotalNum: 1, LimitTaskNum: 0 });
    expect((await inspect("POST", { taskLimit: -1 })).status).toBe(400);
    expect((await inspect("POST", { taskLimit: "2" })).status).toBe(400);
    emu.reset();
    expect(await (await inspect("GET")).json()).toEqual({ taskLimit: 3 });
  });
});
