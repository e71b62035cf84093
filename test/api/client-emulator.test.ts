// Our client against the CSS API emulator: every action's success, representative documented errors,
// paging, faults (throttle, internal, 5xx, reset, timeout, lost-response) and the limiter under a burst.
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorOptions } from "../../emulator/index";
import { CssClient, type ClientOptions } from "../../provider/api/client";
import { CLIENT_CODES, CssApiError } from "../../provider/api/errors";
import type { CreateLivePullStreamTaskRequest } from "../../provider/api/types";
import { findBySpecifyTaskId } from "../../provider/protocol/ids";
import { iso } from "../support/time";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const running: Emulator[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function emulator(o: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ port: 0, ...o });
  running.push(e);
  return e;
}

function clientFor(e: Emulator, o: Partial<ClientOptions> = {}): CssClient {
  return new CssClient({ secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key", endpoint: e.url, env: {}, homeDir: "/nonexistent", sleep: async () => {}, ...o });
}

const HOUR = 3_600_000;

function liveTask(over: Partial<CreateLivePullStreamTaskRequest> = {}): CreateLivePullStreamTaskRequest {
  const now = Date.now();
  return {
    SourceType: "PullLivePushLive",
    SourceUrls: ["rtmp://source.example.com/live/in"],
    DomainName: "push.example.com",
    AppName: "live",
    StreamName: "out",
    StartTime: iso(now + 60_000),
    EndTime: iso(now + HOUR),
    Operator: "client-test",
    ...over,
  };
}

async function failure(p: Promise<unknown>): Promise<CssApiError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CssApiError);
  return e as CssApiError;
}

describe("client × emulator: every action succeeds", () => {
  it("create, describe (single and list), modify, status, restart, delete", async () => {
    const e = await emulator();
    const c = clientFor(e);
    const created = await c.createTask(liveTask({ Comment: "first", PushArgs: "bak=1" }));
    expect(created.TaskId).toMatch(/\S/);
    expect(created.RequestId).toMatch(/\S/);

    const info = await c.describeTask(created.TaskId);
    expect(info).toMatchObject({ TaskId: created.TaskId, SourceType: "PullLivePushLive", SourceUrls: ["rtmp://source.example.com/live/in"], DomainName: "push.example.com", Comment: "first", PushArgs: "bak=1" });
    expect(info).not.toHaveProperty("Operator");

    const end = iso(Date.now() + 2 * HOUR);
    await c.modifyTask({ TaskId: created.TaskId, Operator: "client-test", EndTime: end, Status: "pause" });
    expect(await c.describeTask(created.TaskId)).toMatchObject({ EndTime: end, Status: "pause", Comment: "first" });

    const status = await c.describeTaskStatus({ TaskId: created.TaskId });
    expect(status.TaskStatusInfo).toBeTypeOf("object");
    await expect(c.restartTask({ TaskId: created.TaskId, Operator: "client-test" })).resolves.toHaveProperty("RequestId");

    const page = await c.describeTasks({ PageNum: 1, PageSize: 10 });
    expect(page).toMatchObject({ TotalNum: 1, TotalPage: 1, PageNum: 1, PageSize: 10 });
    expect(page.TaskInfos.map((t) => t.TaskId)).toEqual([created.TaskId]);

    await c.deleteTask({ TaskId: created.TaskId, Operator: "client-test" });
    expect(await c.describeTask(created.TaskId)).toBeUndefined();
    expect(e.tasks()).toHaveLength(0);
    expect(c.stats().retries).toBe(0);
  });

  it("accepts temporary credentials with their token, per-call regions, and reports the region sent", async () => {
    const e = await emulator({ tempCredentials: [{ secretId: "AKIDTEMP", secretKey: "temp-secret-key-123", token: "temp-token-456" }] });
    const c = clientFor(e, { secretId: "AKIDTEMP", secretKey: "temp-secret-key-123", securityToken: "temp-token-456", region: "ap-shanghai" });
    const { TaskId } = await c.createTask(liveTask(), { region: "ap-singapore" });
    expect(e.tasks().find((t) => t.TaskId === TaskId)).toMatchObject({ Region: "ap-singapore" });
  });
});

