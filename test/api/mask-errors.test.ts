import { describe, expect, it } from "vitest";
import { CLIENT_CODES, CssApiError, isAmbiguousCode, isRetryableCode } from "../../provider/api/errors";
import { AUTH_PARAM_NAMES, maskSecrets, redact } from "../../provider/api/mask";

describe("maskSecrets", () => {
  const cases: [string, string][] = [
    ["rtmp://push.example.com/live/s?txSecret=0123abcd&txTime=5F5E0FFF", "rtmp://push.example.com/live/s?txSecret=***&txTime=***"],
    ["https://src.example.com/a.flv?x=1&sign=deadbeef&y=2", "https://src.example.com/a.flv?x=1&sign=***&y=2"],
    ["txSecret=abc&bak=1", "txSecret=***&bak=1"],
    ["PushArgs=txSecret=abc&txTime=1", "PushArgs=txSecret=***&txTime=***"],
    ['{"SourceUrls":["https://cdn.example.com/v.mp4?auth_key=1700000000-0-0-abc"]}', '{"SourceUrls":["https://cdn.example.com/v.mp4?auth_key=***"]}'],
    ["invalid url https://h/p?TOKEN=AbC123 refused", "invalid url https://h/p?TOKEN=*** refused"],
    ["s3 https://b.s3.amazonaws.com/k?X-Amz-Signature=abcd&X-Amz-Credential=AKIA/2026", "s3 https://b.s3.amazonaws.com/k?X-Amz-Signature=***&X-Amz-Credential=***"],
    ["rtmp://user:p4ssw0rd@host/app/stream", "rtmp://user:***@host/app/stream"],
    ["https://h/p?key=s3cr3t#frag", "https://h/p?key=***#frag"],
  ];
  for (const [input, want] of cases) {
    it(`masks ${input.slice(0, 50)}`, () => {
      expect(maskSecrets(input)).toBe(want);
    });
  }

  it("leaves names that merely end like an auth parameter, and plain text, alone", () => {
    const text = "monkey=1&hotkey=2&design=3 InvalidParameter.InvalidSourceUrl: the url is bad";
    expect(maskSecrets(text)).toBe(text);
  });

  it("is idempotent", () => {
    for (const [input] of cases) expect(maskSecrets(maskSecrets(input))).toBe(maskSecrets(input));
  });

  it("masks every listed parameter name", () => {
    for (const name of AUTH_PARAM_NAMES) {
      expect(maskSecrets(`https://h/p?${name}=VALUE123`)).toBe(`https://h/p?${name}=***`);
    }
  });

  it("redact removes exact secrets anywhere, then masks URLs", () => {
    expect(redact("key is Gu5t9xGARNpq86cd98joQYCN3 and https://h/?txSecret=a", ["Gu5t9xGARNpq86cd98joQYCN3", undefined])).toBe("key is *** and https://h/?txSecret=***");
  });
});

describe("CssApiError", () => {
  it("carries code, action, RequestId and a message naming them", () => {
    const e = new CssApiError({ code: "InvalidParameter.TaskNotExist", message: "task not exist", action: "ModifyLivePullStreamTask", requestId: "req-1" });
    expect(e.message).toBe("ModifyLivePullStreamTask failed: InvalidParameter.TaskNotExist: task not exist (RequestId req-1)");
    expect(e).toMatchObject({ code: "InvalidParameter.TaskNotExist", action: "ModifyLivePullStreamTask", requestId: "req-1", retryable: false, ambiguous: false, detail: "task not exist" });
  });

  it("never holds a secret key, token or URL auth value in message, detail, cause, stack or JSON", () => {
    const key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    const token = "session-token-0123456789";
    const e = new CssApiError({
      code: "InvalidParameter.InvalidSourceUrl",
      message: `bad url rtmp://a/b?txSecret=topsecretsig&txTime=65000000 (signed with ${key}, token ${token})`,
      action: "CreateLivePullStreamTask",
      secrets: [key, token],
      cause: new Error(`socket said ${key}`),
    });
    const texts = [e.message, e.detail, String(e.cause), e.stack ?? "", JSON.stringify(e), String(e)];
    for (const t of texts) {
      expect(t).not.toContain(key);
      expect(t).not.toContain(token);
      expect(t).not.toContain("topsecretsig");
      expect(t).not.toContain("65000000");
    }
  });

  it("classifies retryable and ambiguous failures", () => {
    expect([isRetryableCode("RequestLimitExceeded"), isAmbiguousCode("RequestLimitExceeded")]).toEqual([true, false]);
    expect([isRetryableCode("RequestLimitExceeded.UinLimitExceeded"), isAmbiguousCode("RequestLimitExceeded.UinLimitExceeded")]).toEqual([true, false]);
    expect([isRetryableCode("InternalError"), isAmbiguousCode("InternalError")]).toEqual([true, true]);
    expect([isRetryableCode(CLIENT_CODES.httpStatus, 503), isAmbiguousCode(CLIENT_CODES.httpStatus, 503)]).toEqual([true, true]);
    expect([isRetryableCode(CLIENT_CODES.httpStatus, 404), isAmbiguousCode(CLIENT_CODES.httpStatus, 404)]).toEqual([false, false]);
    expect([isRetryableCode(CLIENT_CODES.timeout), isAmbiguousCode(CLIENT_CODES.timeout)]).toEqual([true, true]);
    expect([isRetryableCode(CLIENT_CODES.connectionReset), isAmbiguousCode(CLIENT_CODES.connectionReset)]).toEqual([true, true]);
    expect([isRetryableCode(CLIENT_CODES.connectionRefused), isAmbiguousCode(CLIENT_CODES.connectionRefused)]).toEqual([true, false]);
    expect([isRetryableCode(CLIENT_CODES.tls), isAmbiguousCode(CLIENT_CODES.tls)]).toEqual([false, false]);
    expect([isRetryableCode(CLIENT_CODES.blockedPort), isAmbiguousCode(CLIENT_CODES.blockedPort)]).toEqual([false, false]);
    for (const code of ["InvalidParameter", "InvalidParameter.InvalidTaskTime", "AuthFailure.SignatureFailure", "AuthFailure.SignatureExpire", "MissingParameter", "UnknownParameter", "LimitExceeded", "FailedOperation", "ResourceNotFound.UserNotExist"]) {
      expect([code, isRetryableCode(code), isAmbiguousCode(code)]).toEqual([code, false, false]);
    }
  });
});
