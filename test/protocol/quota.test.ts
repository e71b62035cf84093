// The task quota through Pulumi's real dynamic provider host: a plan whose Creates do not fit the
// account's free slots warns once at preview, with the figures (ended tasks counted) and the way
// out; one that fits says nothing; a delete-first replacement needs no slot, a create-first one
// does; a Create the API refuses for the quota says the figures too. Each case runs in a provider
// process of its own, as each deployment does (the count is a process's).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { CssClient } from "../../provider/api/client";
import { PRUNE_COMMAND, QUOTA_CODE } from "../../provider/quota/count";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, TestEmulator } from "../support/emulator";
import { ProviderHost } from "../support/host";
import { emulatorConfig, iso, liveRelay } from "../support/tasks";

const HOUR = 3600_000;
let emu: TestEmulator;
const hosts: ProviderHost[] = [];

beforeAll(async () => {
  emu = await TestEmulator.start({ rateScale: 10 });
  // Two tasks no stack holds: one ends two seconds from now, and stays (no auto-cleanup).
  const client = new CssClient({
    secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY, endpoint: emu.url, region: "ap-guangzhou",
  });
  const end = Date.now() + 2000;
  for (const [stream, endTime] of [["ended", iso(end)], ["running", iso(Date.now() + 10 * HOUR)]]) {
    await client.createTask({
      SourceType: "PullLivePushLive", SourceUrls: ["rtmp://o.example.net/live/x"], DomainName: "push.example.com",
      AppName: "live", StreamName: stream, StartTime: iso(Date.now() - HOUR), EndTime: endTime, Operator: "console",
    });
  }
  await new Promise((resolve) => setTimeout(resolve, end + 1100 - Date.now()));
}, 30_000);
afterAll(async () => {
  for (const h of hosts) await h.close();
  await emu?.close();
});

/** A stack in a provider process of its own, with `state` (another stack's) as its state. */
async function freshStack(state?: Stack["state"]): Promise<Stack> {
  const host = await ProviderHost.start();
  hosts.push(host);
  await host.configure(emulatorConfig(emu.url));
  const stack = new Stack(host, "quota");
  for (const [k, v] of state ?? []) stack.state.set(k, v);
  return stack;
}

const warnings = (host: ProviderHost) => host.stderr().split("\n").filter((l) => l.startsWith("warning: task quota"));
const describes = () => emu.requestsOf("DescribeLivePullStreamTasks").map((r) => r.body);

describe("the task quota at preview (dynamic provider)", () => {
  it("3 Creates, 2 free slots: one warning, at the Create that does not fit, with the figures and prune", async () => {
    emu.emulator.setTaskLimit(4);
    emu.clearRequests();
    const stack = await freshStack();
    for (const name of ["a", "b", "c"]) expect((await stack.preview(name, liveRelay())).op).toBe("create");
    const [warning, ...more] = warnings(stack.host);
    expect(more).toEqual([]);
    expect(warning).toContain("this plan has at least 3 Creates");
    expect(warning).toContain("the account holds 2 tasks, 1 of them ended (TotalNum) of the 4 it may (LimitTaskNum)");
    expect(warning).toContain(`so 2 more fit: \`up\` would fail at Create 3 with ${QUOTA_CODE}`);
    expect(warning).toContain(PRUNE_COMMAND);
    // One listing row for the figures (the clock probe's), the listing for the ended count; no write.
    expect(describes()).toEqual([{ PageNum: 1, PageSize: 1 }, { PageNum: 1, PageSize: 20 }]);
    expect(emu.requests.map((r) => r.action).filter((a) => a !== "DescribeLivePullStreamTasks")).toEqual([]);
  });

  it("Creates that fit: no warning, one listing row", async () => {
    emu.emulator.setTaskLimit(4);
    emu.clearRequests();
    const stack = await freshStack();
    for (const name of ["a", "b"]) await stack.preview(name, liveRelay());
    expect(warnings(stack.host)).toEqual([]);
    expect(describes()).toEqual([{ PageNum: 1, PageSize: 1 }]);
  });

  it("on a full account a delete-first replacement fits, a create-first one does not", async () => {
    emu.emulator.setTaskLimit(3);
    const first = await freshStack();
    const program = liveRelay({ startTime: iso(Date.now() + 5 * HOUR), endTime: iso(Date.now() + 20 * HOUR) });
    await first.up("x", program);
    expect(emu.tasks()).toHaveLength(3);
    const stack = await freshStack(first.state);
    // extraCmd: same destination, so the old task is deleted first and its slot reused.
    const deleteFirst = await stack.preview("x", { ...program, extraCmd: "ignore_region" });
    expect(deleteFirst).toMatchObject({ op: "replace", diff: { deleteBeforeReplace: true } });
    expect(warnings(stack.host)).toEqual([]);
    // A new stream: created first, while the old task still holds its slot.
    const createFirst = await stack.preview("x", { ...program, streamName: `${program.streamName}-b` });
    expect(createFirst).toMatchObject({ op: "replace", diff: { deleteBeforeReplace: false } });
    expect(warnings(stack.host)).toEqual([expect.stringContaining("this plan has at least 1 Create (new tasks")]);
    expect(warnings(stack.host)[0]).toContain("so 0 more fit: `up` would fail at Create 1");
  });

  it("a Create refused for the quota says the figures and the way out", async () => {
    emu.emulator.setTaskLimit(emu.tasks().length);
    const stack = await freshStack();
    const err = await stack.up("y", liveRelay()).then(() => undefined, (e: Error) => e);
    expect(err?.message).toContain(QUOTA_CODE);
    expect(err?.message).toContain(
      "the account's task quota is used up: the account holds 3 tasks, 1 of them ended (TotalNum) of the 3 it may",
    );
    expect(err?.message).toContain(PRUNE_COMMAND);
    expect(err?.message).toContain("then run `pulumi up` again");
    expect(emu.tasks()).toHaveLength(3);
  });
});
