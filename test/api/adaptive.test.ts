// The adaptive rate (provider/api/adaptive.ts) with a fake clock: cut on throttles, once per
// event; cubic growth back; floor and ceiling; and K processes sharing one account converge on
// the account's rate between them (a simulated server counting a sliding 1-second window).
import { describe, expect, it } from "vitest";
import { AdaptiveRate, BETA, EVENT_MS, FLOOR_SHARE } from "../../provider/api/adaptive";
import { SlidingWindowLimiter, type Clock } from "../../provider/api/limiter";
import { mulberry32 } from "../../emulator/faults";

function fakeClock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** Sends at the controller's rate for `ms`, so that the measured send rate follows it. */
function sendFor(a: AdaptiveRate, clock: ReturnType<typeof fakeClock>, ms: number): void {
  for (let done = 0; done < ms; done += 10) {
    clock.advance(10);
    const due = Math.round(((done + 10) * a.rate) / 1000) - Math.round((done * a.rate) / 1000);
    for (let i = 0; i < due; i++) a.onSend();
    a.onSuccess();
  }
}

describe("AdaptiveRate", () => {
  it("keeps the documented rate until the API first throttles", () => {
    const clock = fakeClock();
    const a = new AdaptiveRate(20, clock.now);
    sendFor(a, clock, 3000);
    expect(a.rate).toBe(20);
    expect(a.snapshot().cuts).toBe(0);
  });

  it("cuts to BETA × the rate it had, once per event: throttles of requests sent before the cut or within the API's second after it are the same event", () => {
    const clock = fakeClock();
    const a = new AdaptiveRate(20, clock.now);
    sendFor(a, clock, 2000);
    const sentAt = clock.now() - 5;
    expect(a.onThrottle(sentAt)).toBe(true);
    expect(a.rate).toBeCloseTo(20 * BETA, 5);
    const cut = a.rate;
    clock.advance(300);
    // Answers for requests sent before the cut, or sent while the API still counts the old rate.
    for (let i = 0; i < 9; i++) expect(a.onThrottle(sentAt)).toBe(false);
    expect(a.onThrottle(clock.now())).toBe(false);
    expect(a.rate).toBe(cut);
    // A request sent once the API's window has moved past the cut, throttled too: a new event.
    clock.advance(EVENT_MS);
    expect(a.onThrottle(clock.now())).toBe(true);
    expect(a.rate).toBeLessThan(cut);
  });

  it("grows back along the cubic curve: near the last throttled rate after K seconds, to the ceiling later", () => {
    const clock = fakeClock();
    const a = new AdaptiveRate(20, clock.now);
    sendFor(a, clock, 2000);
    a.onThrottle(clock.now());
    const lastMax = a.snapshot().lastMax!;
    const k = Math.cbrt((lastMax * (1 - BETA)) / 0.4);
    const rates: number[] = [];
    for (let s = 0; s < 8; s++) {
      sendFor(a, clock, 1000);
      rates.push(a.rate);
    }
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeGreaterThanOrEqual(rates[i - 1]);
    // Concave below lastMax, then convex beyond it: at K seconds it is within 10% of lastMax.
    expect(rates[Math.floor(k) - 1]).toBeLessThanOrEqual(lastMax);
    expect(rates[Math.ceil(k)]).toBeGreaterThan(lastMax * 0.9);
    expect(rates[7]).toBe(20);
  });

  it("never falls under its floor, never rises over the ceiling, follows a new ceiling", () => {
    const clock = fakeClock();
    const a = new AdaptiveRate(50, clock.now);
    sendFor(a, clock, 1000);
    for (let i = 0; i < 40; i++) {
      clock.advance(EVENT_MS + 10);
      a.onThrottle(clock.now());
    }
    expect(a.rate).toBe(50 * FLOOR_SHARE);
    a.setCeiling(2);
    expect(a.rate).toBeLessThanOrEqual(2);
    expect(() => new AdaptiveRate(0, clock.now)).toThrow(/positive/);
  });
});

/**
 * K processes, each with its own limiter (as K provider hosts), sending as fast as their limiters
 * allow to one simulated account that accepts `rate` requests in any sliding second and throttles
 * the rest (refused requests are not counted, as the emulator and the API do).
 */
async function shareOneAccount(k: number, rate: number, seconds: number) {
  let t = 0;
  const timers: { at: number; wake: () => void }[] = [];
  const clock: Clock = {
    now: () => t,
    sleep: (ms) => new Promise((resolve) => timers.push({ at: t + ms, wake: () => resolve() })),
  };
  const accepted: number[] = [];
  let throttled = 0;
  // Seeded jitter on the latency: real processes are not in lock-step.
  const rand = mulberry32(k);
  const latency = () => 10 + 20 * rand();
  const limiters = Array.from({ length: k }, () => new SlidingWindowLimiter(rate, clock));
  let stop = false;
  const worker = async (limiter: SlidingWindowLimiter) => {
    while (!stop) {
      const permit = await limiter.acquire();
      await clock.sleep(latency());
      while (accepted.length && accepted[0] <= t - 1000) accepted.shift();
      const ok = accepted.length < rate;
      if (ok) accepted.push(t);
      else throttled++;
      const at = t;
      await clock.sleep(latency());
      permit.release(ok ? "answered" : "throttled");
      if (ok) counted.push(at);
    }
  };
  const counted: number[] = [];
  // Each process keeps more requests in flight than its limiter lets through (the engine's --parallel).
  const running = limiters.flatMap((l) => Array.from({ length: 2 * rate }, () => worker(l)));
  const end = seconds * 1000;
  while (t < end) {
    await new Promise((resolve) => setImmediate(resolve));
    timers.sort((a, b) => a.at - b.at);
    const next = timers.shift();
    if (!next) continue;
    t = Math.max(t, next.at);
    next.wake();
  }
  stop = true;
  for (const tm of timers.splice(0)) tm.wake();
  void running;
  const from = end / 3;
  const steady = counted.filter((x) => x >= from).length / ((end - from) / 1000);
  return { steady, throttled, rates: limiters.map((l) => l.currentRate) };
}

describe("K processes on one account", () => {
  for (const k of [1, 2, 4]) {
    it(`${k} limiter(s) at the documented rate 20/s converge on it between them (≥ 0.9 × 20/s accepted)`, async () => {
      const r = await shareOneAccount(k, 20, 30);
      expect(r.steady).toBeGreaterThanOrEqual(18);
      expect(r.steady).toBeLessThanOrEqual(20.5);
      if (k === 1) expect(r.throttled).toBe(0);
      // Without adapting, K processes at 20/s each would see (K − 1) throttles per accepted request;
      // adapted, fewer than half as many (the gentle cut, BETA, trades throttles for throughput).
      else expect(r.throttled).toBeLessThan(((k - 1) / 2) * r.steady * 30);
    }, 20_000);
  }
});
