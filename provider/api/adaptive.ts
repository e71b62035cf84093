// The client-side rate of one action on one account, adapted to what the API lets through, after
// the AWS SDK's adaptive retry mode (botocore's ClientRateLimiter / CubicCalculator, our own code):
// until the first throttle the documented rate applies; a throttle cuts the rate to BETA (0.8) × the
// rate it had; answers without a throttle grow it back along a cubic curve
// (CUBIC, RFC 9438) that is flat near the rate that was last throttled and probes beyond it after.
// Why: the documented rate is per account, and several processes may share an account (two
// pipelines, two stacks applied at once). Each paces itself to the whole rate alone; throttles are
// the only news that others are sending too, and cutting on them makes K processes converge on
// the API's rate between them.
//
// One congestion event, one cut: requests sent before the last cut, or within the API's one-second
// window after it, were judged against the old rate, so their throttles say nothing new (TCP cuts
// once per round trip for the same reason).
// Pure: time comes from the `now` given (ms), so tests drive it with a fake clock.

/**
 * Throttles of requests sent within this long after a cut belong to the event that caused it: the
 * API counts a sliding second, so for a second after a cut it still remembers the old rate.
 */
export const EVENT_MS = 1000;
/**
 * The multiplicative decrease on a throttle. CUBIC and the AWS SDK use 0.7, for networks that drop
 * what overruns them. The API refuses the excess before any work and the client retries it without
 * spending the budget, so running over costs little while running under costs throughput: a
 * gentler cut keeps K processes nearer the account's rate (two stacks modifying 150 tasks each:
 * 0.89 × the rate at 0.7, 0.95 × at 0.8; docs/performance.md), for more throttled requests.
 */
export const BETA = 0.8;
/** CUBIC's scaling constant: how fast the rate grows back (requests/s per s³). */
export const SCALE = 0.4;
/** Weight of the past in the measured send rate (exponential smoothing per bucket). */
export const SMOOTHING = 0.8;
/** The send rate is measured over buckets of this length. */
export const BUCKET_MS = 500;
/**
 * The rate never falls below this share of the documented one (nor below 0.5/s): throttles that
 * have nothing to do with the rate (an API having a bad minute) would otherwise slow an apply to a
 * crawl. Ten processes at the floor together still send the documented rate: the API throttles
 * the excess, and throttles are retried, so nothing fails.
 */
export const FLOOR_SHARE = 0.1;
/** The additive increase per second after a cut, as a share of the ceiling (see onSuccess). */
export const ADDITIVE_SHARE = 0.1;
export const MIN_RATE = 0.5;

export interface AdaptiveSnapshot {
  /** Requests per second this process may send now. */
  rate: number;
  /** The documented (or configured) rate: the ceiling. */
  ceiling: number;
  /** Measured send rate (requests/s, smoothed): reported; the cut starts from the allowed rate. */
  measured: number;
  /** Rate at the last cut (CUBIC's W_max); undefined before the first throttle. */
  lastMax?: number;
  /** Cuts made so far. */
  cuts: number;
}

export class AdaptiveRate {
  #ceiling: number;
  #rate: number;
  #measured = 0;
  #bucketStart: number;
  #bucketCount = 0;
  #lastMax?: number;
  #lastCut = -Infinity;
  #k = 0;
  #cutTo = 0;
  #cuts = 0;

  constructor(
    ceiling: number,
    private readonly now: () => number,
  ) {
    this.#ceiling = checkRate(ceiling);
    this.#rate = this.#ceiling;
    this.#bucketStart = now();
  }

  get rate(): number {
    return this.#rate;
  }

  /** Whether the API has throttled this rate yet (before that, the documented rate applies). */
  get adapted(): boolean {
    return this.#lastMax !== undefined;
  }

  get floor(): number {
    return Math.min(this.#ceiling, Math.max(MIN_RATE, this.#ceiling * FLOOR_SHARE));
  }

  /** A new configured ceiling (the newest configuration wins); the current rate stays under it. */
  setCeiling(ceiling: number): void {
    this.#ceiling = checkRate(ceiling);
    this.#rate = Math.min(this.#rate, this.#ceiling);
    if (this.#lastMax === undefined) this.#rate = this.#ceiling;
  }

  /** A request was sent now. */
  onSend(): void {
    const t = this.now();
    this.#roll(t);
    this.#bucketCount++;
  }

  /**
   * The API throttled a request sent at `sentAt` (ms, same clock). Returns whether the rate was
   * cut (false: the request was sent before the last cut, part of the same event).
   */
  onThrottle(sentAt: number): boolean {
    if (sentAt < this.#lastCut + EVENT_MS) return false;
    const t = this.now();
    this.#roll(t);
    // Cut from the rate allowed, not from the measured send rate as the AWS SDK does: a process
    // sending less than it may (read-backs after writes come in bursts) is not the one overrunning
    // the account, and cutting it below what it needs only adds latency (measured with two
    // processes creating and reading back: the Describe rate sank to its floor). If the throttles
    // go on, the next event cuts again.
    const sending = this.#rate;
    // CUBIC's fast convergence (RFC 9438 §4.7): cut again below the last plateau, this process
    // aims lower than it reached, leaving room to processes that are growing.
    const lastMax = this.#lastMax !== undefined && sending < this.#lastMax ? (sending * (1 + BETA)) / 2 : sending;
    this.#lastMax = lastMax;
    this.#k = Math.cbrt((Math.max(0, lastMax - sending * BETA)) / SCALE);
    this.#rate = Math.max(this.floor, sending * BETA);
    this.#cutTo = this.#rate;
    this.#lastCut = t;
    this.#cuts++;
    return true;
  }

  /** An answer that was not a throttle: grow back along the cubic curve (not before any throttle). */
  onSuccess(): void {
    if (this.#lastMax === undefined) return;
    const t = this.now();
    this.#roll(t);
    const since = (t - this.#lastCut) / 1000;
    // Growth needs answers, so an idle process banks no rate; unlike the AWS SDK the rate is not
    // capped at twice the measured one: that cap kept a process cut to the floor there while
    // another held the account's whole rate (measured with test/api/adaptive.test.ts).
    const cubic = SCALE * (since - this.#k) ** 3 + this.#lastMax;
    // CUBIC's TCP-friendly region (RFC 9438 §4.3) in our units: never slower than an additive
    // increase of the same size for every process, so that a process cut to the floor grows back
    // as fast as one holding most of the rate, and they converge on equal shares (AIMD).
    const additive = this.#cutTo + ADDITIVE_SHARE * this.#ceiling * since;
    const next = Math.max(cubic, additive);
    this.#rate = Math.min(this.#ceiling, Math.max(this.floor, next, this.#rate));
  }

  snapshot(): AdaptiveSnapshot {
    return {
      rate: this.#rate,
      ceiling: this.#ceiling,
      measured: this.#measured,
      ...(this.#lastMax === undefined ? {} : { lastMax: this.#lastMax }),
      cuts: this.#cuts,
    };
  }

  #roll(t: number): void {
    const elapsed = t - this.#bucketStart;
    if (elapsed < BUCKET_MS) return;
    const current = (this.#bucketCount * 1000) / elapsed;
    this.#measured = this.#measured === 0 ? current : current * (1 - SMOOTHING) + this.#measured * SMOOTHING;
    this.#bucketStart = t;
    this.#bucketCount = 0;
  }
}

function checkRate(rate: number): number {
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new RangeError(`rate must be a positive number of requests per second, got ${rate}`);
  }
  return rate;
}
