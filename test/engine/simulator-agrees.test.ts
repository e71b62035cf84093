// The engine simulator (harness/engine.ts) answers to the real engine: the same scenario through the
// simulator (Pulumi's real provider host, our reading of the engine) and through the REAL Pulumi
// CLI, comparing what the provider asked of the API (the writes, in order, per step) and the end
// (how many tasks, each the one the state holds). docs/engine.md's "checked against" column names
// the scenario here for each behaviour it covers.
import { describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { ProviderHost } from "../../harness/host";
import { emulatorConfig } from "../../harness/tasks";
import { TestEmulator } from "../support/emulator";
import { EngineStack, rootStackSpec, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const WRITES = new Set(["CreateLivePullStreamTask", "ModifyLivePullStreamTask", "DeleteLivePullStreamTask"]);
const writesOf = (emu: TestEmulator) => emu.requests.map((r) => r.action).filter((a) => WRITES.has(a));

/** One scenario: named steps, each a change of the desired task or a forced replacement or a destroy. */
type StepKind = { kind: "apply"; task: Record<string, unknown> } | { kind: "replace" } | { kind: "destroy" };

async function throughSimulator(steps: StepKind[]): Promise<{ writes: string[][]; tasks: number; held: number }> {
  const emu = await TestEmulator.start();
  const host = await ProviderHost.start();
  try {
    await host.configure(emulatorConfig(emu.url));
    const stack = new Stack(host, "test", "css-pull-tasks");
    const writes: string[][] = [];
    let last: Record<string, unknown> = {};
    for (const step of steps) {
      emu.clearRequests();
      if (step.kind === "apply") await stack.apply(new Map([["studio", stack.registered("studio", (last = step.task))]]));
      else if (step.kind === "replace") await stack.up("studio", last, { replace: true });
      else await stack.destroy("studio");
      writes.push(writesOf(emu));
    }
    const held = [...stack.state.values()].length;
    return { writes, tasks: emu.tasks().length, held };
  } finally {
    await host.close();
    await emu.close();
  }
}

async function throughCli(steps: StepKind[]): Promise<{ writes: string[][]; tasks: number; held: number }> {
  const first = steps.find((s) => s.kind === "apply") as { task: Record<string, unknown> };
  const stack = await EngineStack.create(rootStackSpec(tasksYaml({ studio: first.task })));
  try {
    const writes: string[][] = [];
    const urn = "urn:pulumi:test::css-pull-tasks::pulumi-nodejs:dynamic/css:LivePullStreamTask::studio";
    for (const step of steps) {
      stack.emulator.clearRequests();
      if (step.kind === "apply") {
        stack.writeFile("tasks.yaml", tasksYaml({ studio: step.task }));
        await stack.up();
      } else if (step.kind === "replace") await stack.up(["--replace", urn]);
      else await stack.must(["destroy", "--yes"]);
      writes.push(writesOf(stack.emulator));
    }
    const held = (await stack.resources()).filter((r) => !r.delete).length;
    return { writes, tasks: stack.tasks().length, held };
  } finally {
    await stack.dispose();
  }
}

describe("the simulator agrees with the real CLI", () => {
  const studio = relay("studio");
  const cases: [string, StepKind[]][] = [
    ["ordinary update (one Modify)", [{ kind: "apply", task: studio }, { kind: "apply", task: { ...studio, comment: "c" } }]],
    [
      "a destination change replaces create-first; destroy deletes",
      [
        { kind: "apply", task: studio },
        { kind: "apply", task: { ...studio, streamName: "studio2" } },
        { kind: "destroy" },
      ],
    ],
    ["a targeted replace (--replace)", [{ kind: "apply", task: studio }, { kind: "replace" }]],
  ];
  for (const [name, steps] of cases) {
    it(name, async () => {
      const [simulated, real] = [await throughSimulator(steps), await throughCli(steps)];
      expect(simulated).toEqual(real);
    });
  }
});
