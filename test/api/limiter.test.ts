import { describe, expect, it } from "vitest";
import { DEFAULT_RATE as EMULATOR_DEFAULT, DOCUMENTED_RATES as EMULATOR_RATES } from "../../emulator/ratelimit";
import { rateFor, sharedLimiter, SlidingWindowLimiter, type Clock, type Permit } from "../../provider/api/limiter";
import { MAX_PAGE_SIZE as EMULATOR_MAX_PAGE_SIZE } from "../../emulator/models";
import { DOCUMENTED_RATES, FALLBACK_RATE, MAX_PAGE_SIZE } from "../../provider/api/limits";

/** A manual clock: sleeps are timers that fire when run() moves time forward to them. */
class ManualClock implements Clock {
  t = 0;
  private timers: { at: number; resolve: () => void }[] = [];
  now = () => this.t;
  sleep = (ms: number) => new Promise<void>((resolve) => this.timers.push({ at: this.t + ms, resolve }));
  /** Fires timers in time order until `work` settles. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const out = work.finally(() => (settled = true));
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (settled) return out;
      if (this.timers.length === 0) throw new Error("stuck: nothing left to wait for");
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
  }
}

/** The most requests a server would count in any window [t, t + 1000 ms). */
function maxInAnyWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

interface Timeline {
  /** When each request reached the server (where it is counted). */
  arrivals: number[];
  grants: number[];
}

/**
 * n requests asked for at once through one limiter. Each reaches the server `sendDelay` after its
 * grant and its answer comes `answerDelay` after that (both per request); the permit is released then,
 * or, with `releaseOnSend`, as soon as it is granted (a caller that counts send times only).
 */
async function burst(
  rate: number,
  n: number,
  sendDelay: (i: number) => number = () => 0,
  answerDelay: (i: number) => number = () => 0,
  releaseOnSend = false,
): Promise<Timeline> {
  const clock = new ManualClock();
  const limiter = new SlidingWindowLimiter(rate, clock);
  const t: Timeline = { arrivals: [], grants: [] };
  const one = async (i: number) => {
    const permit = await limiter.acquire();
    t.grants.push(clock.now());
    if (releaseOnSend) permit.release();
    const d1 = sendDelay(i);
    const d2 = answerDelay(i);
    if (d1 > 0) await clock.sleep(d1);
    t.arrivals.push(clock.now());
    if (d2 > 0) await clock.sleep(d2);
    permit.release();
  };
  await clock.run(Promise.all(Array.from({ length: n }, (_, i) => one(i))));
  return t;
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe("SlidingWindowLimiter", () => {
  for (const rate of [20, 50, 7]) {
    it(`at ${rate}/s: no 1-second window exceeds the rate, and a sustained burst stays ≥ 0.9 × rate`, async () => {
      const n = rate * 12;
      const { arrivals } = await burst(rate, n);
      expect(arrivals).toHaveLength(n);
      expect(maxInAnyWindow(arrivals)).toBe(rate);
      // Steady state, away from the opening burst: requests granted between 4 s and 10 s, per second.
      const sustained = arrivals.filter((t) => t >= 4000 && t < 10_000).length / 6;
      expect(sustained).toBeGreaterThanOrEqual(0.9 * rate);
      expect(sustained).toBeLessThanOrEqual(rate);
    });
  }

  it("stays within the rate at the server whatever the network and queueing delays", async () => {
    const r = lcg(7);
    // Up to 400 ms before the server counts a request, up to 300 ms more before its answer.
    const delays = Array.from({ length: 400 }, () => [r() * 400, r() * 300]);
    const { arrivals } = await burst(20, 400, (i) => delays[i][0], (i) => delays[i][1]);
    expect(arrivals).toHaveLength(400);
    expect(maxInAnyWindow(arrivals)).toBeLessThanOrEqual(20);
  });

  it("control: the same limiter and delays, with each slot released when sent, overrun the server's window", async () => {
    const r = lcg(7);
    const delays = Array.from({ length: 400 }, () => [r() * 400, r() * 300]);
    const { arrivals } = await burst(20, 400, (i) => delays[i][0], (i) => delays[i][1], true);
    expect(arrivals).toHaveLength(400);
    expect(maxInAnyWindow(arrivals)).toBeGreaterThan(20);
  });

  it("lets the first `rate` requests go at once (no needless wait)", async () => {
    const { grants } = await burst(20, 20);
    expect(new Set(grants)).toEqual(new Set([0]));
  });

  it("a fractional rate spaces single requests out", async () => {
    const { arrivals } = await burst(0.5, 5);
    expect(maxInAnyWindow(arrivals, 2000)).toBe(1);
  });

  it("a request in flight keeps its slot until released", async () => {
    const clock = new ManualClock();
    const limiter = new SlidingWindowLimiter(2, clock);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    expect([a.waitedMs, b.waitedMs]).toEqual([0, 0]);
    let third: Permit | undefined;
    const pending = limiter.acquire().then((p) => (third = p));
    clock.t = 5_000;
    await new Promise((r) => setImmediate(r));
    expect(third).toBeUndefined();
    a.release();
    a.release(); // a second release changes nothing
    await clock.run(pending);
    expect(clock.now()).toBeGreaterThanOrEqual(5_000 + 1_000);
    expect(third!.waitedMs).toBeGreaterThanOrEqual(6_000);
  });

  it("refuses a rate that is not a positive number", () => {
    expect(() => new SlidingWindowLimiter(0)).toThrow(/rate must be a positive number/);
    expect(() => new SlidingWindowLimiter(Number.NaN)).toThrow(/rate must be a positive number/);
  });
});

describe("shared limiters and rates", () => {
  it("one instance per endpoint, SecretId and action in the process", () => {
    const a = sharedLimiter("http://e1", "AKID1", "ModifyLivePullStreamTask", 20);
    expect(sharedLimiter("http://e1", "AKID1", "ModifyLivePullStreamTask", 20)).toBe(a);
    expect(sharedLimiter("http://e1", "AKID1", "CreateLivePullStreamTask", 50)).not.toBe(a);
    expect(sharedLimiter("http://e1", "AKID2", "ModifyLivePullStreamTask", 20)).not.toBe(a);
    expect(sharedLimiter("http://e2", "AKID1", "ModifyLivePullStreamTask", 20)).not.toBe(a);
    sharedLimiter("http://e1", "AKID1", "ModifyLivePullStreamTask", 5);
    expect(a.ratePerSecond).toBe(5);
  });

  it("the client's rates and page size agree with the emulator's independent reading of the documentation", () => {
    expect(MAX_PAGE_SIZE).toBe(EMULATOR_MAX_PAGE_SIZE);
    const emulator = (action: string) => EMULATOR_RATES[action] ?? EMULATOR_DEFAULT;
    for (const [action, rate] of Object.entries(DOCUMENTED_RATES)) expect([action, rate]).toEqual([action, emulator(action)]);
    expect(FALLBACK_RATE).toBe(EMULATOR_DEFAULT);
  });

  it("the documented rates: Create and Delete 50/s (intl 267/48356), Describe 30/s (267/48355), the rest 20/s", () => {
    expect(DOCUMENTED_RATES).toEqual({
      CreateLivePullStreamTask: 50,
      ModifyLivePullStreamTask: 20,
      DeleteLivePullStreamTask: 50,
      DescribeLivePullStreamTasks: 30,
      RestartLivePullStreamTask: 20,
      DescribeLivePullStreamTaskStatus: 20,
    });
  });

  it("rateFor: documented rates, a fallback for undocumented actions; overridable and scalable", () => {
    expect(rateFor("ModifyLivePullStreamTask")).toBe(DOCUMENTED_RATES.ModifyLivePullStreamTask);
    expect(rateFor("SomeFutureAction")).toBe(FALLBACK_RATE);
    expect(rateFor("SomeFutureAction")).toBe(FALLBACK_RATE);
    expect(rateFor("CreateLivePullStreamTask", {}, 0.1)).toBeCloseTo(5);
    expect(rateFor("CreateLivePullStreamTask", { CreateLivePullStreamTask: 3 }, 0.1)).toBe(3);
    expect(() => rateFor("CreateLivePullStreamTask", {}, 0)).toThrow(/rateScale must be a positive number/);
  });
});
