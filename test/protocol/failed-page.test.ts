// A refresh of 100 tasks through the real provider host while listing pages fail: the reads of a
// failed page ask for their task by TaskId instead, so every read is answered and none hangs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CssClient } from "../../provider/api/client";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, TestEmulator } from "../support/emulator";
import { ProviderHost, taskUrn } from "../support/host";
import { emulatorConfig, iso } from "../support/tasks";

const DESCRIBE = "DescribeLivePullStreamTasks";
const TASKS = 100;
let emu: TestEmulator;
let host: ProviderHost;
let ids: string[] = [];

beforeAll(async () => {
  emu = await TestEmulator.start();
  const direct = new CssClient({ endpoint: emu.emulator.url, secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY, region: "ap-guangzhou" });
  const now = Date.now();
  const created = await Promise.all(
    Array.from({ length: TASKS }, (_, i) =>
      direct.createTask({
        SourceType: "PullLivePushLive",
        SourceUrls: [`rtmp://origin.example.com/live/cam${i}`],
        DomainName: "push.example.com",
        AppName: "live",
        StreamName: `failed-page-${process.pid}-${i}`,
        StartTime: iso(now + 3600_000),
        EndTime: iso(now + 48 * 3600_000),
        Operator: "pulumi",
      }),
    ),
  );
  ids = created.map((r) => r.TaskId);
  host = await ProviderHost.start();
  await host.configure(emulatorConfig(emu.url));
}, 60_000);

afterAll(async () => {
  await host?.close();
  await emu?.close();
});

beforeEach(() => emu.clearRequests());

/** `pulumi refresh` of every task at once: one Read per resource, all outstanding together. */
async function refreshAll(): Promise<PromiseSettledResult<string>[]> {
  return Promise.allSettled(ids.map((id, i) => host.read(id, taskUrn(`t${i}`), { taskId: id, region: "ap-guangzhou" }).then((r) => r.id)));
}

const isPage = (body: Record<string, unknown>) => body.PageNum !== undefined;

describe("refresh while listing pages fail", () => {
  it("one failed page of five: all 100 reads are answered, its reads by TaskId", async () => {
    emu.failNext({ action: DESCRIBE, kind: "error", code: "FailedOperation", match: (b) => isPage(b) && b.PageNum === 2 });
    const results = await refreshAll();
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(results.map((r) => (r as PromiseFulfilledResult<string>).value)).toEqual(ids);
    const describes = emu.requestsOf(DESCRIBE);
    expect(describes.filter((r) => r.body.PageNum === 2).length).toBeGreaterThanOrEqual(1);
    // Page 2's reads asked for their own task, and far fewer calls than one per task were made.
    expect(describes.filter((r) => r.body.TaskId !== undefined).length).toBeGreaterThanOrEqual(20);
    expect(describes.length).toBeLessThan(TASKS);
  }, 60_000);

  it("every page failing: still every read answered, none left pending", async () => {
    emu.failNext({ action: DESCRIBE, kind: "error", code: "FailedOperation", match: isPage, times: 1000 });
    const results = await refreshAll();
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : String(r.reason)))).toEqual(ids);
    expect(emu.requestsOf(DESCRIBE).filter((r) => r.body.TaskId !== undefined).length).toBe(TASKS);
  }, 60_000);
});
