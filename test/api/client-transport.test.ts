// CssClient against a tiny scripted node:http server: headers and signature as sent, envelopes,
// HTTP 5xx, connection resets, slow answers (timeout), refused connections and secret hygiene.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CssClient, type ClientOptions } from "../../provider/api/client";
import { CLIENT_CODES, CssApiError } from "../../provider/api/errors";
import { authorization } from "../../provider/api/sign";

const SECRET_KEY = "fake-server-secret-key-0123456789";
const TOKEN = "fake-session-token-abcdefghij";

interface Seen {
  headers: IncomingMessage["headers"];
  body: string;
}
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let url: string;
let handlers: Handler[] = [];
let seen: Seen[] = [];
const pendingTimers = new Set<NodeJS.Timeout>();

const ok = (fields: object) => (_q: IncomingMessage, res: ServerResponse) => {
  res.setHeader("Content-Type", "application/json");
  res.end(JSON.stringify({ Response: { ...fields, RequestId: "req-ok" } }));
};
const apiError = (code: string, message = `${code} message`) => (_q: IncomingMessage, res: ServerResponse) => {
  res.end(JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: `req-${code}` } }));
};
const status = (code: number, text = "upstream failure") => (_q: IncomingMessage, res: ServerResponse) => {
  res.statusCode = code;
  res.end(text);
};
const reset = () => (req: IncomingMessage) => req.socket.destroy();
const slow = (ms: number) => (_q: IncomingMessage, res: ServerResponse) => {
  const t = setTimeout(() => ok({})(_q, res), ms);
  pendingTimers.add(t);
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ headers: req.headers, body });
      const h = handlers.shift() ?? ok({});
      h(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const t of pendingTimers) clearTimeout(t);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  handlers = [];
  seen = [];
});

function client(extra: Partial<ClientOptions> = {}): CssClient {
  return new CssClient({ secretId: "AKIDFAKE", secretKey: SECRET_KEY, endpoint: url, region: "ap-guangzhou", homeDir: "/nonexistent", env: {}, limiter: false, sleep: async () => {}, ...extra });
}

