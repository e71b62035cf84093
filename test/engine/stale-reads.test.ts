// Reads that lag writes (the emulator's `stale-read`: a Describe may answer up to 3 s behind),
// through the REAL Pulumi CLI: each `pulumi` command is a new provider process, so nothing one
// process remembers can tell a lagging read from the truth.
import { describe, expect, it } from "vitest";
import { rootStackSpec, stacksOfEachTest, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const stacks = stacksOfEachTest();

describe("lagging reads through the real CLI", () => {
  it("destroy, then up within the lag: the up creates a live task, never adopts the deleted one", async () => {
    const studio = relay("studio");
    const stack = await stacks.create(rootStackSpec(tasksYaml({ studio })));
    await stack.up();
    const [before] = stack.tasks();
    // Old enough that a lagging read shows it; then every read lags.
    await new Promise((r) => setTimeout(r, 3200));
    stack.emulator.emulator.setFaults("stale-read=1", 7);
    await stack.must(["destroy", "--yes"]);
    await stack.up();
    stack.emulator.emulator.setFaults(undefined);
    const [state] = await stack.resources();
    const tasks = stack.tasks();
    expect(tasks).toHaveLength(1);
    expect(state.id).toBe(tasks[0].TaskId);
    expect(state.id).not.toBe(before.TaskId);
  });

  it("pause, then enable within the lag with the enable's Modify lost: state never says enabled while paused", async () => {
    const studio = relay("studio");
    const stack = await stacks.create(rootStackSpec(tasksYaml({ studio })));
    await stack.up();
    await new Promise((r) => setTimeout(r, 3200));
    stack.emulator.emulator.setFaults("stale-read=1", 3);
    stack.writeFile("tasks.yaml", tasksYaml({ studio: { ...studio, status: "pause" } }));
    await stack.up();
    expect(stack.tasks()[0].Status).toBe("pause");
    // The enable never reaches the API (connection reset before forwarding), every send of it.
    stack.writeFile("tasks.yaml", tasksYaml({ studio }));
    stack.emulator.failNext({ action: "ModifyLivePullStreamTask", kind: "reset", times: 20 });
    await stack.pulumi(["up", "--yes", "--skip-preview"]);
    stack.emulator.clearFaults();
    stack.emulator.emulator.setFaults(undefined);
    const [state] = await stack.resources();
    expect(stack.tasks()[0].Status).toBe("pause");
    expect(state.outputs?.status).not.toBe("enable");
    // The next up (reads caught up) enables it.
    await stack.up();
    expect(stack.tasks()[0].Status).toBe("enable");
    expect((await stack.resources())[0].outputs?.status).toBe("enable");
  });
});
