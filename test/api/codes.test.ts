// One classification of every code the models list for the six actions: a refusal is never
// retried and never read back as "maybe applied"; InternalError.InvalidInput is a refusal.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_CODES, classifyCode, listedCodes } from "../../provider/api/codes";
import { CssApiError, isAmbiguousCode, isRetryableCode } from "../../provider/api/errors";

describe("error codes of the pull-task actions", () => {
  it("InternalError.InvalidInput (Delete: 'the parameter check failed') is a refusal: not retried, not ambiguous", () => {
    const err = new CssApiError({ code: "InternalError.InvalidInput", message: "bad TaskId", action: "DeleteLivePullStreamTask" });
    expect([err.retryable, err.ambiguous]).toEqual([false, false]);
    expect(classifyCode("InternalError.InvalidInput")).toBe("refusal");
  });

  it("only the throttle is retryable; InternalError and CallOtherSvrFailed are outcome unknown; the rest refusals", () => {
    const byClass = (c: string) => listedCodes().filter((code) => classifyCode(code) === c);
    expect(byClass("retryable")).toEqual(["RequestLimitExceeded"]);
    expect(byClass("outcome-unknown")).toEqual(["FailedOperation.CallOtherSvrFailed", "InternalError"]);
    for (const code of byClass("refusal")) expect([code, isRetryableCode(code), isAmbiguousCode(code)]).toEqual([code, false, false]);
    expect([isRetryableCode("FailedOperation.CallOtherSvrFailed"), isAmbiguousCode("FailedOperation.CallOtherSvrFailed")]).toEqual([true, true]);
    // Codes no model lists follow their category.
    expect(classifyCode("InternalError.Unknown")).toBe("outcome-unknown");
    expect(classifyCode("RequestLimitExceeded.UinLimitExceeded")).toBe("retryable");
    expect(classifyCode("InvalidParameter.Whatever")).toBe("refusal");
  });

  it("the quota code is Create's InvalidParameter.TaskNumMoreThanLimit, a refusal", () => {
    expect(ACTION_CODES.CreateLivePullStreamTask).toContain("InvalidParameter.TaskNumMoreThanLimit");
    expect(classifyCode("InvalidParameter.TaskNumMoreThanLimit")).toBe("refusal");
  });

  it("docs/api-rules.md's table lists every code with its class", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "api-rules.md"), "utf8");
    for (const code of listedCodes()) {
      const row = doc.split("\n").find((l) => l.startsWith(`| \`${code}\` |`));
      expect(row, code).toBeDefined();
      expect(row!.split("|")[2].trim(), code).toBe(classifyCode(code));
    }
  });
});
