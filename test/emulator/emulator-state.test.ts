// --state FILE: tasks, task-id sequence and SpecifyTaskIds survive a restart; writes are atomic.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index";
import { call, codeOf } from "./support-sign";
import { liveTask } from "./support-tasks";

const dir = mkdtempSync(join(tmpdir(), "emulator-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("persistence", () => {
  it("tasks survive a restart exactly, and new ids do not collide", async () => {
    const stateFile = join(dir, "nested", "state.json");
    const first = await startEmulator({ stateFile });
    const a = (await call(first.url, "CreateLivePullStreamTask", liveTask({ SpecifyTaskId: "keep-me", ToUrl: "rtmp://p.example.net/l/x", DomainName: "", AppName: "", StreamName: "" }))).TaskId;
    const b = (await call(first.url, "CreateLivePullStreamTask", liveTask())).TaskId;
    expect(codeOf(await call(first.url, "ModifyLivePullStreamTask", { TaskId: a, Operator: "m", Comment: "changed" }))).toBe("OK");
    expect(codeOf(await call(first.url, "DeleteLivePullStreamTask", { TaskId: b, Operator: "m" }))).toBe("OK");
    const before = first.tasks();
    await first.close();

    const second = await startEmulator({ stateFile });
    try {
      expect(second.tasks()).toEqual(before);
      const listed = await call(second.url, "DescribeLivePullStreamTasks", {});
      expect(listed.TaskInfos.map((t: { TaskId: string }) => t.TaskId)).toEqual([a]);
      const dup = await call(second.url, "CreateLivePullStreamTask", liveTask({ SpecifyTaskId: "keep-me" }));
      expect(codeOf(dup)).toBe("InvalidParameter");
      const c = (await call(second.url, "CreateLivePullStreamTask", liveTask())).TaskId;
      expect([a, b]).not.toContain(c);
    } finally {
      await second.close();
    }
    expect(readdirSync(join(dir, "nested"))).toEqual(["state.json"]);
    expect(JSON.parse(readFileSync(stateFile, "utf8")).tasks).toHaveLength(2);
  });
  it("reset empties the state file too", async () => {
    const stateFile = join(dir, "reset.json");
    const e = await startEmulator({ stateFile });
    await call(e.url, "CreateLivePullStreamTask", liveTask());
    await fetch(`${e.url}/_emulator/reset`, { method: "POST" });
    await e.close();
    expect(JSON.parse(readFileSync(stateFile, "utf8")).tasks).toEqual([]);
  });
  it("a state file that is not emulator state is refused with its name", async () => {
    const stateFile = join(dir, "broken.json");
    writeFileSync(stateFile, "{ not json");
    await expect(startEmulator({ stateFile })).rejects.toThrow(/broken\.json is not valid JSON/);
    writeFileSync(stateFile, JSON.stringify({ hello: "world" }));
    await expect(startEmulator({ stateFile })).rejects.toThrow(/broken\.json is not an emulator state file/);
  });
});
