// Exponential backoff with full jitter (delay = random × min(cap, base × 2^(n-1))), bounded in
// attempts and in total time. Only CssApiErrors marked retryable are retried; for calls that are
// not idempotent, only failures known not to have been applied are.
import { CssApiError } from "./errors";
import type { RetryQuota } from "./quota";

export interface RetryPolicy {
  /** Attempts in all, the first included. Default 6. */
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
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await fn(attempt);
      opts.quota?.refill(spent);
      return result;
    } catch (err) {
      if (err instanceof CssApiError) err.attempts = attempt;
      if (!shouldRetry(err, idempotent)) throw err;
      if (attempt >= policy.maxAttempts) throw giveUp(err, `after ${attempt} attempts`);
      const delay = backoffDelay(attempt, policy, random);
      const elapsed = now() - started;
      if (elapsed + delay > policy.maxRetryMs) {
        throw giveUp(
          err,
          `after ${attempt} attempts in ${Math.round(elapsed / 100) / 10} s ` +
            `(retry time limit ${policy.maxRetryMs / 1000} s)`,
        );
      }
      if (opts.quota) {
        const cost = opts.quota.take(err);
        if (cost === undefined) {
          opts.onQuotaRefused?.(err);
          throw giveUp(err, `after ${attempt} attempts: this process's retry budget is spent (many failures lately)`);
        }
        spent = cost;
      }
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}

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
