import { describe, expect, it } from "vitest";
import { DEFAULT_MARGIN_MS, DOCUMENTED_RATES, rateFor, sharedLimiter, SlidingWindowLimiter, type Clock } from "../../provider/api/limiter";

function fakeClock(): Clock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
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

async function burst(rate: number, n: number): Promise<number[]> {
  const clock = fakeClock();
  const limiter = new SlidingWindowLimiter(rate, clock);
  const times: number[] = [];
  // Every request asks at once, as a large apply does.
  await Promise.all(Array.from({ length: n }, () => limiter.acquire().then(() => times.push(clock.now()))));
  return times;
}

describe("SlidingWindowLimiter", () => {
  for (const rate of [20, 50, 7]) {
    it(`at ${rate}/s: no 1-second window exceeds the rate, and a sustained burst stays ≥ 0.9 × rate`, async () => {
      const n = rate * 12;
      const times = await burst(rate, n);
      expect(times).toHaveLength(n);
      expect(maxInAnyWindow(times)).toBeLessThanOrEqual(rate);
      // Steady state, away from the opening burst: requests granted between 4 s and 10 s, per second.
      const sustained = times.filter((t) => t >= 4000 && t < 10_000).length / 6;
      expect(sustained).toBeGreaterThanOrEqual(0.9 * rate);
      expect(sustained).toBeLessThanOrEqual(rate);
    });
  }

  it("stays within the rate at the server even when each request is delayed by up to the margin", async () => {
    const times = await burst(20, 400);
    let seed = 7;
    const jitter = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed / 2 ** 31) * DEFAULT_MARGIN_MS;
    };
    expect(maxInAnyWindow(times.map((t) => t + jitter()))).toBeLessThanOrEqual(20);
  });

  it("lets the first `rate` requests go at once (no needless wait)", async () => {
    const times = await burst(20, 20);
    expect(new Set(times)).toEqual(new Set([0]));
  });

  it("a fractional rate spaces single requests out", async () => {
    const times = await burst(0.5, 5);
    expect(maxInAnyWindow(times, 2000)).toBe(1);
  });

  it("reports the wait of each acquisition", async () => {
    const clock = fakeClock();
    const limiter = new SlidingWindowLimiter(2, clock);
    const waits = [await limiter.acquire(), await limiter.acquire(), await limiter.acquire()];
    expect(waits[0]).toBe(0);
    expect(waits[1]).toBe(0);
    expect(waits[2]).toBeGreaterThanOrEqual(1000);
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

  it("documented rates: Modify 20/s, Create 50/s, others 20/s; overridable and scalable", () => {
    expect(DOCUMENTED_RATES.ModifyLivePullStreamTask).toBe(20);
    expect(DOCUMENTED_RATES.CreateLivePullStreamTask).toBe(50);
    expect(rateFor("DeleteLivePullStreamTask")).toBe(20);
    expect(rateFor("SomeFutureAction")).toBe(20);
    expect(rateFor("CreateLivePullStreamTask", {}, 0.1)).toBeCloseTo(5);
    expect(rateFor("CreateLivePullStreamTask", { CreateLivePullStreamTask: 3 }, 0.1)).toBe(3);
    expect(() => rateFor("CreateLivePullStreamTask", {}, 0)).toThrow(/rateScale must be a positive number/);
  });
});