describe("CssClient over HTTP", () => {
  it("sends a signed request the signature of which matches the bytes received", async () => {
    handlers = [ok({ TaskId: "task-1" })];
    const c = client({ securityToken: TOKEN, now: () => 1_764_000_000_000 });
    const r = await c.createTask({ SourceType: "PullLivePushLive", SourceUrls: ["rtmp://a/b/c"], DomainName: "d", AppName: "a", StreamName: "s", StartTime: "x", EndTime: "y", Operator: "op", Comment: "直播" });
    expect(r).toEqual({ TaskId: "task-1", RequestId: "req-ok" });
    const { headers, body } = seen[0];
    expect(headers["x-tc-action"]).toBe("CreateLivePullStreamTask");
    expect(headers["x-tc-version"]).toBe("2018-08-01");
    expect(headers["x-tc-region"]).toBe("ap-guangzhou");
    expect(headers["x-tc-timestamp"]).toBe("1764000000");
    expect(headers["x-tc-token"]).toBe(TOKEN);
    expect(headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(headers.authorization).toBe(authorization({ secretId: "AKIDFAKE", secretKey: SECRET_KEY, service: "live", host: headers.host!, timestamp: 1_764_000_000, body }));
    expect(JSON.parse(body).Comment).toBe("直播");
  });

  it("sends the per-call region", async () => {
    await client().describeTasks({}, { region: "ap-singapore" });
    expect(seen[0].headers["x-tc-region"]).toBe("ap-singapore");
  });

  it("turns an error envelope into CssApiError with code, message, RequestId and action", async () => {
    handlers = [apiError("InvalidParameter.TaskNotExist", "task not exist")];
    const err = await client().modifyTask({ TaskId: "nope", Operator: "op" }).catch((e) => e);
    expect(err).toBeInstanceOf(CssApiError);
    expect(err).toMatchObject({ code: "InvalidParameter.TaskNotExist", action: "ModifyLivePullStreamTask", requestId: "req-InvalidParameter.TaskNotExist", retryable: false, ambiguous: false });
    expect(err.message).toContain("task not exist");
    expect(seen).toHaveLength(1);
  });

  it("retries a throttle and counts it", async () => {
    handlers = [apiError("RequestLimitExceeded"), apiError("RequestLimitExceeded"), ok({})];
    const c = client();
    await c.deleteTask({ TaskId: "t", Operator: "op" });
    expect(c.stats()).toMatchObject({ calls: { DeleteLivePullStreamTask: 3 }, retries: 2, throttled: 2 });
  });

  it("tells onSend of each attempt as it goes out, a throttled one's retry included", async () => {
    handlers = [apiError("RequestLimitExceeded"), ok({ TotalNum: 0, TaskInfos: [] })];
    const sent: number[] = [];
    await client().describeTasks({ PageNum: 1, PageSize: 20 }, { onSend: () => sent.push(seen.length) });
    // Each time before the request reached the server: nothing seen yet, then the throttled one.
    expect(sent).toEqual([0, 1]);
  });

  it("counts writes in flight (what a read-back waiting for company can expect), not Describes", async () => {
    const c = client();
    handlers = [slow(50), slow(50)];
    const during: number[] = [];
    const write = c.modifyTask({ TaskId: "t", Operator: "op" });
    const read = c.describeTasks({});
    await new Promise((r) => setTimeout(r, 20));
    during.push(c.writesInFlight());
    await Promise.all([write, read]);
    handlers = [apiError("InvalidParameter.TaskNotExist")];
    await c.deleteTask({ TaskId: "t", Operator: "op" }).catch(() => undefined);
    expect([...during, c.writesInFlight()]).toEqual([1, 0]);
  });

  it("retries HTTP 5xx without an envelope on idempotent calls", async () => {
    handlers = [status(502), status(503), ok({})];
    await client().restartTask({ TaskId: "t", Operator: "op" });
    expect(seen).toHaveLength(3);
  });

  it("an HTTP 4xx without an envelope is not retried", async () => {
    handlers = [status(404, "not here")];
    const err = await client().describeTasks().catch((e) => e);
    expect(err).toMatchObject({ code: CLIENT_CODES.httpStatus, httpStatus: 404, retryable: false });
    expect(seen).toHaveLength(1);
  });

  it("a connection reset is retried on idempotent calls and ambiguous on Create", async () => {
    handlers = [reset(), ok({})];
    await client().modifyTask({ TaskId: "t", Operator: "op" });
    expect(seen).toHaveLength(2);

    seen = [];
    handlers = [reset(), ok({ TaskId: "dup" })];
    const err = await client().createTask({ SourceType: "PullLivePushLive", SourceUrls: [], DomainName: "", AppName: "", StreamName: "", StartTime: "", EndTime: "", Operator: "" }).catch((e) => e);
    expect(err).toMatchObject({ code: CLIENT_CODES.connectionReset, ambiguous: true });
    expect(seen).toHaveLength(1);
  });

  it("Create stays non-idempotent when opts carry an undefined idempotent", async () => {
    handlers = [status(503), ok({ TaskId: "t" })];
    const err = await client().createTask({ SourceType: "PullLivePushLive", SourceUrls: [], DomainName: "", AppName: "", StreamName: "", StartTime: "", EndTime: "", Operator: "" }, { region: "ap-tokyo", idempotent: undefined }).catch((e) => e);
    expect(err).toMatchObject({ code: CLIENT_CODES.httpStatus, httpStatus: 503, ambiguous: true });
    expect(seen).toHaveLength(1);
  });

  it("a slow answer times out: ambiguous, not re-sent for Create", async () => {
    handlers = [slow(2_000)];
    const err = await client({ timeoutMs: 100 }).createTask({ SourceType: "PullLivePushLive", SourceUrls: [], DomainName: "", AppName: "", StreamName: "", StartTime: "", EndTime: "", Operator: "" }).catch((e) => e);
    expect(err).toMatchObject({ code: CLIENT_CODES.timeout, ambiguous: true, retryable: true });
    expect(err.message).toMatch(/no complete answer within 100 ms/);
    expect(seen).toHaveLength(1);
  });

  it("a slow answer on an idempotent call is retried after the timeout", async () => {
    handlers = [slow(2_000), ok({ TotalNum: 0, TaskInfos: [] })];
    const r = await client({ timeoutMs: 100 }).describeTasks();
    expect(r.TotalNum).toBe(0);
    expect(seen).toHaveLength(2);
  });

  it("a refused connection is known not sent, so even Create retries it, up to the bound", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const c = client({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 3 });
    const err = await c.createTask({ SourceType: "PullLivePushLive", SourceUrls: [], DomainName: "", AppName: "", StreamName: "", StartTime: "", EndTime: "", Operator: "" }).catch((e) => e);
    expect(err).toMatchObject({ code: CLIENT_CODES.connectionRefused, ambiguous: false, attempts: 3 });
    expect(c.stats().calls.CreateLivePullStreamTask).toBe(3);
  });

  it("an endpoint on a port fetch blocks fails at once with a clear message", async () => {
    const c = client({ endpoint: "http://127.0.0.1:6000" });
    const err = await c.describeTasks().catch((e) => e);
    expect(err).toMatchObject({ code: CLIENT_CODES.blockedPort, retryable: false, ambiguous: false, attempts: 1 });
    expect(err.message).toMatch(/blocked-port list/);
  });

  it("time spent queueing behind the limiter does not count against the retry time budget", async () => {
    handlers = [ok({}), status(503), ok({})];
    // A SecretId of its own keeps this limiter (shared per endpoint + SecretId + action) apart from other tests'.
    const c = client({ limiter: true, rates: { RestartLivePullStreamTask: 1 }, maxRetryMs: 500, random: () => 0, secretId: "AKIDQUEUE" });
    await c.restartTask({ TaskId: "t", Operator: "op" });
    await c.restartTask({ TaskId: "t", Operator: "op" }); // waits ~1 s for its slot, meets a 503, retries
    expect(seen).toHaveLength(3);
    expect(c.stats()).toMatchObject({ retries: 1 });
    expect(c.stats().limiterWaitMs).toBeGreaterThan(500);
  });

  it("a 200 that is not an API envelope is an invalid response", async () => {
    handlers = [(_q, res) => res.end("<html>proxy login</html>")];
    const err = await client({ maxAttempts: 1 }).describeTasks().catch((e) => e);
    expect(err).toMatchObject({ code: CLIENT_CODES.invalidResponse, ambiguous: true });
  });

  it("never lets the SecretKey, the token or URL auth values into errors, stats or the client's printout", async () => {
    handlers = [apiError("InvalidParameter.InvalidSourceUrl", `bad source rtmp://x/y?txSecret=sig0123&txTime=6500AAAA key=${SECRET_KEY} token ${TOKEN}`), status(500, `oops ${SECRET_KEY}`), slow(2_000)];
    const c = client({ securityToken: TOKEN, timeoutMs: 100, maxAttempts: 1 });
    const errors = [
      await c.modifyTask({ TaskId: "t", Operator: "op" }).catch((e) => e),
      await c.modifyTask({ TaskId: "t", Operator: "op" }).catch((e) => e),
      await c.modifyTask({ TaskId: "t", Operator: "op" }).catch((e) => e),
    ];
    const texts = errors.flatMap((e: CssApiError) => [e.message, e.detail, String(e.cause ?? ""), e.stack ?? "", JSON.stringify(e), inspect(e)]);
    texts.push(JSON.stringify(c), inspect(c, { depth: 5, showHidden: true }), JSON.stringify(c.stats()));
    const all = texts.join("\n");
    expect(errors.map((e) => e.code)).toEqual(["InvalidParameter.InvalidSourceUrl", CLIENT_CODES.httpStatus, CLIENT_CODES.timeout]);
    expect(all).not.toContain(SECRET_KEY);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain("sig0123");
    expect(all).not.toContain("6500AAAA");
    expect(all).toContain("txSecret=***");
  });

  it("listAllTasks takes a region string, asks pages of 20 and stops at the last page", async () => {
    handlers = [ok({ TaskInfos: [{ TaskId: "a" }], TotalNum: 2, TotalPage: 2, PageNum: 1, PageSize: 20 }), ok({ TaskInfos: [{ TaskId: "b" }], TotalNum: 2, TotalPage: 2, PageNum: 2, PageSize: 20 })];
    const listed = await client().listAllTasks("ap-tokyo");
    expect(listed.map((t) => t.TaskId)).toEqual(["a", "b"]);
    expect(seen.map((q) => q.headers["x-tc-region"])).toEqual(["ap-tokyo", "ap-tokyo"]);
    expect(seen.map((q) => JSON.parse(q.body))).toEqual([
      { PageNum: 1, PageSize: 20 },
      { PageNum: 2, PageSize: 20 },
    ]);
  });

  it("listAllTasks re-pages a bounded number of times when the count never adds up", async () => {
    handlers = Array.from({ length: 10 }, () => ok({ TaskInfos: [{ TaskId: "a" }, { TaskId: "a" }], TotalNum: 3, TotalPage: 1, PageNum: 1, PageSize: 20 }));
    const listed = await client().listAllTasks();
    expect(listed.map((t) => t.TaskId)).toEqual(["a"]);
    expect(seen).toHaveLength(3);
  });

  it("refuses a malformed region or action before sending anything", async () => {
    await expect(client().describeTasks({}, { region: "广州" })).rejects.toThrow(/region must be a Tencent Cloud region such as ap-guangzhou, got "广州"/);
    await expect(client({ region: "ap guangzhou" }).describeTasks()).rejects.toThrow(/region must be/);
    await expect(client().call("Describe\nTasks", {})).rejects.toThrow(/action must be an API action name/);
    expect(seen).toHaveLength(0);
  });

  it("refuses a non-positive timeout", () => {
    expect(() => client({ timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
  });
});
