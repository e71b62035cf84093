// Client-side rate limiter: a sliding window per action. A request holds its slot from the grant
// until its answer (or failure) arrives, and the slot stays counted for a further 1 s + margin.
// Why the answer and not the send: the server counts a request somewhere between our send and its
// answer (queueing, TLS, body parsing); only the answer time is a sure upper bound. So request i+N
// is sent more than 1 s after the server counted request i, whatever the latency: no 1-second window
// at the server ever holds more than N. A burst then runs at N / (1 s + margin + latency), about
// 0.97 × N on a fast link with the default 20 ms margin (the margin covers clock granularity).
// The rate itself adapts (adaptive.ts): it starts at the documented rate, drops when the API
// throttles (another process is sending on the same account) and grows back. Below the documented
// rate requests are spaced 1/rate apart; the window still holds the documented rate, so no server
// second ever sees more than that from one process.
import { AdaptiveRate } from "./adaptive";
import { DOCUMENTED_RATES, FALLBACK_RATE } from "./limits";

export const WINDOW_MS = 1000;
export const DEFAULT_MARGIN_MS = 20;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** How a request ended, for the adaptive rate: throttled by the API, answered, or failed otherwise. */
export type Outcome = "throttled" | "answered" | "failed";

/** One granted request. Call release() once its answer or failure is in; extra calls are ignored. */
export interface Permit {
  /** Time spent waiting for the grant, in ms. */
  waitedMs: number;
  release(outcome?: Outcome): void;
}

interface Slot {
  /** When the answer came; Infinity while the request is in flight. */
  end: number;
}

export class SlidingWindowLimiter {
  private slots: Slot[] = [];
  readonly adaptive: AdaptiveRate;
  // Acquisitions are served one at a time in arrival order, so no caller can starve another.
  private queue: Promise<unknown> = Promise.resolve();
  private wake?: () => void;
  private lastSend = -Infinity;

  constructor(
    private rate: number,
    private readonly clock: Clock = realClock,
    private readonly marginMs: number = DEFAULT_MARGIN_MS,
  ) {
    this.setRate(rate);
    this.adaptive = new AdaptiveRate(rate, () => this.clock.now());
  }

  /** The ceiling: the documented or configured rate (the adaptive rate stays at or under it). */
  setRate(rate: number): void {
    if (!(rate > 0) || !Number.isFinite(rate)) {
      throw new RangeError(`rate must be a positive number of requests per second, got ${rate}`);
    }
    this.rate = rate;
    this.adaptive?.setCeiling(rate);
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** The rate requests go out at now (the ceiling until the API first throttles). */
  get currentRate(): number {
    return this.adaptive.rate;
  }

  /** Resolves when one more request may be sent. */
  acquire(): Promise<Permit> {
    const started = this.clock.now();
    const turn = this.queue.then(() => this.take(started));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(started: number): Promise<Permit> {
    for (;;) {
      // Recomputed each turn: the adaptive rate may have moved while this caller waited.
      const { capacity, span } = this.window();
      const now = this.clock.now();
      this.slots = this.slots.filter((s) => s.end > now - span);
      // Once the API has throttled, requests are also spaced 1/rate apart (a token bucket holding
      // one token): bursts of a whole window land at the instant another process's window frees
      // up, and the process sending them would keep the account's rate while others starve.
      const paced = this.adaptive.adapted ? this.lastSend + 1000 / this.adaptive.rate - now : 0;
      if (this.slots.length < capacity && paced <= 0) {
        const slot: Slot = { end: Infinity };
        this.slots.push(slot);
        this.lastSend = now;
        this.adaptive.onSend();
        return { waitedMs: now - started, release: (outcome) => this.release(slot, now, outcome) };
      }
      if (paced > 0 && this.slots.length < capacity) {
        await this.clock.sleep(paced);
        continue;
      }
      const earliest = Math.min(...this.slots.map((s) => s.end));
      if (earliest === Infinity) {
        await new Promise<void>((resolve) => (this.wake = resolve));
      } else {
        await this.clock.sleep(earliest + span - now + 1);
      }
    }
  }

  /**
   * The window enforces the ceiling (the documented rate): a fractional one (e.g. 0.5/s after
   * scaling) becomes 1 request per 1/rate seconds. Below the ceiling, the adaptive rate is kept by
   * spacing requests (take()), not by the window, whose span after the answer would cost a few
   * percent of the rate for nothing.
   */
  private window(): { capacity: number; span: number } {
    const capacity = Math.max(1, Math.floor(this.rate));
    return { capacity, span: (WINDOW_MS + this.marginMs) / Math.min(1, this.rate) };
  }

  private release(slot: Slot, sentAt: number, outcome?: Outcome): void {
    if (slot.end !== Infinity) return;
    if (outcome === "throttled") this.adaptive.onThrottle(sentAt);
    else if (outcome === "answered") this.adaptive.onSuccess();
    slot.end = this.clock.now();
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
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
