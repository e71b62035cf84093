// Our TC3 signer against the official SDK's (tencentcloud-sdk-nodejs-common Sign.sign3) on fixed vectors.
import { describe, expect, it } from "vitest";
import Sign from "tencentcloud-sdk-nodejs-common/tencentcloud/common/sign";
import { authorization, CONTENT_TYPE, signRequest, utcDate } from "../../provider/api/sign";

const SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

function officialAuthorization(v: { host: string; timestamp: number; body: string; service: string; secretKey?: string }): string {
  return Sign.sign3({
    method: "POST",
    url: `https://${v.host}/`,
    // A Buffer is hashed byte for byte by the SDK, so both signers see the same body.
    payload: Buffer.from(v.body, "utf8"),
    timestamp: v.timestamp,
    service: v.service,
    secretId: SECRET_ID,
    secretKey: v.secretKey ?? SECRET_KEY,
    multipart: false,
    boundary: "",
    headers: { "Content-Type": CONTENT_TYPE },
  });
}

const vectors = [
  { name: "empty object body", host: "live.tencentcloudapi.com", timestamp: 1_700_000_000, body: "{}" },
  {
    name: "create request",
    host: "live.tencentcloudapi.com",
    timestamp: 1_551_113_065,
    body: JSON.stringify({
      SourceType: "PullLivePushLive",
      SourceUrls: ["rtmp://src.example.com/live/a?txSecret=abc&txTime=5F5E0FFF"],
      DomainName: "push.example.com",
      AppName: "live",
      StreamName: "s1",
      StartTime: "2026-11-25T10:00:00Z",
      EndTime: "2026-11-26T10:00:00Z",
      Operator: "pulumi",
    }),
  },
  { name: "unicode comment", host: "live.tencentcloudapi.com", timestamp: 1_764_000_000, body: JSON.stringify({ TaskId: "t-1", Operator: "运维", Comment: "直播 🎥 ünïcödé" }) },
  { name: "one second before midnight UTC", host: "live.tencentcloudapi.com", timestamp: Date.UTC(2026, 0, 31, 23, 59, 59) / 1000, body: '{"TaskId":"x"}' },
  { name: "exactly midnight UTC", host: "live.tencentcloudapi.com", timestamp: Date.UTC(2026, 1, 1, 0, 0, 0) / 1000, body: '{"TaskId":"x"}' },
  { name: "leap day", host: "live.tencentcloudapi.com", timestamp: Date.UTC(2028, 1, 29, 12, 0, 0) / 1000, body: '{"PageNum":1,"PageSize":20}' },
  { name: "international endpoint", host: "live.intl.tencentcloudapi.com", timestamp: 1_800_000_000, body: '{"TaskId":"abc","Operator":"ci"}' },
  { name: "empty body", host: "live.tencentcloudapi.com", timestamp: 1_700_000_123, body: "" },
  { name: "large body", host: "live.tencentcloudapi.com", timestamp: 1_700_000_456, body: JSON.stringify({ SourceUrls: Array.from({ length: 30 }, (_, i) => `https://vod.example.com/${i}.mp4`) }) },
];

describe("TC3-HMAC-SHA256 signing equals the official SDK", () => {
  for (const v of vectors) {
    it(v.name, () => {
      const ours = authorization({ secretId: SECRET_ID, secretKey: SECRET_KEY, service: "live", host: v.host, timestamp: v.timestamp, body: v.body });
      expect(ours).toBe(officialAuthorization({ ...v, service: "live" }));
    });
  }

  it("equals the SDK's own path, where it serialises an object payload itself", () => {
    const payload = { TaskId: "task-1", Operator: "运维", SourceUrls: ["rtmp://a/b?txSecret=x"], WatermarkList: [{ Location: 0, Width: 1.5 }], VodLoopTimes: -1 };
    const official = Sign.sign3({ method: "POST", url: "https://live.tencentcloudapi.com/", payload, timestamp: 1_764_072_000, service: "live", secretId: SECRET_ID, secretKey: SECRET_KEY, multipart: false, boundary: "", headers: { "Content-Type": CONTENT_TYPE } });
    expect(authorization({ secretId: SECRET_ID, secretKey: SECRET_KEY, service: "live", host: "live.tencentcloudapi.com", timestamp: 1_764_072_000, body: JSON.stringify(payload) })).toBe(official);
  });

  it("signs the scope date in UTC around midnight", () => {
    expect(utcDate(Date.UTC(2026, 0, 31, 23, 59, 59) / 1000)).toBe("2026-01-31");
    expect(utcDate(Date.UTC(2026, 1, 1, 0, 0, 0) / 1000)).toBe("2026-02-01");
  });

  it("a different key, body byte or timestamp changes the signature", () => {
    const base = { secretId: SECRET_ID, secretKey: SECRET_KEY, service: "live", host: "live.tencentcloudapi.com", timestamp: 1_700_000_000, body: '{"a":1}' };
    const sig = authorization(base);
    expect(authorization({ ...base, secretKey: SECRET_KEY + "x" })).not.toBe(sig);
    expect(authorization({ ...base, body: '{"a":2}' })).not.toBe(sig);
    expect(authorization({ ...base, timestamp: base.timestamp + 1 })).not.toBe(sig);
    expect(authorization({ ...base, host: "live.intl.tencentcloudapi.com" })).not.toBe(sig);
  });

  it("signRequest carries the protocol headers and only the token/region given", () => {
    const h = signRequest({ secretId: SECRET_ID, secretKey: SECRET_KEY, service: "live", host: "live.tencentcloudapi.com", action: "DescribeLivePullStreamTasks", timestamp: 1_700_000_000, body: "{}", version: "2018-08-01", region: "ap-guangzhou" });
    expect(h).toEqual({
      Authorization: officialAuthorization({ host: "live.tencentcloudapi.com", timestamp: 1_700_000_000, body: "{}", service: "live" }),
      "Content-Type": CONTENT_TYPE,
      "X-TC-Action": "DescribeLivePullStreamTasks",
      "X-TC-Timestamp": "1700000000",
      "X-TC-Version": "2018-08-01",
      "X-TC-Region": "ap-guangzhou",
    });
    const withToken = signRequest({ secretId: SECRET_ID, secretKey: SECRET_KEY, service: "live", host: "h", action: "A", timestamp: 1, body: "", version: "v", token: "tok" });
    expect(withToken["X-TC-Token"]).toBe("tok");
    expect(withToken["X-TC-Region"]).toBeUndefined();
  });

  it("refuses a timestamp in milliseconds or a fraction", () => {
    const base = { secretId: SECRET_ID, secretKey: SECRET_KEY, service: "live", host: "h", body: "" };
    expect(() => authorization({ ...base, timestamp: 1.5 })).toThrow(/timestamp must be a positive integer/);
    expect(() => authorization({ ...base, timestamp: 0 })).toThrow(/timestamp/);
    expect(() => authorization({ ...base, timestamp: 1_700_000_000_000 })).toThrow(/Unix seconds/);
  });
});
