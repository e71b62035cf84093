// Region drift: a task that names no region takes the provider's default, which depends on the
// machine (stack config, env, ~/.tccli). Another machine resolving another default must see no
// change, not a replacement; only an explicit region change replaces the task.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { TestEmulator } from "../support/emulator";
import { ProviderHost } from "../support/host";
import { emulatorConfig, liveRelay } from "../support/tasks";

let emu: TestEmulator;
let laptop: ProviderHost;
let ci: ProviderHost;

beforeAll(async () => {
  emu = await TestEmulator.start({ rateScale: 10 });
  laptop = await ProviderHost.start();
  await laptop.configure(emulatorConfig(emu.url));
  ci = await ProviderHost.start();
  await ci.configure(emulatorConfig(emu.url, { "tencentcloud:region": "ap-beijing" }));
});

afterAll(async () => {
  await laptop?.close();
  await ci?.close();
  await emu?.close();
});

describe("a task without region, applied from machines with different default regions", () => {
  it("the other machine plans no change and the task stays in its region; an explicit change replaces it", async () => {
    const program = liveRelay({ comment: "v1" });
    const first = new Stack(laptop, "drift");
    await first.up("relay", program);
    const st = first.state.get("relay")!;
    expect(st.outputs.region).toBe("ap-guangzhou");
    // The CI runner works on the same state.
    const second = new Stack(ci, "drift");
    second.state.set("relay", st);
    const plan = await second.preview("relay", program);
    expect(plan.op).toBe("same");
    expect(plan.check.inputs.region).toBe("ap-guangzhou");
    // An in-place change from the CI runner goes to the task where it is.
    emu.clearRequests();
    await second.up("relay", { ...program, comment: "v2" });
    expect(emu.requestsOf("ModifyLivePullStreamTask").map((r) => r.region)).toEqual(["ap-guangzhou"]);
    expect(emu.task(st.id)!.Comment).toBe("v2");
    expect(second.state.get("relay")!.outputs.region).toBe("ap-guangzhou");
    expect(second.state.get("relay")!.id).toBe(st.id);
    // Naming the region it already has changes nothing; naming another one replaces the task.
    expect((await second.preview("relay", { ...program, comment: "v2", region: "ap-guangzhou" })).op).toBe("same");
    const moved = await second.preview("relay", { ...program, comment: "v2", region: "ap-shanghai" });
    expect(moved.op).toBe("replace");
    expect(moved.diff!.replaces).toEqual(["region"]);
  });

  it("`--replace` from the other machine (both orders): one task, the state's, in the region that machine checks", async () => {
    // A targeted replace checks WITHOUT olds and never calls Diff (step_generator.go
    // `isTargetedReplace`, `diff`): nothing tells the provider where the old task lives, so the
    // program's missing region is the replacing machine's default. Naming the region avoids it.
    for (const deleteBeforeReplace of [true, false]) {
      const program = liveRelay();
      const first = new Stack(laptop, "drift-replace");
      await first.up("relay", program);
      const oldId = first.state.get("relay")!.id;
      const second = new Stack(ci, "drift-replace");
      second.state.set("relay", first.state.get("relay")!);
      const plan = await second.up("relay", program, { replace: true, deleteBeforeReplace });
      expect(plan.diffCalled).toBe(false);
      const tasks = emu.tasks().filter((t) => t.StreamName === program.streamName);
      expect(tasks.map((t) => [t.TaskId, t.Region])).toEqual([[second.state.get("relay")!.id, "ap-beijing"]]);
      expect(tasks[0].TaskId).not.toBe(oldId);
      // And it stays manageable from there: an update reaches it.
      await second.up("relay", { ...program, comment: "after" });
      expect(emu.task(tasks[0].TaskId)!.Comment).toBe("after");
      await second.destroy("relay");
      expect(emu.tasks().filter((t) => t.StreamName === program.streamName)).toEqual([]);
    }
  });
});