describe("client × emulator: documented errors come back typed and are not retried", () => {
  const cases: [string, (c: CssClient, taskId: string) => Promise<unknown>, string][] = [
    ["Modify of an unknown task", (c) => c.modifyTask({ TaskId: "no-such-task", Operator: "op", Comment: "x" }), "InvalidParameter.TaskNotExist"],
    ["Delete of an unknown task", (c) => c.deleteTask({ TaskId: "no-such-task", Operator: "op" }), "InvalidParameter.TaskNotExist"],
    ["Restart of an unknown task", (c) => c.restartTask({ TaskId: "no-such-task", Operator: "op" }), "InvalidParameter.TaskNotExist"],
    ["Status of an unknown task", (c) => c.describeTaskStatus({ TaskId: "no-such-task" }), "InvalidParameter.TaskNotExist"],
    ["Create ending before it starts", (c) => c.createTask(liveTask({ StartTime: iso(Date.now() + 2 * HOUR), EndTime: iso(Date.now() + HOUR) })), "InvalidParameter.InvalidTaskTime"],
    ["Create spanning 30 days or more", (c) => c.createTask(liveTask({ EndTime: iso(Date.now() + 31 * 24 * HOUR) })), "InvalidParameter.InvalidTaskTime"],
    ["Modify moving the start into the past", (c, id) => c.modifyTask({ TaskId: id, Operator: "op", StartTime: iso(Date.now() - HOUR) }), "InvalidParameter.InvalidTaskTime"],
    ["Modify changing the destination", (c, id) => c.call("ModifyLivePullStreamTask", { TaskId: id, Operator: "op", StreamName: "elsewhere" }), "InvalidParameter"],
    ["Modify with a status that does not exist", (c, id) => c.modifyTask({ TaskId: id, Operator: "op", Status: "stopped" }), "InvalidParameterValue"],
    ["Modify with a source URL on a private network", (c, id) => c.modifyTask({ TaskId: id, Operator: "op", SourceUrls: ["rtmp://192.168.1.1/live/x"] }), "InvalidParameter.InvalidSourceUrl"],
    ["Create pulling from a private network", (c) => c.createTask(liveTask({ SourceUrls: ["rtmp://10.1.2.3/live/in"] })), "InvalidParameter.InvalidSourceUrl"],
    ["Create with two live sources", (c) => c.createTask(liveTask({ SourceUrls: ["rtmp://a.example.com/l/1", "rtmp://a.example.com/l/2"] })), "InvalidParameter.InvalidSourceUrl"],
    ["Create pushing to an http ToUrl", (c) => c.createTask(liveTask({ DomainName: "", AppName: "", StreamName: "", ToUrl: "http://push.example.com/live/x" })), "InvalidParameter.InvalidToUrl"],
    ["Create with an ftp callback", (c) => c.createTask(liveTask({ CallbackUrl: "ftp://cb.example.com/hook" })), "InvalidParameter.InvalidCallbackUrl"],
    [
      "Create with five watermarks",
      (c) => c.createTask(liveTask({ WatermarkList: [0, 1, 2, 3, 0].map((Location) => ({ PictureUrl: "https://img.example.com/l.png", XPosition: 1, YPosition: 1, Width: 5, Height: 5, Location })) })),
      "InvalidParameter.InvalidWatermark",
    ],
    ["Create without an Operator", (c) => c.call("CreateLivePullStreamTask", { ...liveTask(), Operator: undefined }, { idempotent: false }), "MissingParameter"],
    ["Create with an unknown field", (c) => c.call("CreateLivePullStreamTask", { ...liveTask(), Colour: "red" }, { idempotent: false }), "UnknownParameter"],
    ["Describe with PageSize 21", (c) => c.describeTasks({ PageNum: 1, PageSize: 21 }), "InvalidParameterValue"],
    ["an action that does not exist", (c) => c.call("DescribeEverything", {}), "InvalidAction"],
  ];
  for (const [name, act, code] of cases) {
    it(`${name} → ${code}`, async () => {
      const e = await emulator();
      const c = clientFor(e);
      const { TaskId } = await c.createTask(liveTask());
      const before = e.calls().total;
      const err = await failure(act(c, TaskId));
      expect(err.code).toBe(code);
      expect(err).toMatchObject({ retryable: false, ambiguous: false });
      expect(err.requestId).toMatch(/\S/);
      expect(e.calls().total - before).toBe(1);
    });
  }

  it("the task quota → InvalidParameter.TaskNumMoreThanLimit (Create's documented code)", async () => {
    const e = await emulator({ taskLimit: 1 });
    const c = clientFor(e);
    await c.createTask(liveTask());
    expect((await failure(c.createTask(liveTask({ StreamName: "second" })))).code).toBe("InvalidParameter.TaskNumMoreThanLimit");
  });

  it("a wrong key → AuthFailure.SignatureFailure, an unknown id → AuthFailure.SecretIdNotFound, neither retried nor leaking the key", async () => {
    const e = await emulator();
    const wrong = await failure(clientFor(e, { secretKey: "not-the-emulator-key" }).describeTasks());
    expect(wrong.code).toBe("AuthFailure.SignatureFailure");
    expect(wrong.message).not.toContain("not-the-emulator-key");
    expect(wrong.message).toContain("(credentials from provider options (secretId/secretKey))");
    expect((await failure(clientFor(e, { secretId: "AKIDUNKNOWN" }).describeTasks())).code).toBe("AuthFailure.SecretIdNotFound");
    expect(e.calls().total).toBe(2);
  });

  it("a clock 10 minutes off → AuthFailure.SignatureExpire, with a hint to check the clock", async () => {
    const e = await emulator();
    const err = await failure(clientFor(e, { now: () => Date.now() - 10 * 60_000 }).describeTasks());
    expect(err.code).toBe("AuthFailure.SignatureExpire");
    expect(err.message).toMatch(/check this machine's clock/);
    expect(e.calls().total).toBe(1);
  });

  it("a wrong session token → AuthFailure.TokenFailure", async () => {
    const e = await emulator({ tempCredentials: [{ secretId: "AKIDTEMP", secretKey: "temp-secret-key-123", token: "temp-token-456" }] });
    const err = await failure(clientFor(e, { secretId: "AKIDTEMP", secretKey: "temp-secret-key-123", securityToken: "wrong-token-789" }).describeTasks());
    expect(err.code).toBe("AuthFailure.TokenFailure");
    expect(err.message).not.toContain("wrong-token-789");
  });

  it("describeTask of an unknown id is undefined, not an error", async () => {
    const e = await emulator();
    expect(await clientFor(e).describeTask("no-such-task")).toBeUndefined();
  });
});

describe("client × emulator: paging", () => {
  it("lists every task across pages of 20, each once", async () => {
    const e = await emulator();
    const c = clientFor(e);
    const ids = await Promise.all(Array.from({ length: 45 }, (_, i) => c.createTask(liveTask({ StreamName: `s${i}` })).then((r) => r.TaskId)));
    const listed = await c.listAllTasks();
    expect(listed.map((t) => t.TaskId).sort()).toEqual([...ids].sort());
    expect(c.stats().calls.DescribeLivePullStreamTasks).toBe(3);
  });

  it("still finds a task that moves to the front while we page", async () => {
    const e = await emulator();
    const c = clientFor(e);
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) ids.push((await c.createTask(liveTask({ StreamName: `s${i}` }))).TaskId);
    const other = clientFor(e);
    let moved = false;
    // After page 1 is read, another writer touches the oldest task: it jumps to page 1, behind us.
    const paging = clientFor(e, {
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (!moved && init.headers["X-TC-Action"] === "DescribeLivePullStreamTasks") {
          moved = true;
          const text = await res.text();
          await other.modifyTask({ TaskId: ids[0], Operator: "other", Comment: "touched" });
          return { status: res.status, text: async () => text };
        }
        return res;
      },
    });
    const listed = await paging.listAllTasks();
    expect(moved).toBe(true);
    expect(new Set(listed.map((t) => t.TaskId))).toEqual(new Set(ids));
    expect(listed).toHaveLength(45);
    expect(listed.find((t) => t.TaskId === ids[0])?.Comment).toBe("touched");
  });
});

