// "This SpecifyTaskId is in use" has no error code of its own (CreateLivePullStreamTask's documented
// codes: FailedOperation, InvalidParameter and its named sub-codes, InvalidParameterValue,
// ResourceNotFound.*): it is read from a generic code's English message, which the client asks for
// with X-TC-Language: en-US, and never from "exist", which "does not exist" matches.
import { describe, expect, it } from "vitest";
import { CssClient } from "../../provider/api/client";
import { CssApiError } from "../../provider/api/errors";
import type { FetchLike } from "../../provider/api/transport";
import { isIdInUse } from "../../provider/protocol/ids";
import { startEmulator } from "../../emulator";

const refusal = (code: string, message: string) => new CssApiError({ code, message, action: "CreateLivePullStreamTask" });

describe("isIdInUse", () => {
  it("reads the emulator's documented-code answer and the usual wordings", () => {
    expect(isIdInUse(refusal("InvalidParameter", "SpecifyTaskId x is already used by task 1: a repeated create must not duplicate it"))).toBe(true);
    expect(isIdInUse(refusal("FailedOperation", "task already exists"))).toBe(true);
    expect(isIdInUse(refusal("InvalidParameter", "the specified task id is in use"))).toBe(true);
    expect(isIdInUse(refusal("ResourceInUse", "whatever"))).toBe(true);
    expect(isIdInUse(refusal("InvalidParameter", "SpecifyTaskId is not available"))).toBe(true);
  });

  it("never takes 'does not exist', a named sub-code or an unrelated refusal for it", () => {
    expect(isIdInUse(refusal("InvalidParameter.TaskNotExist", "task 1 does not exist"))).toBe(false);
    expect(isIdInUse(refusal("FailedOperation", "the callback host does not exist"))).toBe(false);
    expect(isIdInUse(refusal("InvalidParameter", "SpecifyTaskId must be at most 64 characters"))).toBe(false);
    expect(isIdInUse(refusal("InvalidParameter.InvalidSourceUrl", "source url already in use by nothing"))).toBe(false);
    expect(isIdInUse(refusal("InvalidParameter", "DomainName must not be empty when ToUrl is not given"))).toBe(false);
  });
});

describe("X-TC-Language", () => {
  it("every request asks for English unless told otherwise", async () => {
    const seen: (string | undefined)[] = [];
    const fetch: FetchLike = async (_url, init) => {
      seen.push((init.headers as Record<string, string>)["X-TC-Language"]);
      return { status: 200, text: async () => JSON.stringify({ Response: { TotalNum: 0, TaskInfos: [], RequestId: "r" } }) };
    };
    const base = { secretId: "AKIDLANG", secretKey: "k", region: "ap-guangzhou", homeDir: "/nonexistent", env: {}, fetch, limiter: false };
    await new CssClient({ ...base, endpoint: "http://127.0.0.1:1" }).describeTasks({});
    await new CssClient({ ...base, endpoint: "http://127.0.0.1:2", language: "zh-CN" }).describeTasks({});
    expect(seen).toEqual(["en-US", "zh-CN"]);
  });
});

describe("the emulator's answer to a reused SpecifyTaskId", () => {
  it("is InvalidParameter (a documented code of the action), read as 'in use' by the client", async () => {
    const emu = await startEmulator({ port: 0 });
    try {
      const client = new CssClient({ endpoint: emu.url, secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key", region: "ap-guangzhou", homeDir: "/nonexistent", env: {} });
      const now = Date.now();
      const req = {
        SourceType: "PullLivePushLive", SourceUrls: ["rtmp://src.example.com/live/a"], DomainName: "push.example.com",
        AppName: "live", StreamName: "in-use", StartTime: new Date(now + 60_000).toISOString().replace(/\.\d+Z$/, "Z"),
        EndTime: new Date(now + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z"), Operator: "t", SpecifyTaskId: "pulumi-in-use",
      };
      await client.createTask(req);
      const err = await client.createTask(req).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CssApiError);
      expect((err as CssApiError).code).toBe("InvalidParameter");
      expect(isIdInUse(err as CssApiError)).toBe(true);
    } finally {
      await emu.close();
    }
  });
});
