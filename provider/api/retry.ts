// Exponential backoff with full jitter (delay = random × min(cap, base × 2^(n-1))), bounded in
// attempts and in total time. Only CssApiErrors marked retryable are retried; for calls that are
// not idempotent, only failures known not to have been applied are.
// A throttle is not a failure of the service: it is refused before any work, so retrying it is
// always safe, and the limiter has already slowed down (adaptive.ts). Throttles therefore count
// neither against maxAttempts nor against the retry budget; they are retried until the call's time
// budget (maxRetryMs, queueing behind the limiter excluded) is spent, with a short backoff (the
// limiter does the pacing). The attempts and the budget stay for faults that mean an outage.
import { CssApiError, isThrottle } from "./errors";
import type { RetryQuota } from "./quota";

export interface RetryPolicy {
  /** Attempts in all, the first included, not counting those the API throttled. Default 6. */
  maxAttempts?: number;
  /** No new attempt starts after this much time has passed since the first. Default 60 s. */
  maxRetryMs?: number;
  /** First backoff ceiling. Default 250 ms. */
  baseDelayMs?: number;
  /** Largest backoff ceiling. Default 10 s. */
  maxDelayMs?: number;
}

export interface RetryOptions extends RetryPolicy {
  /** False for calls whose repetition could apply a change twice (Create). Default true. */
  idempotent?: boolean;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1). */
  random?: () => number;
  now?: () => number;
  /** Called before each backoff, e.g. to count retries and throttles. */
  onRetry?: (err: CssApiError, attempt: number, delayMs: number) => void;
  /** The process's retry budget (quota.ts): no retry without tokens for it. */
  quota?: RetryQuota;
  /** Called when the budget refused a retry. */
  onQuotaRefused?: (err: CssApiError) => void;
}

export const DEFAULT_RETRY: Required<RetryPolicy> = {
  maxAttempts: 6,
  maxRetryMs: 60_000,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
};

/** Backoff ceiling after throttles: the limiter paces the retry; this only spreads a burst. */
export const THROTTLE_MAX_DELAY_MS = 1000;

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function backoffDelay(
  attempt: number,
  policy: Pick<Required<RetryPolicy>, "baseDelayMs" | "maxDelayMs">,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Whether this failure deserves another attempt under the call's idempotency. */
export function shouldRetry(err: unknown, idempotent: boolean): err is CssApiError {
  if (!(err instanceof CssApiError) || !err.retryable) return false;
  return idempotent || !err.ambiguous;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const policy = { ...DEFAULT_RETRY, ...definedOnly(opts) };
  if (!(policy.maxAttempts >= 1)) throw new RangeError(`maxAttempts must be at least 1, got ${policy.maxAttempts}`);
  const idempotent = opts.idempotent ?? true;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const started = now();
  let spent = 0;
  // Attempts that failed for a reason other than a throttle, and throttles seen.
  let failures = 0;
  let throttles = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await fn(attempt);
      opts.quota?.refill(spent);
      return result;
    } catch (err) {
      if (err instanceof CssApiError) err.attempts = attempt;
      if (!shouldRetry(err, idempotent)) throw err;
      const elapsed = now() - started;
      if (isThrottle(err.code)) {
        throttles++;
        const cap = Math.min(THROTTLE_MAX_DELAY_MS, policy.maxDelayMs);
        const delay = backoffDelay(throttles, { ...policy, maxDelayMs: cap }, random);
        if (elapsed + delay > policy.maxRetryMs) {
          throw giveUp(
            err,
            `after ${attempt} attempts: throttled ${throttles} times over ${seconds(elapsed)} s ` +
              `(retry time limit ${policy.maxRetryMs / 1000} s)`,
          );
        }
        opts.onRetry?.(err, attempt, delay);
        await sleep(delay);
        continue;
      }
      failures++;
      if (failures >= policy.maxAttempts) throw giveUp(err, `after ${attempt} attempts${throttled(throttles)}`);
      const delay = backoffDelay(failures, policy, random);
      if (elapsed + delay > policy.maxRetryMs) {
        throw giveUp(
          err,
          `after ${attempt} attempts in ${seconds(elapsed)} s${throttled(throttles)} ` +
            `(retry time limit ${policy.maxRetryMs / 1000} s)`,
        );
      }
      if (opts.quota) {
        const cost = opts.quota.take(err);
        if (cost === undefined) {
          opts.onQuotaRefused?.(err);
          throw giveUp(
            err,
            `after ${attempt} attempts: this process's retry budget is spent (many failures lately)`,
          );
        }
        spent = cost;
      }
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}

const seconds = (ms: number): number => Math.round(ms / 100) / 10;
const throttled = (n: number): string => (n > 0 ? ` (${n} of them throttled)` : "");

function giveUp(err: CssApiError, why: string): CssApiError {
  err.message = `${err.message}; gave up ${why}`;
  return err;
}

function definedOnly(p: RetryPolicy): Partial<Required<RetryPolicy>> {
  const out: Partial<Required<RetryPolicy>> = {};
  for (const k of ["maxAttempts", "maxRetryMs", "baseDelayMs", "maxDelayMs"] as const) {
    if (p[k] !== undefined) out[k] = p[k];
  }
  return out;
}