describe("client × emulator: faults", () => {
  /** A client whose first backoff turns the emulator's faults off: fault, then success. */
  function healingClient(e: Emulator, o: Partial<ClientOptions> = {}): CssClient {
    return clientFor(e, {
      ...o,
      sleep: async () => {
        e.setFaults(undefined);
      },
    });
  }

  for (const kind of ["throttle", "internal", "http5xx", "reset", "timeout"]) {
    it(`${kind} then success on an idempotent call`, async () => {
      const e = await emulator({ timeoutDelayMs: 400 });
      const { TaskId } = await clientFor(e).createTask(liveTask());
      e.setFaults(`${kind}=1`, 1);
      const c = healingClient(e, { timeoutMs: 150 });
      await c.modifyTask({ TaskId, Operator: "op", Comment: `after ${kind}` });
      expect(e.tasks()[0].Comment).toBe(`after ${kind}`);
      expect(c.stats()).toMatchObject({ calls: { ModifyLivePullStreamTask: 2 }, retries: 1, throttled: kind === "throttle" ? 1 : 0 });
    });
  }

  it("Modify marked non-idempotent surfaces a timeout as ambiguous instead of re-sending it", async () => {
    const e = await emulator({ timeoutDelayMs: 400 });
    const { TaskId } = await clientFor(e).createTask(liveTask());
    e.setFaults("timeout=1", 1);
    const c = clientFor(e, { timeoutMs: 150 });
    const err = await failure(c.modifyTask({ TaskId, Operator: "op", Comment: "late" }, { idempotent: false }));
    expect(err).toMatchObject({ code: CLIENT_CODES.timeout, ambiguous: true });
    expect(e.calls().calls.ModifyLivePullStreamTask).toBe(1);
    e.setFaults(undefined);
    expect((await c.describeTask(TaskId))?.Comment).toBe("late");
  });

  it("Create retries a throttle (known not applied) and creates exactly one task", async () => {
    const e = await emulator({ faults: "throttle=1", seed: 3 });
    const c = healingClient(e);
    await c.createTask(liveTask());
    expect(e.tasks()).toHaveLength(1);
    expect(c.stats().throttled).toBe(1);
  });

  for (const kind of ["lost-response", "reset", "internal", "http5xx", "timeout"]) {
    it(`Create meeting ${kind} surfaces at once as ambiguous, and a read-back by SpecifyTaskId settles it`, async () => {
      const e = await emulator({ faults: `${kind}=1`, seed: 5, timeoutDelayMs: 400 });
      const c = clientFor(e, { timeoutMs: 150 });
      const err = await failure(c.createTask(liveTask({ SpecifyTaskId: `spec-${kind}` })));
      expect(err.ambiguous).toBe(true);
      expect(e.calls().calls.CreateLivePullStreamTask).toBe(1);
      e.setFaults(undefined);
      const found = await findBySpecifyTaskId(c, `spec-${kind}`);
      // lost-response and timeout applied the create (the answer was lost or late); the others refused it.
      const applied = kind === "lost-response" || kind === "timeout";
      expect(e.tasks()).toHaveLength(applied ? 1 : 0);
      if (applied) expect(found?.TaskId).toBe(e.tasks()[0].TaskId);
      else expect(found).toBeUndefined();
      if (kind === "timeout") expect(err.code).toBe(CLIENT_CODES.timeout);
    });
  }
});

