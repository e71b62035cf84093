// prune --ended against the emulator: ended tasks no stack holds are listed (dry run) or deleted
// (--yes); one a state file names is kept; a running one is never considered.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { CssClient } from "../../provider/api/client";
import { runPrune } from "../../cli/prune";
import { heldTaskIds } from "../../cli/prune-plan";
import { emulatorIo } from "../support/cli-io";
import { iso } from "../support/time";

const HOUR = 3600_000;
let dir: string;
let emu: RunningEmulator;
const ids: Record<string, string> = {};

const io = () => emulatorIo(emu.url, dir);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-prune-"));
  emu = await startEmulator({ port: 0 });
  const client = new CssClient({ secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key", endpoint: emu.url, region: "ap-guangzhou" });
  const create = async (stream: string, endsIn: number) =>
    (await client.createTask({ SourceType: "PullLivePushLive", SourceUrls: ["rtmp://o.example.net/live/x"], DomainName: "push.example.com",
      AppName: "live", StreamName: stream, StartTime: iso(Date.now() - HOUR), EndTime: iso(Date.now() + endsIn), Operator: "t" })).TaskId;
  ids.held = await create("held", HOUR);
  ids.loose = await create("loose", HOUR);
  ids.running = await create("running", 10 * HOUR);
  // Two hours later by the API's clock: the first two have ended.
  emu.setClockOffset(2 * HOUR);
  fs.writeFileSync(path.join(dir, "stack.json"), JSON.stringify({ version: 3, deployment: { resources: [{ urn: "u", type: "t", id: ids.held, outputs: { taskId: ids.held } }] } }));
});
afterAll(async () => {
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("css-pull-tasks prune --ended", () => {
  it("reads the ids a state export holds", () => {
    expect([...heldTaskIds({ deployment: { resources: [{ id: "1" }, { outputs: { taskId: "2" } }, {}] } })].sort()).toEqual(["1", "2"]);
    expect(heldTaskIds({ checkpoint: { latest: { resources: [{ id: "3" }] } } })).toEqual(new Set(["3"]));
  });

  it("a dry run by default: lists the ended task no stack holds, keeps the held one, deletes nothing", async () => {
    const o = io();
    expect(await runPrune(["--ended", "--state", "stack.json"], o)).toBe(0);
    expect(o.out()).toContain(`${ids.loose}: ended `);
    expect(o.out()).toMatch(new RegExp(`${ids.loose}: ended \\S+, would be deleted`));
    expect(o.out()).toMatch(new RegExp(`${ids.held}: ended \\S+, kept \\(a stack holds it\\)`));
    expect(o.out()).not.toContain(ids.running);
    expect(o.out()).toMatch(/1 ended task\(s\) would be deleted \(dry run: --yes deletes them\); 1 held by a stack kept/);
    expect(emu.tasks().map((t) => t.TaskId).sort()).toEqual([ids.held, ids.loose, ids.running].sort());
  });

  it("--yes deletes only that one; --ended is required", async () => {
    const o = io();
    expect(await runPrune(["--ended", "--state", "stack.json", "--yes"], o)).toBe(0);
    expect(emu.tasks().map((t) => t.TaskId).sort()).toEqual([ids.held, ids.running].sort());
    const bad = io();
    expect(await runPrune([], bad)).toBe(2);
    expect(bad.err()).toMatch(/--ended/);
  });
});
