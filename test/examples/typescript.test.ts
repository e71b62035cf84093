// examples/typescript runs as a Pulumi program under mocks: the resources it declares, their type
// token, their inputs (valid by our own check), and secrets as the engine would receive them.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { check } from "../../provider/impl";
import { SECRET_FIELDS } from "../../provider/task/fields";

// The example imports the published package name; here it is this repository's source.
vi.mock("pulumi-css-pull-tasks", async () => await import("../../provider/resource"));

// Pulumi's marker for a secret value in a serialised property (sdk/nodejs/runtime/rpc.ts).
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  secretInputs: string[];
  additionalSecretOutputs: string[];
}

const registered: Registered[] = [];
let program: typeof import("../../examples/typescript/index");

function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        return { id: `task-${args.name}`, state: { ...args.inputs, taskId: `task-${args.name}` } };
      },
      call(args) {
        return args.inputs;
      },
    },
    "css-pull-tasks-example",
    "dev",
    false,
  );
  // Look at the requests as the engine would get them, before the mock unwraps secrets.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const monitor = require("@pulumi/pulumi/runtime/settings").getMonitor();
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    const raw = req.getObject().toJavaScript() as Record<string, any>;
    const secretInputs = Object.keys(raw).filter((k) => raw[k] && typeof raw[k] === "object" && raw[k][SIG_KEY] === SECRET_SIG);
    const inputs = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, secretInputs.includes(k) ? v.value : v]));
    registered.push({ type: req.getType(), name: req.getName(), inputs, secretInputs, additionalSecretOutputs: req.getAdditionalsecretoutputsList() });
    return original(req, callback);
  };
  program = await import("../../examples/typescript/index");
  await Promise.all([promiseOf(program.relayTaskId), promiseOf(program.playlistTaskId)]);
});

const byName = (name: string) => registered.find((r) => r.name === name)!;

describe("examples/typescript", () => {
  it("declares a live relay and a paused VOD playlist as css:LivePullStreamTask", () => {
    // Registration order follows input resolution, not the program's order.
    expect(registered.map((r) => [r.type, r.name]).sort()).toEqual([
      ["pulumi-nodejs:dynamic/css:LivePullStreamTask", "studio-relay"],
      ["pulumi-nodejs:dynamic/css:LivePullStreamTask", "weekend-playlist"],
    ]);
    expect(byName("studio-relay").inputs).toMatchObject({
      sourceType: "PullLivePushLive",
      backupSourceType: "PullLivePushLive",
      watermarkList: [expect.objectContaining({ location: 1 })],
      schedule: { window: "3d", renewBefore: "1d" },
    });
    expect(byName("weekend-playlist").inputs).toMatchObject({ sourceType: "PullVodPushLive", status: "pause", toUrl: "rtmp://push.example.com/vod/playlist" });
  });

  it("stores the serialised provider (stubs only) with each resource", () => {
    for (const r of registered) {
      expect(typeof r.inputs.__provider).toBe("string");
      expect(r.inputs.__provider).toMatch(/exports\.handler/);
      expect(Buffer.byteLength(r.inputs.__provider)).toBeLessThan(20_000);
    }
  });

  it("passes its inputs through the provider's check without failures", async () => {
    for (const r of registered) {
      const result = await check({}, r.inputs);
      expect(result.failures ?? [], r.name).toEqual([]);
    }
  });

  it("marks every URL field as a secret, in the inputs and in the outputs", () => {
    for (const r of registered) {
      expect([...r.additionalSecretOutputs].sort()).toEqual([...SECRET_FIELDS].sort());
      const present = SECRET_FIELDS.filter((f) => r.inputs[f] !== undefined);
      expect(present.length).toBeGreaterThan(0);
      expect(r.secretInputs.sort()).toEqual(present.sort());
    }
  });

  it("exports the task ids", async () => {
    expect(await promiseOf(program.relayTaskId)).toBe("task-studio-relay");
    expect(await promiseOf(program.playlistTaskId)).toBe("task-weekend-playlist");
  });
});