describe("client × emulator: the limiter keeps a burst under the documented rate", () => {
  it("70 concurrent Modify calls (20/s) and 120 Creates (50/s): no RequestLimitExceeded at the emulator", async () => {
    const e = await emulator({ taskLimit: 500 });
    const c = clientFor(e);
    const ids = await Promise.all(Array.from({ length: 120 }, (_, i) => c.createTask(liveTask({ StreamName: `b${i}` })).then((r) => r.TaskId)));
    await Promise.all(ids.slice(0, 70).map((TaskId, i) => c.modifyTask({ TaskId, Operator: "op", Comment: `burst ${i}` })));
    const calls = e.calls();
    expect(calls.calls.CreateLivePullStreamTask).toBe(120);
    expect(calls.calls.ModifyLivePullStreamTask).toBe(70);
    expect(calls.throttled).toEqual({});
    expect(c.stats()).toMatchObject({ throttled: 0, retries: 0 });
    expect(c.stats().limiterWaitMs).toBeGreaterThan(0);
  });

  it("without the limiter the same burst is throttled, so the test above can fail", async () => {
    const e = await emulator();
    const { TaskId } = await clientFor(e).createTask(liveTask());
    const c = clientFor(e, { limiter: false, maxAttempts: 1, maxRetryMs: 1 });
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => c.modifyTask({ TaskId, Operator: "op", Comment: "x" })));
    expect(results.some((r) => r.status === "rejected" && (r.reason as CssApiError).code === "RequestLimitExceeded")).toBe(true);
    expect(e.calls().throttled.ModifyLivePullStreamTask).toBeGreaterThan(0);
  });
});
