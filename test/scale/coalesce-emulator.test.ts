// The coalescer with the real client against the emulator: call counts come from the emulator's
// own counters (GET /_emulator/calls), so what is asserted is what the API would have billed.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CssClient } from "../../provider/api/client";
import { createReadCoalescer } from "../../provider/reads/coalesce";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, startEmulator, type RunningEmulator } from "../../emulator";
import { iso } from "../support/time";

const DESCRIBE = "DescribeLivePullStreamTasks";
const REGION = "ap-guangzhou";
// Ten times the documented rates on both sides: the same limits, met ten times faster.
const RATE_SCALE = 10;

let emulator: RunningEmulator;
let client: CssClient;

async function createTasks(count: number): Promise<string[]> {
  const now = Date.now();
  const ids = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      client.createTask({
        SourceType: "PullLivePushLive",
        SourceUrls: [`rtmp://source.example.com/live/in${i}`],
        DomainName: "push.example.com",
        AppName: "live",
        StreamName: `out${i}`,
        StartTime: iso(now + 60_000),
        EndTime: iso(now + 3_600_000),
        Operator: "scale-test",
        Comment: "v0",
      }),
    ),
  );
  return ids.map((r) => r.TaskId);
}

const describeCalls = () => emulator.calls().calls[DESCRIBE] ?? 0;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, taskLimit: 200, rateScale: RATE_SCALE });
  client = new CssClient({ endpoint: emulator.url, secretId: DEFAULT_SECRET_ID, secretKey: DEFAULT_SECRET_KEY, region: REGION, rateScale: RATE_SCALE });
});

afterEach(async () => {
  await emulator.close();
});

describe("read coalescer against the emulator", () => {
  it("a batch of 3 reads among 100 tasks costs 3 single Describes", async () => {
    const ids = await createTasks(100);
    const before = describeCalls();
    const c = createReadCoalescer(client, { listingCache: false });
    const got = await Promise.all([ids[0], ids[40], ids[99]].map((id) => c.read(id, REGION)));
    expect(got.map((t) => t?.TaskId)).toEqual([ids[0], ids[40], ids[99]]);
    expect(describeCalls() - before).toBe(3);
    expect(c.stats()).toMatchObject({ singles: 3, pages: 0 });
  });

  it("a batch of 100 reads among 100 tasks costs ceil(100/20) = 5 listing calls", async () => {
    const ids = await createTasks(100);
    const before = describeCalls();
    const c = createReadCoalescer(client, { listingCache: false });
    const got = await Promise.all(ids.map((id) => c.read(id, REGION)));
    expect(got.map((t) => t?.TaskId)).toEqual(ids);
    expect(describeCalls() - before).toBe(5);
    expect(c.stats()).toMatchObject({ pages: 5, singles: 0, confirmations: 0 });
    expect(emulator.calls().throttled[DESCRIBE] ?? 0).toBe(0);
  });

  it("never serves a stale listing: a change made outside between two batches is seen", async () => {
    const ids = await createTasks(60);
    const c = createReadCoalescer(client, { listingCache: false });
    const first = await Promise.all(ids.map((id) => c.read(id, REGION)));
    expect(first[17]?.Comment).toBe("v0");
    await client.modifyTask({ TaskId: ids[17], Operator: "someone-else", Comment: "changed outside" });
    const before = describeCalls();
    const second = await Promise.all(ids.map((id) => c.read(id, REGION)));
    expect(second[17]?.Comment).toBe("changed outside");
    expect(describeCalls() - before).toBe(3);
  });

  it("a task deleted outside is reported gone, after one confirming Describe by TaskId", async () => {
    const ids = await createTasks(60);
    await client.deleteTask({ TaskId: ids[33], Operator: "someone-else" });
    const before = describeCalls();
    const c = createReadCoalescer(client, { listingCache: false });
    const got = await Promise.all(ids.map((id) => c.read(id, REGION)));
    expect(got[33]).toBeUndefined();
    expect(got.filter(Boolean)).toHaveLength(59);
    // 59 tasks: 3 pages, plus the confirmation for the missing one.
    expect(describeCalls() - before).toBe(3 + 1);
    expect(c.stats()).toMatchObject({ pages: 3, confirmations: 1 });
  });
});
