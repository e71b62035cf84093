// The root stack program under Pulumi's mocks: reads the tasks file named by `css:tasksFile`.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { declareTasksFromConfig, fromConfig } from "../../program/stack";
import { RESOURCE_TYPE } from "../../cli/export";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  id?: string;
}

const recorded: Recorded[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-program-"));
const repo = path.resolve(__dirname, "../..");

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs, id: args.id });
        return { id: args.id || `${args.name}-id`, state: { ...args.inputs, taskId: args.id || `${args.name}-id` } };
      },
      call: (args) => args.inputs,
    },
    "css-pull-tasks",
    "dev",
    false,
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function useTasksFile(file: string | undefined, secrets: Record<string, string> = {}): void {
  pulumi.runtime.setAllConfig({ ...(file === undefined ? {} : { "css:tasksFile": file }), ...secrets }, Object.keys(secrets));
}

async function settle(resources: Record<string, pulumi.Resource>): Promise<void> {
  await Promise.all(Object.values(resources).map((r) => new Promise((resolve) => (r as pulumi.CustomResource).id.apply(resolve))));
}

// Secret inputs reach the mocks wrapped; compare values.
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("4dabf18193072939515e22adb298388d" in o) return plain(o.value);
    return Object.fromEntries(Object.entries(o).filter(([k]) => k !== "__provider").map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

describe("root stack program", () => {
  test("default tasks.yaml: one LivePullStreamTask per entry, named after its key, with the merged inputs", async () => {
    recorded.length = 0;
    useTasksFile(undefined);
    const resources = declareTasksFromConfig({ cwd: repo });
    await settle(resources);
    expect(recorded.map((r) => r.name).sort()).toEqual(["lobby-playlist", "studio-relay"]);
    for (const r of recorded) expect(r.type).toBe(RESOURCE_TYPE);
    const relay = plain(recorded.find((r) => r.name === "studio-relay")?.inputs) as Record<string, unknown>;
    expect(relay).toMatchObject({
      region: "ap-guangzhou",
      sourceType: "PullLivePushLive",
      sourceUrls: ["rtmp://origin.example.net/live/studio"],
      domainName: "push.example.com",
      appName: "live",
      streamName: "studio",
      backupSourceType: "PullLivePushLive",
      backupSourceUrl: "rtmp://backup.example.net/live/studio",
      watermarkList: [{ pictureUrl: "https://static.example.com/brand/logo.png", xPosition: 4, yPosition: 4, width: 12, height: 12, location: 1 }],
      schedule: { window: "3d", renewBefore: "1d" },
    });
    const playlist = plain(recorded.find((r) => r.name === "lobby-playlist")?.inputs) as Record<string, unknown>;
    expect(playlist).toMatchObject({ sourceType: "PullVodPushLive", streamName: "lobby", schedule: { window: "6d", renewBefore: "2d" } });
    expect(playlist.sourceUrls).toHaveLength(3);
  });

  test("css:tasksFile picks another file; an `imports` entry adopts the task by id", async () => {
    recorded.length = 0;
    // A running task: started a day ago, ends in two (fixed dates would make it an ended task one day).
    const started = new Date(Math.floor(Date.now() / 1000) * 1000 - 86_400_000).toISOString().replace(".000Z", "Z");
    const ends = new Date(Math.floor(Date.now() / 1000) * 1000 + 2 * 86_400_000).toISOString().replace(".000Z", "Z");
    fs.writeFileSync(
      path.join(dir, "other.yaml"),
      [
        "tasks:",
        "  adopted:",
        "    sourceType: PullLivePushLive",
        "    sourceUrls: [rtmp://o.example.net/live/x]",
        "    toUrl: rtmp://push.example.com/live/x?txSecret=abc&txTime=6A000000",
        `    startTime: ${started}`,
        `    endTime: ${ends}`,
        "imports:",
        "  adopted: 9f0e-task",
      ].join("\n"),
    );
    useTasksFile("other.yaml");
    await settle(declareTasksFromConfig({ cwd: dir }));
    expect(recorded).toHaveLength(1);
    expect(recorded[0].name).toBe("adopted");
    // The task's adoptTaskId, not the `import` option (the engine's import cannot serve a dynamic resource).
    expect(recorded[0].id).toBeFalsy();
    expect(plain(recorded[0].inputs)).toMatchObject({ adoptTaskId: "9f0e-task" });
    // A running task's past startTime does not fail the program: the resource's check judges times.
    expect(plain(recorded[0].inputs)).toMatchObject({ startTime: started });
  });

  test("${config:KEY} values come from stack config as secrets, so push auth stays out of git", async () => {
    recorded.length = 0;
    fs.writeFileSync(
      path.join(dir, "refs.yaml"),
      [
        "tasks:",
        "  signed:",
        "    sourceType: PullLivePushLive",
        "    sourceUrls: [\"https://cdn.example.com/live/a.flv?${config:sourceAuth}\"]",
        "    toUrl: rtmp://push.example.com/live/a?${config:css:pushAuth}",
        "    schedule: {window: 1d, renewBefore: 6h}",
      ].join("\n"),
    );
    useTasksFile("refs.yaml", { "css-pull-tasks:sourceAuth": "sign=s1&t=2", "css:pushAuth": "txSecret=abc&txTime=6A000000" });
    await settle(declareTasksFromConfig({ cwd: dir }));
    expect(plain(recorded[0].inputs)).toMatchObject({
      sourceUrls: ["https://cdn.example.com/live/a.flv?sign=s1&t=2"],
      toUrl: "rtmp://push.example.com/live/a?txSecret=abc&txTime=6A000000",
    });
    expect(await pulumi.isSecret(fromConfig("x-${config:css:pushAuth}"))).toBe(true);
    useTasksFile("refs.yaml");
    expect(() => declareTasksFromConfig({ cwd: dir })).toThrow(/sourceAuth/);
  });

  test("a problem in the file fails the program with file:line:column: path: rule, declaring nothing", () => {
    recorded.length = 0;
    fs.writeFileSync(path.join(dir, "bad.yaml"), ["tasks:", "  x:", "    sourceType: PullLivePushLive", "    sourceUrl: [rtmp://o.example.net/a]"].join("\n"));
    useTasksFile("bad.yaml");
    let error: unknown;
    try {
      declareTasksFromConfig({ cwd: dir });
    } catch (e) {
      error = e;
    }
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('bad.yaml:4:5: tasks.x.sourceUrl: unknown property; did you mean "sourceUrls"?');
    expect(recorded).toHaveLength(0);
  });

  test("a missing tasks file names the config key", () => {
    useTasksFile("nope.yaml");
    expect(() => declareTasksFromConfig({ cwd: dir })).toThrow(/css:tasksFile: cannot read nope\.yaml \(ENOENT\)/);
  });
});
