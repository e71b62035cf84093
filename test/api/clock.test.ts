// The API clock learned from answers' Date headers, and when check bothers to learn it.
import { describe, expect, it } from "vitest";
import { iso } from "../support/time";
import { CssClient } from "../../provider/api/client";
import { ApiClock, PROBE_RETRY_MS } from "../../provider/api/clock";
import type { FetchLike } from "../../provider/api/transport";
import { dependsOnNow, NEAR_NOW_MS } from "../../provider/clock";

const T0 = Date.parse("2030-05-01T00:00:00Z");
const httpDate = (ms: number) => new Date(ms).toUTCString();

describe("ApiClock", () => {
  it("is the local clock until an answer tells the API's time", () => {
    let local = T0;
    const c = new ApiClock(() => local);
    expect(c.known).toBe(false);
    expect(c.now()).toBe(T0);
    // The server's clock is 3 min ahead; the answer took 200 ms.
    c.observe(httpDate(T0 + 180_000 + 100), T0, T0 + 200);
    expect(c.known).toBe(true);
    expect(Math.abs(c.offsetMs() - 180_000)).toBeLessThanOrEqual(700);
    local += 5000;
    expect(Math.abs(c.now() - (T0 + 5000 + 180_000))).toBeLessThanOrEqual(700);
  });

  it("narrows the offset over answers and starts over when a clock is stepped", () => {
    const c = new ApiClock(() => T0);
    // True offset -120 400 ms. Date headers truncate to seconds.
    const truth = -120_400;
    for (const [sent, rtt] of [[0, 900], [10_000, 50], [20_000, 400], [30_000, 20]]) {
      const serverAt = T0 + sent + rtt / 2 + truth;
      c.observe(httpDate(Math.floor(serverAt / 1000) * 1000), T0 + sent, T0 + sent + rtt);
    }
    expect(Math.abs(c.offsetMs() - truth)).toBeLessThanOrEqual(500);
    // The server's clock was stepped by an hour: the next answer is outside every bound so far.
    c.observe(httpDate(T0 + 40_000 + 3600_000), T0 + 40_000, T0 + 40_010);
    expect(Math.abs(c.offsetMs() - 3600_000)).toBeLessThanOrEqual(1000);
  });

  it("treats an offset within the Date header's resolution as none, and ignores answers without a date", () => {
    const c = new ApiClock(() => T0);
    c.observe(undefined, T0, T0 + 10);
    c.observe("not a date", T0, T0 + 10);
    expect(c.known).toBe(false);
    c.observe(httpDate(T0), T0, T0 + 10);
    expect(c.offsetMs()).toBe(0);
  });

  it("learn(): one probe for concurrent callers; none again soon after a probe that got no answer", async () => {
    const c = new ApiClock(() => T0);
    let probes = 0;
    const failing = async () => {
      probes++;
      throw new Error("offline");
    };
    await Promise.all([c.learn(failing, 1000), c.learn(failing, 1000), c.learn(failing, 1000)]);
    expect(probes).toBe(1);
    await c.learn(failing, 1000);
    expect(probes).toBe(1);
    let local = T0 + PROBE_RETRY_MS;
    const later = new ApiClock(() => local);
    await later.learn(failing, 1000);
    local += PROBE_RETRY_MS;
    await later.learn(async () => later.observe(httpDate(local + 60_000), local, local), 1000);
    expect(later.offsetMs()).toBeGreaterThan(59_000);
  });

  it("learn() waits no longer than its timeout for a slow probe", async () => {
    const c = new ApiClock();
    const started = Date.now();
    await c.learn(() => new Promise((r) => setTimeout(r, 5000)), 100);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("the client's clock", () => {
  const answer = (status: number, body: string, date: string) => ({ status, headers: { get: (n: string) => (n === "date" ? date : null) }, text: async () => body });
  const client = (fetch: FetchLike, clock: ApiClock) =>
    new CssClient({ secretId: "AKIDC", secretKey: "k", endpoint: "http://127.0.0.1:9", homeDir: "/nonexistent", env: {}, limiter: false, retryQuota: false, maxAttempts: 1, fetch, clock });

  it("learns only from the API's own answers, error envelopes included, not from a proxy's bare status", async () => {
    const ahead = httpDate(Date.now() + 3600_000);
    const clock = new ApiClock();
    await expect(client(async () => answer(503, "Service Unavailable", ahead), clock).describeTasks({})).rejects.toThrow(/HTTP 503/);
    expect(clock.known).toBe(false);
    const envelope = JSON.stringify({ Response: { Error: { Code: "InvalidParameter", Message: "no" }, RequestId: "r1" } });
    await expect(client(async () => answer(200, envelope, ahead), clock).describeTasks({})).rejects.toThrow(/InvalidParameter/);
    expect(Math.abs(clock.offsetMs() - 3600_000)).toBeLessThan(2000);
  });

  it("signs again once with the API's time after SignatureExpire, and then succeeds", async () => {
    const clock = new ApiClock();
    const stamps: number[] = [];
    const serverNow = () => Date.now() + 10 * 60_000;
    const fetch: FetchLike = async (_url, init) => {
      const ts = Number(init.headers["X-TC-Timestamp"]) * 1000;
      stamps.push(ts);
      const body = Math.abs(ts - serverNow()) > 300_000
        ? { Response: { Error: { Code: "AuthFailure.SignatureExpire", Message: "expired" }, RequestId: "r" } }
        : { Response: { TotalNum: 0, TaskInfos: [], RequestId: "r" } };
      return answer(200, JSON.stringify(body), httpDate(serverNow()));
    };
    await expect(client(fetch, clock).describeTasks({})).resolves.toMatchObject({ TotalNum: 0 });
    expect(stamps).toHaveLength(2);
    expect(Math.abs(stamps[1] - serverNow())).toBeLessThan(5000);
  });
});

describe("dependsOnNow: when check learns the API's time first", () => {
  const task = { sourceType: "PullLivePushLive", sourceUrls: ["rtmp://a.example.com/live/x"], domainName: "d.example.com", appName: "live", streamName: "s" };

  it("a new rolling schedule, or one due for renewal, depends on now", () => {
    const rolling = { ...task, schedule: { window: "2h", renewBefore: "30m" } };
    expect(dependsOnNow(rolling, {}, T0)).toBe(true);
    const settled = { ...rolling, startTime: iso(T0 - 3600_000), endTime: iso(T0 + 3 * 3600_000) };
    expect(dependsOnNow(rolling, settled, T0)).toBe(false);
    const due = { ...rolling, startTime: iso(T0 - 3600_000), endTime: iso(T0 + 10 * 60_000) };
    expect(dependsOnNow(rolling, due, T0)).toBe(true);
  });

  it("fixed times depend on now only within NEAR_NOW_MS of it", () => {
    const at = (end: number) => ({ ...task, startTime: iso(end - 3600_000), endTime: iso(end) });
    expect(dependsOnNow(at(T0 + 48 * 3600_000), {}, T0)).toBe(false);
    expect(dependsOnNow(at(T0 + NEAR_NOW_MS - 60_000), {}, T0)).toBe(true);
    expect(dependsOnNow(at(T0 - 60_000), {}, T0)).toBe(true);
    expect(dependsOnNow({ ...task }, {}, T0)).toBe(false);
  });

  it("a time refused by a clock off either way (endTime before a near startTime) costs no request", () => {
    const backwards = { ...task, startTime: iso(T0 + 60_000), endTime: iso(T0 - 60_000) };
    expect(dependsOnNow(backwards, {}, T0)).toBe(false);
  });

  it("input refused by a rule unrelated to time never costs a request", () => {
    const near = { ...task, startTime: iso(T0 - 3600_000), endTime: iso(T0 + 60_000) };
    expect(dependsOnNow(near, {}, T0)).toBe(true);
    expect(dependsOnNow({ ...near, sourceType: "Nonsense" }, {}, T0)).toBe(false);
    expect(dependsOnNow({ ...task, schedule: {} }, {}, T0)).toBe(false);
    expect(dependsOnNow({ ...near, schedule: { window: "2h", renewBefore: "30m" }, sourceUrls: [] }, {}, T0)).toBe(false);
  });
});
