// The client's shared resources under failure: a limiter slot is never leaked, plain http leaves
// only loopback, and a process-wide retry budget stops an outage from multiplying the traffic.
import { describe, expect, it } from "vitest";
import { CssClient, type ClientOptions } from "../../provider/api/client";
import { CredentialsError } from "../../provider/api/credentials";
import { CLIENT_CODES, CssApiError } from "../../provider/api/errors";
import { QUOTA_CAPACITY, RETRY_COST, RetryQuota, TIMEOUT_RETRY_COST, sharedQuota } from "../../provider/api/quota";
import type { FetchLike } from "../../provider/api/transport";

const answer = (status: number, value: unknown) => ({ status, text: async () => (typeof value === "string" ? value : JSON.stringify(value)) });
const okFetch: FetchLike = async () => answer(200, { Response: { TotalNum: 0, TaskInfos: [], RequestId: "r" } });

let endpointSeq = 0;
function client(extra: Partial<ClientOptions> = {}): CssClient {
  // A fresh loopback endpoint per client: the limiter and the budget are shared per account.
  const endpoint = `http://127.0.0.${++endpointSeq % 250 + 2}:${10_000 + endpointSeq}`;
  return new CssClient({ secretId: "AKIDBUDGET", secretKey: "k", endpoint, region: "ap-guangzhou", homeDir: "/nonexistent", env: {}, sleep: async () => {}, fetch: okFetch, ...extra });
}

function within<T>(p: Promise<T>, ms: number): Promise<T | "pending"> {
  return Promise.race([p, new Promise<"pending">((r) => setTimeout(() => r("pending"), ms))]);
}

describe("limiter slot", () => {
  it("is released when signing throws: at rate 1 the next call still goes out", async () => {
    let first = true;
    // A clock that fails once (NaN is no Unix time): signing throws after the slot was granted.
    const c = client({ rates: { DescribeLivePullStreamTasks: 1 }, now: () => (first ? ((first = false), NaN) : Date.now()) });
    await expect(c.describeTasks({})).rejects.toThrow(RangeError);
    // The slot counts 1 s + margin after its release; a leaked one would hold it forever.
    await expect(within(c.describeTasks({}), 4000)).resolves.toMatchObject({ TotalNum: 0 });
  });
});

describe("plain http endpoints", () => {
  const base = { secretId: "AKIDX", secretKey: "k", homeDir: "/nonexistent", env: {} };
  it("are refused unless loopback, naming the setting", () => {
    expect(() => new CssClient({ ...base, endpoint: "http://live.tencentcloudapi.com" })).toThrow(CredentialsError);
    expect(() => new CssClient({ ...base, endpoint: "http://10.0.0.5:8080" })).toThrow(/the endpoint option must use https.*loopback/);
    expect(() => new CssClient({ ...base, config: { "tencentcloud:cssEndpoint": "http://proxy.example.com" } })).toThrow(/tencentcloud:cssEndpoint/);
    expect(() => new CssClient({ ...base, env: { TENCENTCLOUD_CSS_ENDPOINT: "http://proxy.example.com" } })).toThrow(/TENCENTCLOUD_CSS_ENDPOINT/);
  });

  it("are accepted for loopback hosts, https anywhere", () => {
    for (const endpoint of ["http://127.0.0.1:4566", "http://localhost:1234", "http://[::1]:9", "http://127.1.2.3", "https://proxy.example.com"]) {
      expect(new CssClient({ ...base, endpoint }).endpoint).toBe(new URL(endpoint).origin);
    }
  });
});

describe("retry budget", () => {
  it("200 parallel calls in an outage retry about a hundred times in all, not 5 times each", async () => {
    let sent = 0;
    const down: FetchLike = async () => {
      sent++;
      return answer(503, "Service Unavailable");
    };
    const c = client({ fetch: down, limiter: false });
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => c.describeTasks({})));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    // Without a budget: 200 × 6 = 1200 requests. With it: 200 first attempts + 500 / 5 retries.
    expect(sent).toBe(200 + QUOTA_CAPACITY / RETRY_COST);
    expect(c.stats()).toMatchObject({ retries: QUOTA_CAPACITY / RETRY_COST, retriesRefused: 200 });
    const refused = results.map((r) => (r as PromiseRejectedResult).reason as CssApiError).filter((e) => /retry budget is spent/.test(e.message));
    expect(refused.length).toBe(200);
  });

  it("is shared by every client of the account in the process, and successes refill it", async () => {
    const a = client();
    const endpoint = a.endpoint;
    const quota = sharedQuota(endpoint, "AKIDBUDGET");
    let failures = 2;
    const flaky: FetchLike = async () => (failures-- > 0 ? answer(503, "down") : answer(200, { Response: { RequestId: "r" } }));
    const b = new CssClient({ secretId: "AKIDBUDGET", secretKey: "k", endpoint, region: "ap-guangzhou", homeDir: "/nonexistent", env: {}, sleep: async () => {}, fetch: flaky });
    await b.describeTasks({});
    // Two retries took 10; the success refunded its last retry's 5.
    expect(quota.tokens).toBe(QUOTA_CAPACITY - 2 * RETRY_COST + RETRY_COST);
    await a.describeTasks({});
    expect(quota.tokens).toBe(QUOTA_CAPACITY - RETRY_COST + 1);
  });

  it("charges a timeout more than other failures and never exceeds its capacity", () => {
    const q = new RetryQuota(20);
    const err = (code: string) => new CssApiError({ code, message: "x", action: "A" });
    expect(q.take(err(CLIENT_CODES.timeout))).toBe(TIMEOUT_RETRY_COST);
    expect(q.take(err("InternalError"))).toBe(RETRY_COST);
    expect(q.take(err(CLIENT_CODES.timeout))).toBeUndefined(); // 5 left, a timeout costs 10
    expect(q.take(err("InternalError"))).toBe(RETRY_COST);
    expect(q.tokens).toBe(0);
    for (let i = 0; i < 100; i++) q.refill(0);
    expect(q.tokens).toBe(20);
  });

  it("can be switched off per client", async () => {
    let sent = 0;
    const down: FetchLike = async () => {
      sent++;
      return answer(503, "down");
    };
    const c = client({ fetch: down, limiter: false, retryQuota: false, maxAttempts: 3 });
    await Promise.allSettled(Array.from({ length: 150 }, () => c.describeTasks({})));
    expect(sent).toBe(450);
  });
});
