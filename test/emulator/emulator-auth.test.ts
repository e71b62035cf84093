// TC3-HMAC-SHA256 verification: every rejection the reference documents, plus what must be accepted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { call, codeOf, rawPost, SECRET_ID, signedHeaders } from "./support-sign";

const DESCRIBE = "DescribeLivePullStreamTasks";
let emu: RunningEmulator;
let host: string;

beforeAll(async () => {
  emu = await startEmulator({
    rateScale: 1000,
    tempCredentials: [{ secretId: "AKIDTEMP", secretKey: "temp-key", token: "session-token-1" }],
  });
  host = new URL(emu.url).host;
});
afterAll(() => emu.close());

async function send(headers: Record<string, string>, body: string): Promise<string> {
  const r = await rawPost(emu.url, headers, body);
  expect(r.status).toBe(200);
  expect(typeof r.json.Response.RequestId).toBe("string");
  return codeOf(r.json.Response);
}

describe("accepted signatures", () => {
  it("accepts a request signed with the configured key", async () => {
    expect(codeOf(await call(emu.url, DESCRIBE, {}))).toBe("OK");
  });
  it("accepts host signed without its port (how the official SDK signs)", async () => {
    const body = "{}";
    const headers = signedHeaders(DESCRIBE, body, "127.0.0.1");
    headers.Host = host; // sent with the port, signed without
    expect(await send(headers, body)).toBe("OK");
  });
  it("accepts the scope service equal to the host's first label", async () => {
    expect(codeOf(await call(emu.url, DESCRIBE, {}, { service: "127" }))).toBe("OK");
  });
  it("accepts a temporary key with its X-TC-Token", async () => {
    const r = await call(emu.url, DESCRIBE, {}, { secretId: "AKIDTEMP", secretKey: "temp-key", token: "session-token-1" });
    expect(codeOf(r)).toBe("OK");
  });
});

describe("rejected signatures", () => {
  it("wrong SecretKey → AuthFailure.SignatureFailure", async () => {
    expect(codeOf(await call(emu.url, DESCRIBE, {}, { secretKey: "not-the-key" }))).toBe("AuthFailure.SignatureFailure");
  });
  it("unknown SecretId → AuthFailure.SecretIdNotFound", async () => {
    expect(codeOf(await call(emu.url, DESCRIBE, {}, { secretId: "AKIDNOBODY" }))).toBe("AuthFailure.SecretIdNotFound");
  });
  it("timestamp more than 5 minutes old or ahead → AuthFailure.SignatureExpire", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(codeOf(await call(emu.url, DESCRIBE, {}, { timestamp: now - 400 }))).toBe("AuthFailure.SignatureExpire");
    expect(codeOf(await call(emu.url, DESCRIBE, {}, { timestamp: now + 400 }))).toBe("AuthFailure.SignatureExpire");
  });
  it("scope date other than the timestamp's UTC date → AuthFailure.SignatureFailure", async () => {
    expect(codeOf(await call(emu.url, DESCRIBE, {}, { date: "2001-01-01" }))).toBe("AuthFailure.SignatureFailure");
  });
  it("scope service other than live or the host's first label → AuthFailure.SignatureFailure", async () => {
    expect(codeOf(await call(emu.url, DESCRIBE, {}, { service: "cvm" }))).toBe("AuthFailure.SignatureFailure");
  });
  it("malformed or missing Authorization → AuthFailure.InvalidAuthorization", async () => {
    const body = "{}";
    const headers = signedHeaders(DESCRIBE, body, host);
    expect(await send({ ...headers, Authorization: "Bearer abc" }, body)).toBe("AuthFailure.InvalidAuthorization");
    const noHost = headers.Authorization.replace("SignedHeaders=content-type;host;x-tc-action", "SignedHeaders=content-type;x-tc-action");
    expect(await send({ ...headers, Authorization: noHost }, body)).toBe("AuthFailure.InvalidAuthorization");
    const { Authorization: _dropped, ...without } = headers;
    expect(await send(without, body)).toBe("AuthFailure.InvalidAuthorization");
  });
  it("every signed header changed after signing → AuthFailure.SignatureFailure", async () => {
    const body = "{}";
    const headers = signedHeaders(DESCRIBE, body, host);
    expect(await send({ ...headers, "Content-Type": "text/plain" }, body)).toBe("AuthFailure.SignatureFailure");
    expect(await send({ ...headers, Host: "localhost:1" }, body)).toBe("AuthFailure.SignatureFailure");
    expect(await send({ ...headers, "X-TC-Action": "DescribeLivePullStreamTaskStatus" }, body)).toBe("AuthFailure.SignatureFailure");
  });
  it("any flipped body byte → AuthFailure.SignatureFailure", async () => {
    const body = JSON.stringify({ PageNum: 1, PageSize: 10 });
    const headers = signedHeaders(DESCRIBE, body, host);
    for (let i = 0; i < body.length; i++) {
      const bytes = Buffer.from(body);
      bytes[i] ^= 0x01;
      expect(await send(headers, bytes.toString("latin1")), `byte ${i}`).toBe("AuthFailure.SignatureFailure");
    }
  });
  it("temporary key without or with a wrong X-TC-Token → AuthFailure.TokenFailure", async () => {
    const temp = { secretId: "AKIDTEMP", secretKey: "temp-key" };
    expect(codeOf(await call(emu.url, DESCRIBE, {}, temp))).toBe("AuthFailure.TokenFailure");
    expect(codeOf(await call(emu.url, DESCRIBE, {}, { ...temp, token: "stolen" }))).toBe("AuthFailure.TokenFailure");
  });
  it("no auth failure message contains the SecretKey", async () => {
    const r = await call(emu.url, DESCRIBE, {}, { secretKey: "wrong-key-value" });
    expect(JSON.stringify(r)).not.toContain("emulator-secret-key");
    expect(JSON.stringify(r)).not.toContain("wrong-key-value");
  });
});

