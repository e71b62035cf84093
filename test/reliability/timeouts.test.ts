// A create or modify whose reply never comes (the request was applied, the answer is lost or late)
// is resolved by reading the task back, not by sending the write again: counted at the recording
// proxy in front of the emulator. A write known NOT to have been applied (connection reset before
// forwarding) may be sent again — but only after a read-back showed it absent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestEmulator, type ProxyFaultKind } from "../support/emulator";
import { ProviderHost, taskUrn, type Props } from "../support/host";
import { SOAK_CREDENTIALS, startSoakHost } from "../../harness/soak-host";
import { iso } from "../support/time";

const CREATE = "CreateLivePullStreamTask";
const MODIFY = "ModifyLivePullStreamTask";
const DESCRIBE = "DescribeLivePullStreamTasks";
const DELETE = "DeleteLivePullStreamTask";

let emu: TestEmulator;
let host: ProviderHost;
beforeAll(async () => {
  emu = await TestEmulator.start({ ...SOAK_CREDENTIALS, rateScale: 10 });
  host = await startSoakHost(emu.url);
});
afterAll(async () => {
  await host?.close();
  await emu?.close();
});

function config(stream: string, comment = "v1"): Props {
  const start = Date.now() + 30 * 60_000;
  return {
    sourceType: "PullLivePushLive", sourceUrls: [`https://src.example.com/live/${stream}.flv`],
    domainName: "push.example.com", appName: "live", streamName: stream,
    startTime: iso(start), endTime: iso(start + 86400_000), comment,
  };
}

async function create(name: string, cfg: Props): Promise<{ id: string; properties: Props; inputs: Props }> {
  const checked = await host.check(taskUrn(name), {}, cfg);
  expect(checked.failures).toEqual([]);
  const r = await host.create(taskUrn(name), checked.inputs);
  return { ...r, inputs: checked.inputs };
}

async function update(name: string, id: string, olds: { properties: Props; inputs: Props }, cfg: Props): Promise<Props> {
  const checked = await host.check(taskUrn(name), olds.inputs, cfg);
  expect(checked.failures).toEqual([]);
  return (await host.update(id, taskUrn(name), olds.properties, checked.inputs)).properties;
}

/** Requests of `action` sent while `fn` ran. */
async function counting<T>(fn: () => Promise<T>): Promise<{ result: T; sent: (action: string) => Props[] }> {
  const from = emu.requests.length;
  const result = await fn();
  const window = emu.requests.slice(from);
  return { result, sent: (action) => window.filter((r) => r.action === action).map((r) => r.body) };
}

describe("writes whose reply never comes", () => {
  // Both cases wait for the client's request timeout; they run side by side to pay it once.
  it("a timed-out Create and a timed-out Modify: each sent once, resolved by reading back", async () => {
    const existing = await create("to-mod", config("to-mod"));
    emu.failNext({ action: CREATE, kind: "timeout" });
    emu.failNext({ action: MODIFY, kind: "timeout" });
    const { result, sent } = await counting(() =>
      Promise.all([create("to-new", config("to-new")), update("to-mod", existing.id, existing, config("to-mod", "v2"))]),
    );
    const [created, modified] = result;
    // The timed-out Create was applied: found by its SpecifyTaskId, shown to exist by a no-op
    // Modify, and superseded by a Create under the next generation's id, then deleted (changed with
    // issue 23: it used to be adopted; a found task is never returned as the new one). Neither
    // timed-out write was sent again.
    const [lost, next] = sent(CREATE);
    expect(sent(CREATE)).toHaveLength(2);
    expect(next.SpecifyTaskId).not.toBe(lost.SpecifyTaskId);
    expect(sent(MODIFY).filter((b) => b.TaskId === existing.id)).toHaveLength(1);
    expect(sent(DESCRIBE).some((b) => b.SpecifyTaskId === lost.SpecifyTaskId)).toBe(true);
    expect(sent(DELETE)).toHaveLength(1);
    expect(sent(DESCRIBE).some((b) => b.TaskId === existing.id)).toBe(true);
    const newTasks = emu.tasks().filter((t) => t.StreamName === "to-new");
    expect(newTasks.map((t) => t.TaskId)).toEqual([created.id]);
    expect(modified.comment).toBe("v2");
    expect(emu.task(existing.id)?.Comment).toBe("v2");
  });
});

describe("writes whose reply is lost (applied, connection closed)", () => {
  for (const kind of ["lost-response"] as ProxyFaultKind[]) {
    it(`${kind} on Create: found by read-back and superseded, never sent again with its id: one task`, async () => {
      emu.failNext({ action: CREATE, kind });
      const { result, sent } = await counting(() => create(`lost-${kind}`, config(`lost-${kind}`)));
      // Changed with issue 23 (it was adopted): the task the lost send made is deleted once the
      // Create under the next generation's id has made this resource's.
      const creates = sent(CREATE);
      expect(creates).toHaveLength(2);
      expect(creates[1].SpecifyTaskId).not.toBe(creates[0].SpecifyTaskId);
      expect(sent(DELETE)).toHaveLength(1);
      expect(emu.tasks().filter((t) => t.StreamName === `lost-${kind}`).map((t) => t.TaskId)).toEqual([result.id]);
    });
    it(`${kind} on Modify: one Modify, the change confirmed by read-back`, async () => {
      const c = await create(`lostmod-${kind}`, config(`lostmod-${kind}`));
      emu.failNext({ action: MODIFY, kind });
      const { result, sent } = await counting(() => update(`lostmod-${kind}`, c.id, c, config(`lostmod-${kind}`, "v2")));
      expect(sent(MODIFY)).toHaveLength(1);
      expect(result.comment).toBe("v2");
      expect(emu.task(c.id)?.Comment).toBe("v2");
    });
  }

  it("reset before the Create reached the API: read back first, then sent again, one task", async () => {
    emu.failNext({ action: CREATE, kind: "reset" });
    const { result, sent } = await counting(() => create("reset-new", config("reset-new")));
    const creates = sent(CREATE);
    expect(creates).toHaveLength(2);
    // The same SpecifyTaskId both times: had the first landed after all, the API would refuse the second.
    expect(creates[1].SpecifyTaskId).toBe(creates[0].SpecifyTaskId);
    const order = emu.requests.filter((r) => r.body.SpecifyTaskId === creates[0].SpecifyTaskId).map((r) => r.action);
    expect(order.indexOf(DESCRIBE)).toBeGreaterThan(order.indexOf(CREATE));
    expect(order.lastIndexOf(CREATE)).toBeGreaterThan(order.indexOf(DESCRIBE));
    expect(emu.tasks().filter((t) => t.StreamName === "reset-new").map((t) => t.TaskId)).toEqual([result.id]);
  });
});
