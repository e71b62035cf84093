// The `stale-read` fault: a Describe answered from the task table as it was up to --stale-ms ago,
// as a lagging replica of a real API would. Writes are never stale.
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { call, codeOf } from "./support-sign";
import { liveTask } from "./support-tasks";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("stale-read", () => {
  it("a just-created task is missing, a just-modified one old; after --stale-ms both are current", async () => {
    emu = await startEmulator({ rateScale: 1000, staleMs: 400, seed: 3 });
    const { TaskId } = await call(emu.url, "CreateLivePullStreamTask", liveTask({ SpecifyTaskId: "stale-1" }));
    await sleep(450);
    expect(codeOf(await call(emu.url, "ModifyLivePullStreamTask", { TaskId, Operator: "t", Comment: "new" }))).toBe("OK");
    const { TaskId: fresh } = await call(emu.url, "CreateLivePullStreamTask", liveTask({ StreamName: "s2", SpecifyTaskId: "stale-2" }));
    emu.setFaults("stale-read=1", 3);
    // Lags are drawn up to 400 ms: within a few tries one lands before both writes.
    let sawOld = false;
    let sawMissing = false;
    for (let i = 0; i < 20 && !(sawOld && sawMissing); i++) {
      const one = await call(emu.url, "DescribeLivePullStreamTasks", { TaskId });
      if (one.TaskInfos[0].Comment !== "new") sawOld = true;
      const two = await call(emu.url, "DescribeLivePullStreamTasks", { SpecifyTaskId: "stale-2" });
      if (codeOf(two) === "InvalidParameter.TaskNotExist") sawMissing = true;
    }
    expect({ sawOld, sawMissing }).toEqual({ sawOld: true, sawMissing: true });
    // A write sees the real table: the id is in use even when a read says it is not there.
    expect(codeOf(await call(emu.url, "CreateLivePullStreamTask", liveTask({ StreamName: "s2", SpecifyTaskId: "stale-2" })))).toBe("InvalidParameter");
    await sleep(450);
    const list = await call(emu.url, "DescribeLivePullStreamTasks", {});
    expect(list.TaskInfos.map((t: { TaskId: string }) => t.TaskId).sort()).toEqual([TaskId, fresh].sort());
    expect(list.TaskInfos.find((t: { TaskId: string }) => t.TaskId === TaskId).Comment).toBe("new");
    const injected = emu.faults().injected;
    // Only reads count: the Create above drew no fault.
    expect(injected["stale-read"]).toBeGreaterThan(0);
    expect(emu.calls().calls.CreateLivePullStreamTask).toBe(3);
  });

  it("a deleted task can still be listed for a while; --stale-ms 0 turns the lag off", async () => {
    emu = await startEmulator({ rateScale: 1000, staleMs: 400, faults: "stale-read=1", seed: 1 });
    const { TaskId } = await call(emu.url, "CreateLivePullStreamTask", liveTask());
    await sleep(200);
    await call(emu.url, "DeleteLivePullStreamTask", { TaskId, Operator: "t" });
    let listed = false;
    for (let i = 0; i < 10 && !listed; i++) listed = (await call(emu.url, "DescribeLivePullStreamTasks", {})).TotalNum === 1;
    expect(listed).toBe(true);
    await emu.close();
    emu = await startEmulator({ rateScale: 1000, staleMs: 0, faults: "stale-read=1", seed: 1 });
    const created = await call(emu.url, "CreateLivePullStreamTask", liveTask());
    expect((await call(emu.url, "DescribeLivePullStreamTasks", { TaskId: created.TaskId })).TaskInfos).toHaveLength(1);
  });
});
