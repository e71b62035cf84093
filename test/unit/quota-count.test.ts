// The task quota's pure count and words (provider/quota/count.ts): when a plan's Creates do not fit
// the account's free slots, and what the warning and the refused Create then say.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  countEnded,
  exceedsQuota,
  figuresOf,
  freeSlots,
  isQuotaRefusal,
  PRUNE_COMMAND,
  QUOTA_CODE,
  quotaRefusalHint,
  quotaWarning,
} from "../../provider/quota/count";

const NOW = Date.parse("2026-06-01T00:00:00Z");

describe("the quota count", () => {
  it("Creates fit while each finds a free slot: LimitTaskNum − TotalNum of them, never fewer than 0", () => {
    expect(freeSlots({ total: 3, limit: 4 })).toBe(1);
    expect(exceedsQuota({ total: 3, limit: 4 }, 1)).toBe(false);
    expect(exceedsQuota({ total: 3, limit: 4 }, 2)).toBe(true);
    expect(exceedsQuota({ total: 0, limit: 0 }, 1)).toBe(true);
    // An account already over its limit (lowered since) has no slot, not a negative number.
    expect(freeSlots({ total: 9, limit: 4 })).toBe(0);
    fc.assert(
      fc.property(fc.nat(500), fc.nat(500), fc.nat(500), (total, limit, creates) =>
        exceedsQuota({ total, limit }, creates) === total + creates > Math.max(total, limit),
      ),
    );
  });

  it("reads TotalNum and LimitTaskNum from a listing answer, or nothing when either is missing", () => {
    expect(figuresOf({ TotalNum: 2, LimitTaskNum: 200, TaskInfos: [] } as never)).toEqual({ total: 2, limit: 200 });
    expect(figuresOf({ TotalNum: 2 })).toBeUndefined();
    expect(figuresOf({ TotalNum: -1, LimitTaskNum: 3 })).toBeUndefined();
  });

  it("counts the tasks whose EndTime is not after now (by the API's clock)", () => {
    const tasks = [
      { EndTime: "2026-05-31T23:00:00Z" },
      { EndTime: "2026-06-01T00:00:00Z" },
      { EndTime: "2026-06-01T01:00:00Z" },
      { EndTime: "not a time" },
      {},
    ];
    expect(countEnded(tasks, NOW)).toBe(2);
  });
});

describe("what it says", () => {
  it("the warning: the Creates counted, TotalNum with its ended tasks, LimitTaskNum, where up fails, prune", () => {
    const text = quotaWarning({ total: 3, limit: 4, ended: 1 }, 2);
    expect(text).toMatch(/^warning: task quota: this plan has at least 2 Creates/);
    expect(text).toContain("the account holds 3 tasks, 1 of them ended (TotalNum) of the 4 it may (LimitTaskNum), so 1 more fit");
    expect(text).toContain(`\`up\` would fail at Create 2 with ${QUOTA_CODE}`);
    expect(text).toContain(PRUNE_COMMAND);
    expect(text).toContain("auto-cleanup of expired tasks");
  });

  it("without ended tasks it does not offer prune as the way out; without the listing it offers it", () => {
    const none = quotaWarning({ total: 4, limit: 4, ended: 0 }, 1);
    expect(none).toContain("none of them ended");
    expect(none).toContain("none has ended, so `prune --ended` frees nothing");
    expect(none).not.toContain(PRUNE_COMMAND);
    const uncounted = quotaWarning({ total: 4, limit: 4 }, 1);
    expect(uncounted).toContain("the account holds 4 tasks (TotalNum)");
    expect(uncounted).toContain(PRUNE_COMMAND);
  });

  it("the refused Create's addition: the figures when read, the way out always", () => {
    expect(quotaRefusalHint({ total: 200, limit: 200, ended: 12 })).toBe(
      "the account's task quota is used up: the account holds 200 tasks, 12 of them ended (TotalNum) of the 200 it " +
        `may (LimitTaskNum). To make room: delete ended tasks no stack holds (\`${PRUNE_COMMAND}\`, a dry run until ` +
        "--yes; ended tasks count until deleted), switch on auto-cleanup of expired tasks in the console, delete " +
        "tasks no longer needed, or ask Tencent Cloud for a higher quota; then run `pulumi up` again",
    );
    expect(quotaRefusalHint(undefined)).toMatch(/^the account's task quota is used up\. To make room: delete ended/);
  });

  it("knows the refusal by its code, also inside the write protocol's wrapped message", () => {
    expect(isQuotaRefusal({ code: QUOTA_CODE, message: "x" })).toBe(true);
    expect(isQuotaRefusal(new Error(`CreateLivePullStreamTask failed: ${QUOTA_CODE}: full; no task with ...`))).toBe(true);
    expect(isQuotaRefusal(new Error("CreateLivePullStreamTask failed: InvalidParameter.InvalidTaskTime"))).toBe(false);
    expect(isQuotaRefusal(undefined)).toBe(false);
  });
});
