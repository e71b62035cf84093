import { describe, expect, it } from "vitest";
import { CLIENT_CODES, CssApiError } from "../../provider/api/errors";
import { RetryQuota } from "../../provider/api/quota";
import { backoffDelay, DEFAULT_RETRY, shouldRetry, THROTTLE_MAX_DELAY_MS, withRetry } from "../../provider/api/retry";

function apiError(code: string, extra: Partial<ConstructorParameters<typeof CssApiError>[0]> = {}): CssApiError {
  return new CssApiError({ code, message: `${code} happened`, action: "ModifyLivePullStreamTask", requestId: "r", ...extra });
}

/** A fake clock: sleep advances time instead of waiting. */
function fakeTime() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** fn failing with the given errors in turn, then succeeding. */
function script(errors: CssApiError[], result = "ok") {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    fn: async () => {
      const e = errors[calls++];
      if (e) throw e;
      return result;
    },
  };
}

describe("withRetry", () => {
  it("retries a throttle, then succeeds", async () => {
    const time = fakeTime();
    const s = script([apiError("RequestLimitExceeded"), apiError("RequestLimitExceeded")]);
    const retries: number[] = [];
    await expect(withRetry(s.fn, { ...time, random: () => 0.5, onRetry: (_e, n) => retries.push(n) })).resolves.toBe("ok");
    expect(s.calls).toBe(3);
    expect(retries).toEqual([1, 2]);
    expect(time.sleeps).toEqual([125, 250]); // half of 250, half of 500: full jitter with random 0.5
  });

  it("retries InternalError and HTTP 5xx on idempotent calls", async () => {
    const time = fakeTime();
    const s = script([apiError("InternalError"), apiError(CLIENT_CODES.httpStatus, { httpStatus: 502 }), apiError(CLIENT_CODES.connectionReset), apiError(CLIENT_CODES.timeout)]);
    await expect(withRetry(s.fn, { ...time, random: () => 0 })).resolves.toBe("ok");
    expect(s.calls).toBe(5);
  });

  for (const code of ["InvalidParameter.InvalidTaskTime", "AuthFailure.SignatureFailure", "MissingParameter", "InvalidParameter.TaskNotExist", "UnknownParameter"]) {
    it(`returns the business error ${code} at once, not retried`, async () => {
      const time = fakeTime();
      const s = script([apiError(code)]);
      const err = await withRetry(s.fn, time).catch((e) => e);
      expect(err).toBeInstanceOf(CssApiError);
      expect(err.code).toBe(code);
      expect(s.calls).toBe(1);
      expect(time.sleeps).toEqual([]);
    });
  }

  it("on a non-idempotent call, an ambiguous failure surfaces at once with ambiguous=true", async () => {
    for (const e of [apiError("InternalError"), apiError(CLIENT_CODES.timeout), apiError(CLIENT_CODES.connectionReset), apiError(CLIENT_CODES.httpStatus, { httpStatus: 500 })]) {
      const s = script([e]);
      const err = await withRetry(s.fn, { ...fakeTime(), idempotent: false }).catch((x) => x);
      expect(err.ambiguous).toBe(true);
      expect(err.code).toBe(e.code);
      expect(s.calls).toBe(1);
    }
  });

  it("on a non-idempotent call, retries failures known not to have been applied", async () => {
    const s = script([apiError("RequestLimitExceeded"), apiError(CLIENT_CODES.connectionRefused, { ambiguous: false })]);
    await expect(withRetry(s.fn, { ...fakeTime(), idempotent: false })).resolves.toBe("ok");
    expect(s.calls).toBe(3);
  });

  it("is bounded in attempts and says so", async () => {
    const s = script(Array.from({ length: 20 }, () => apiError("InternalError")));
    const err = await withRetry(s.fn, { ...fakeTime(), random: () => 0 }).catch((e) => e);
    expect(s.calls).toBe(DEFAULT_RETRY.maxAttempts);
    expect(err.code).toBe("InternalError");
    expect(err.attempts).toBe(6);
    expect(err.message).toMatch(/gave up after 6 attempts/);
  });

  it("is bounded in total time", async () => {
    const time = fakeTime();
    const s = script(Array.from({ length: 20 }, () => apiError("InternalError")));
    const err = await withRetry(s.fn, { ...time, random: () => 0.999, maxAttempts: 50, maxRetryMs: 5_000 }).catch((e) => e);
    expect(time.now()).toBeLessThanOrEqual(5_000);
    expect(s.calls).toBeLessThan(50);
    expect(err.message).toMatch(/retry time limit 5 s/);
  });

  it("does not retry errors that are not CssApiErrors (programming faults)", async () => {
    let calls = 0;
    const err = await withRetry(async () => {
      calls++;
      throw new TypeError("boom");
    }, fakeTime()).catch((e) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it("refuses maxAttempts below 1", async () => {
    await expect(withRetry(async () => 1, { maxAttempts: 0 })).rejects.toThrow(/maxAttempts must be at least 1/);
  });
});

describe("throttles", () => {
  it("never count against maxAttempts: 30 throttles in a row, then success", async () => {
    const s = script(Array.from({ length: 30 }, () => apiError("RequestLimitExceeded")));
    const time = fakeTime();
    await expect(withRetry(s.fn, { ...time, random: () => 0.5 })).resolves.toBe("ok");
    expect(s.calls).toBe(31);
    // Short backoff: the limiter paces the retries, the backoff only spreads a burst.
    expect(Math.max(...time.sleeps)).toBeLessThanOrEqual(THROTTLE_MAX_DELAY_MS);
  });

  it("never spend the retry budget, and a success after them refills only what other faults cost", async () => {
    const quota = new RetryQuota(10);
    const s = script([...Array.from({ length: 8 }, () => apiError("RequestLimitExceeded")), apiError("InternalError")]);
    await expect(withRetry(s.fn, { ...fakeTime(), quota })).resolves.toBe("ok");
    // The InternalError retry cost 5; the success put those 5 back; the throttles cost nothing.
    expect(quota.tokens).toBe(10);
    const empty = new RetryQuota(0);
    const t = script(Array.from({ length: 8 }, () => apiError("RequestLimitExceeded")));
    await expect(withRetry(t.fn, { ...fakeTime(), quota: empty })).resolves.toBe("ok");
  });

  it("give up only when the time budget is spent, saying how long they tried", async () => {
    const s = script(Array.from({ length: 10_000 }, () => apiError("RequestLimitExceeded")));
    const time = fakeTime();
    const err = await withRetry(s.fn, { ...time, random: () => 0.999, maxRetryMs: 20_000 }).catch((e) => e);
    expect(err.code).toBe("RequestLimitExceeded");
    expect(time.now()).toBeLessThanOrEqual(20_000);
    expect(s.calls).toBeGreaterThan(DEFAULT_RETRY.maxAttempts);
    expect(err.message).toMatch(/throttled \d+ times over 19\.\d s \(retry time limit 20 s\)/);
  });

  it("are retried on a non-idempotent call (refused before any work)", async () => {
    const s = script([apiError("RequestLimitExceeded"), apiError("RequestLimitExceeded.UinLimitExceeded")]);
    await expect(withRetry(s.fn, { ...fakeTime(), idempotent: false })).resolves.toBe("ok");
  });
});

describe("backoff", () => {
  it("full jitter under an exponential ceiling capped at maxDelayMs", () => {
    const p = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, p, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, p, () => 0)).toBe(0);
  });

  it("shouldRetry follows retryable and, for non-idempotent calls, ambiguity", () => {
    expect(shouldRetry(apiError("InternalError"), true)).toBe(true);
    expect(shouldRetry(apiError("InternalError"), false)).toBe(false);
    expect(shouldRetry(apiError("RequestLimitExceeded"), false)).toBe(true);
    expect(shouldRetry(apiError("InvalidParameter"), true)).toBe(false);
    expect(shouldRetry(new Error("x"), true)).toBe(false);
  });
});
