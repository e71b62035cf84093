// The native provider's config → the settings the shared core resolves credentials from.
import { describe, expect, test } from "vitest";
import { checkConfig, configDeprecations, fromVariables, toSettings } from "../../plugin/config";
import { secret } from "../../plugin/secrets";
import { parseUrn, identityFromUrn } from "../../plugin/provider";
import { resourceIdentity } from "../../provider/identity";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("plugin config", () => {
  test("maps to the dynamic provider's stack config keys, secrets unwrapped, numbers as text", () => {
    expect(
      toSettings({
        secretId: secret("AKID1"),
        secretKey: secret("k1"),
        securityToken: secret("t1"),
        region: "ap-tokyo",
        cssEndpoint: "http://127.0.0.1:4566",
        requestTimeoutMs: 5000,
        maxTaskSpanDays: 14,
        version: "0.1.0",
      }),
    ).toEqual({
      "tencentcloud:secretId": "AKID1",
      "tencentcloud:secretKey": "k1",
      "tencentcloud:securityToken": "t1",
      "tencentcloud:region": "ap-tokyo",
      "tencentcloud:cssEndpoint": "http://127.0.0.1:4566",
      "tencentcloud:requestTimeoutMs": "5000",
      "tencentcloud:maxTaskSpanDays": "14",
    });
  });

  test("the endpoint is cssEndpoint on both faces; the old plugin name still works, with a deprecation warning", () => {
    const key = "tencentcloud:cssEndpoint";
    expect(toSettings({ endpoint: "http://old:1" })).toEqual({ [key]: "http://old:1" });
    expect(toSettings({ endpoint: "http://old:1", cssEndpoint: "http://new:2" })).toEqual({ [key]: "http://new:2" });
    expect(toSettings({ cssEndpoint: "http://new:2", endpoint: "http://old:1" })).toEqual({ [key]: "http://new:2" });
    expect(configDeprecations({ cssEndpoint: "http://new:2" }, "tencentcloud-css")).toEqual([]);
    expect(configDeprecations({ endpoint: "http://old:1" }, "tencentcloud-css")).toEqual([
      expect.stringMatching(/^warning: tencentcloud-css:endpoint is deprecated; use tencentcloud-css:cssEndpoint/),
    ]);
    expect(configDeprecations({ endpoint: "http://old:1", cssEndpoint: "http://new:2" }, "tencentcloud-css")[0]).toMatch(
      /ignored: cssEndpoint is set too/,
    );
    expect(fromVariables({ "tencentcloud-css:config:endpoint": "http://old:1" }, "tencentcloud-css")).toEqual({ endpoint: "http://old:1" });
  });

  test("a value not known yet (preview) is neither a setting nor a failure", () => {
    expect(toSettings({ region: UNKNOWN, secretId: secret(UNKNOWN), secretKey: secret(UNKNOWN) })).toEqual({});
    expect(checkConfig({ region: UNKNOWN, requestTimeoutMs: UNKNOWN })).toEqual([]);
  });

  test("maxTaskSpanDays is checked against the documented range 1..30, once per property", () => {
    expect(checkConfig({ maxTaskSpanDays: 30 })).toEqual([]);
    expect(checkConfig({ maxTaskSpanDays: "7" })).toEqual([]);
    expect(checkConfig({ maxTaskSpanDays: 45 })).toEqual([
      { property: "maxTaskSpanDays", reason: expect.stringMatching(/whole number of days from 1 to 30/) },
    ]);
    expect(checkConfig({ maxTaskSpanDays: 2.5 }).map((f) => f.property)).toEqual(["maxTaskSpanDays"]);
  });

  test("Configure's flat variables: only this package's keys", () => {
    expect(fromVariables({ "tencentcloud-css:config:region": "ap-seoul", "aws:region": "us-east-1", "tencentcloud-css:config:other": "x" }, "tencentcloud-css")).toEqual({
      region: "ap-seoul",
    });
  });

  test("the URN gives the dynamic resource's identity, names with :: and parent types included", () => {
    expect(identityFromUrn("urn:pulumi:prod::media::tencentcloud-css:index:LivePullStreamTask::relay")).toBe(resourceIdentity("media", "prod", "relay"));
    expect(parseUrn("urn:pulumi:prod::media::my:index:Group$tencentcloud-css:index:LivePullStreamTask::a::b")).toEqual({
      stack: "prod",
      project: "media",
      type: "my:index:Group$tencentcloud-css:index:LivePullStreamTask",
      name: "a::b",
    });
    expect(() => parseUrn("relay")).toThrow(/not a resource URN/);
  });
});
