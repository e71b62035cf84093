// Client-side rate limiter: a sliding window of send times per action. It grants at most `rate`
// sends in any window of (1 s + margin); the margin absorbs network jitter that could bunch
// requests together by the time the server counts them. With the default 60 ms margin a sustained
// burst runs at rate / 1.06 ≈ 0.94 × rate.
import type { Action } from "./types";

export const DOCUMENTED_RATES: Record<Action, number> = {
  CreateLivePullStreamTask: 50,
  ModifyLivePullStreamTask: 20,
  DeleteLivePullStreamTask: 20,
  DescribeLivePullStreamTasks: 20,
  RestartLivePullStreamTask: 20,
  DescribeLivePullStreamTaskStatus: 20,
};
/** For actions the documentation gives no rate: the most common documented one. */
export const FALLBACK_RATE = 20;
export const WINDOW_MS = 1000;
export const DEFAULT_MARGIN_MS = 60;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class SlidingWindowLimiter {
  private readonly sent: number[] = [];
  // Acquisitions are served one at a time in arrival order, so no caller can starve another.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private rate: number,
    private readonly clock: Clock = realClock,
    private readonly marginMs: number = DEFAULT_MARGIN_MS,
  ) {
    this.setRate(rate);
  }

  setRate(rate: number): void {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive number of requests per second, got ${rate}`);
    this.rate = rate;
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** Resolves when one more request may be sent; the send is recorded at that moment. Returns the wait in ms. */
  acquire(): Promise<number> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async take(): Promise<number> {
    const started = this.clock.now();
    const window = WINDOW_MS + this.marginMs;
    // A fractional rate (e.g. 0.5/s after scaling) becomes 1 request per 1/rate seconds.
    const capacity = Math.max(1, Math.floor(this.rate));
    const span = this.rate >= 1 ? window : window / this.rate;
    for (;;) {
      const now = this.clock.now();
      while (this.sent.length > 0 && this.sent[0] <= now - span) this.sent.shift();
      if (this.sent.length < capacity) {
        this.sent.push(now);
        return now - started;
      }
      await this.clock.sleep(this.sent[0] + span - now + 1);
    }
  }
}

const registry = new Map<string, SlidingWindowLimiter>();

/**
 * The process-wide limiter for one account (endpoint + SecretId) and action, created on first use.
 * A later caller's rate replaces the earlier one: the newest configuration wins.
 */
export function sharedLimiter(endpoint: string, secretId: string, action: string, rate: number): SlidingWindowLimiter {
  const key = `${endpoint}\n${secretId}\n${action}`;
  let limiter = registry.get(key);
  if (!limiter) {
    limiter = new SlidingWindowLimiter(rate);
    registry.set(key, limiter);
  } else if (limiter.ratePerSecond !== rate) {
    limiter.setRate(rate);
  }
  return limiter;
}

export function rateFor(action: string, overrides: Partial<Record<string, number>> = {}, scale = 1): number {
  if (!(scale > 0)) throw new RangeError(`rateScale must be a positive number, got ${scale}`);
  // An explicit rate is taken as given; the scale (mirroring the emulator's rateScale) applies to documented ones.
  const explicit = overrides[action];
  if (explicit !== undefined) return explicit;
  return ((DOCUMENTED_RATES as Record<string, number>)[action] ?? FALLBACK_RATE) * scale;
}
