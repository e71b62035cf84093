// A retry budget shared by every call of the process to one account, modelled on the AWS SDK's
// standard retry mode: a bucket of tokens, a retry spends some (a timeout more, it held a
// connection for the whole timeout), a success puts some back. In an outage the bucket empties
// after about a hundred retries and later failures surface at once instead of every one of 200
// parallel operations retrying 6 times; when the service recovers, successes refill it.
import { CLIENT_CODES, type CssApiError } from "./errors";

export const QUOTA_CAPACITY = 500;
export const RETRY_COST = 5;
export const TIMEOUT_RETRY_COST = 10;
/** Refilled by a success that needed no retry. */
export const SUCCESS_REFILL = 1;

export class RetryQuota {
  #tokens: number;

  constructor(readonly capacity = QUOTA_CAPACITY) {
    if (!(capacity >= 0)) throw new RangeError(`retry quota capacity must be 0 or more, got ${capacity}`);
    this.#tokens = capacity;
  }

  get tokens(): number {
    return this.#tokens;
  }

  /** Tokens for one retry after `err`: the cost taken, or undefined when the budget cannot pay it. */
  take(err: CssApiError): number | undefined {
    const cost = err.code === CLIENT_CODES.timeout ? TIMEOUT_RETRY_COST : RETRY_COST;
    if (this.#tokens < cost) return undefined;
    this.#tokens -= cost;
    return cost;
  }

  /** A call succeeded; `spent` is what its last retry cost (0 when it needed none). */
  refill(spent: number): void {
    this.#tokens = Math.min(this.capacity, this.#tokens + (spent > 0 ? spent : SUCCESS_REFILL));
  }
}

const registry = new Map<string, RetryQuota>();

/** The process-wide budget for one account (endpoint + SecretId), created on first use. */
export function sharedQuota(endpoint: string, secretId: string): RetryQuota {
  const key = `${endpoint}\n${secretId}`;
  let quota = registry.get(key);
  if (!quota) {
    quota = new RetryQuota();
    registry.set(key, quota);
  }
  return quota;
}