describe("common parameters", () => {
  it("X-TC-Version other than 2018-08-01 → InvalidParameterValue", async () => {
    expect(codeOf(await call(emu.url, DESCRIBE, {}, { version: "2017-01-01" }))).toBe("InvalidParameterValue");
  });
  it("X-TC-Region outside the documented list → InvalidParameterValue, missing → MissingParameter", async () => {
    const r = await call(emu.url, DESCRIBE, {}, { region: "mars-north-1" });
    expect(codeOf(r)).toBe("InvalidParameterValue");
    expect(r.Error.Message).toContain("X-TC-Region");
    const body = "{}";
    const { "X-TC-Region": _r, ...headers } = signedHeaders(DESCRIBE, body, host);
    expect(await send(headers, body)).toBe("MissingParameter");
  });
  it("X-TC-Language other than zh-CN/en-US → InvalidParameterValue; the documented ones are accepted", async () => {
    expect(codeOf(await call(emu.url, DESCRIBE, {}, { extraHeaders: { "X-TC-Language": "fr-FR" } }))).toBe("InvalidParameterValue");
    expect(codeOf(await call(emu.url, DESCRIBE, {}, { extraHeaders: { "X-TC-Language": "en-US" } }))).toBe("OK");
  });
  it("an action not in live 2018-08-01 → InvalidAction", async () => {
    expect(codeOf(await call(emu.url, "DescribeInstances", {}))).toBe("InvalidAction");
  });
  it("configured credentials replace the default ones", async () => {
    const custom = await startEmulator({ secretId: "AKIDCUSTOM", secretKey: "custom-key" });
    try {
      expect(codeOf(await call(custom.url, DESCRIBE, {}, { secretId: "AKIDCUSTOM", secretKey: "custom-key" }))).toBe("OK");
      expect(codeOf(await call(custom.url, DESCRIBE, {}, { secretId: SECRET_ID }))).toBe("AuthFailure.SecretIdNotFound");
    } finally {
      await custom.close();
    }
  });
});
