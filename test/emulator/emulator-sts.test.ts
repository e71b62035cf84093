// The emulator's STS (sts 2018-08-13 on the CSS port) and CVM metadata route, driven by the official
// SDK's CommonClient (an independent signer) and raw HTTP: answers as the STS pages document them,
// temporary keys that expire on the emulator's clock with AuthFailure.TokenFailure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CommonClient } = require("tencentcloud-sdk-nodejs-common");

const UIN = "300000000003";
const ARN = `qcs::cam::uin/${UIN}:roleName/deployer`;
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({
    accountUin: UIN, oidcTokens: ["good-token"], camRoles: ["cvm-role"], mfaRoles: ["mfa-only"], mfaCodes: ["112233"],
  });
});
afterAll(() => emu.close());

type Cred = { secretId: string; secretKey: string; token?: string };
const MAIN: Cred = { secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key" };
function sdk(service: "sts" | "live", credential: Cred) {
  const version = service === "sts" ? "2018-08-13" : "2018-08-01";
  return new CommonClient(`${service}.tencentcloudapi.com`, version, {
    credential,
    region: "ap-guangzhou",
    profile: { httpProfile: { protocol: "http://", endpoint: `127.0.0.1:${emu.port}`, reqTimeout: 10 } },
  });
}
const asTemp = (r: { Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string } }): Cred => ({
  secretId: r.Credentials.TmpSecretId, secretKey: r.Credentials.TmpSecretKey, token: r.Credentials.Token,
});

describe("AssumeRole", () => {
  it("answers Credentials {Token, TmpSecretId, TmpSecretKey}, ExpiredTime and Expiration, DurationSeconds later", async () => {
    const now = Math.floor(Date.now() / 1000);
    const r = await sdk("sts", MAIN).request("AssumeRole", { RoleArn: ARN, RoleSessionName: "ci", DurationSeconds: 900 });
    expect(Object.keys(r.Credentials).sort()).toEqual(["TmpSecretId", "TmpSecretKey", "Token"]);
    expect(r.ExpiredTime).toBeGreaterThanOrEqual(now + 899);
    expect(r.ExpiredTime).toBeLessThanOrEqual(now + 901);
    expect(r.Expiration).toBe(new Date(r.ExpiredTime * 1000).toISOString().replace(".000Z", "Z"));
    // Default 7200 s when DurationSeconds is absent.
    const d = await sdk("sts", MAIN).request("AssumeRole", { RoleArn: ARN, RoleSessionName: "ci" });
    expect(d.ExpiredTime - now).toBeGreaterThanOrEqual(7199);
  });

  it("the temporary keys sign CSS calls (with X-TC-Token) until they expire on the emulator's clock", async () => {
    const temp = asTemp(await sdk("sts", MAIN).request("AssumeRole", { RoleArn: ARN, RoleSessionName: "ci", DurationSeconds: 60 }));
    await sdk("live", temp).request("DescribeLivePullStreamTasks", {});
    await expect(sdk("live", { ...temp, token: undefined }).request("DescribeLivePullStreamTasks", {})).rejects.toMatchObject({ code: "AuthFailure.TokenFailure" });
    emu.setClockOffset(61_000);
    try {
      // The SDK signs with the local clock: 61 s off is within the signature's 5 minutes.
      await expect(sdk("live", temp).request("DescribeLivePullStreamTasks", {})).rejects.toMatchObject({ code: "AuthFailure.TokenFailure", message: expect.stringMatching(/expired/) });
    } finally {
      emu.setClockOffset(0);
    }
  });

  it("refuses a bad ARN, another account's role, a bad session name or duration, a wrong key", async () => {
    const c = sdk("sts", MAIN);
    await expect(c.request("AssumeRole", { RoleArn: "qcs::cam::uin/1:role/4611", RoleSessionName: "ci" })).rejects.toMatchObject({ code: "InvalidParameterValue" });
    await expect(c.request("AssumeRole", { RoleArn: "qcs::cam::uin/1:roleName/x", RoleSessionName: "ci" })).rejects.toMatchObject({ code: "ResourceNotFound.RoleNotExist" });
    await expect(c.request("AssumeRole", { RoleArn: ARN, RoleSessionName: "c" })).rejects.toMatchObject({ code: "InvalidParameterValue" });
    await expect(c.request("AssumeRole", { RoleArn: ARN, RoleSessionName: "ci", DurationSeconds: 43201 })).rejects.toMatchObject({ code: "InvalidParameterValue" });
    await expect(c.request("AssumeRole", { RoleArn: ARN })).rejects.toMatchObject({ code: "MissingParameter" });
    await expect(sdk("sts", { ...MAIN, secretKey: "wrong" }).request("AssumeRole", { RoleArn: ARN, RoleSessionName: "ci" })).rejects.toMatchObject({ code: "AuthFailure.SignatureFailure" });
  });
});

describe("AssumeRole with SourceIdentity and MFA (SerialNumber, TokenCode)", () => {
  const MFA_ARN = `qcs::cam::uin/${UIN}:roleName/mfa-only`;
  const SERIAL = `qcs::cam:uin/${UIN}::mfa/softToken`;
  const assume = (extra: Record<string, unknown>) =>
    sdk("sts", MAIN).request("AssumeRole", { RoleArn: MFA_ARN, RoleSessionName: "ci", ...extra });

  it("a role asking for MFA is assumed with the account's softToken device and a code it shows now", async () => {
    expect(emu.sts.mfaSerialNumber).toBe(SERIAL);
    const r = await assume({ SerialNumber: SERIAL, TokenCode: "112233", SourceIdentity: "300000000004" });
    expect(Object.keys(r.Credentials).sort()).toEqual(["TmpSecretId", "TmpSecretKey", "Token"]);
  });

  it("refuses a missing, half, wrong or foreign MFA with CheckMFAError, another device type with MFATypeNotSupported", async () => {
    const refused = async (extra: Record<string, unknown>, code: string) => {
      const err = await assume(extra).then(() => undefined, (e: { code: string; message: string }) => e);
      expect(err).toMatchObject({ code });
      // The code the caller typed is never echoed back.
      expect(err!.message).not.toContain("999999");
    };
    await refused({}, "FailedOperation.CheckMFAError");
    await refused({ SerialNumber: SERIAL }, "FailedOperation.CheckMFAError");
    await refused({ SerialNumber: SERIAL, TokenCode: "999999" }, "FailedOperation.CheckMFAError");
    await refused({ SerialNumber: `qcs::cam:uin/1::mfa/softToken`, TokenCode: "112233" }, "FailedOperation.CheckMFAError");
    await refused({ SerialNumber: `qcs::cam:uin/${UIN}::mfa/hardToken`, TokenCode: "112233" }, "FailedOperation.MFATypeNotSupported");
    // A role without the MFA condition needs none, but a code given is still checked.
    await sdk("sts", MAIN).request("AssumeRole", { RoleArn: ARN, RoleSessionName: "ci" });
    await expect(sdk("sts", MAIN).request("AssumeRole", { RoleArn: ARN, RoleSessionName: "ci", SerialNumber: SERIAL, TokenCode: "999999" }))
      .rejects.toMatchObject({ code: "FailedOperation.CheckMFAError" });
  });

  it("takes the device's next code once the emulator is told of it", async () => {
    emu.sts.setMfaCodes(["445566"]);
    try {
      await expect(assume({ SerialNumber: SERIAL, TokenCode: "112233" })).rejects.toMatchObject({ code: "FailedOperation.CheckMFAError" });
      await assume({ SerialNumber: SERIAL, TokenCode: "445566" });
    } finally {
      emu.sts.setMfaCodes(["112233"]);
    }
  });
});

describe("AssumeRoleWithWebIdentity", () => {
  const params = { ProviderId: "OIDC", WebIdentityToken: "good-token", RoleArn: ARN, RoleSessionName: "gh" };
  it("is sent unsigned (Authorization SKIP) and accepts only the tokens given", async () => {
    const r = await sdk("sts", { secretId: "", secretKey: "" }).request("AssumeRoleWithWebIdentity", params, { skipSign: true });
    await sdk("live", asTemp(r)).request("DescribeLivePullStreamTasks", {});
    await expect(sdk("sts", { secretId: "", secretKey: "" }).request("AssumeRoleWithWebIdentity", { ...params, WebIdentityToken: "other" }, { skipSign: true }))
      .rejects.toMatchObject({ code: "InvalidParameter.WebIdentityTokenError" });
    // Signed instead of SKIP: refused, as the API documents the call unsigned.
    await expect(sdk("sts", MAIN).request("AssumeRoleWithWebIdentity", params)).rejects.toMatchObject({ code: "AuthFailure.InvalidAuthorization" });
  });

  it("takes a rotated token once the emulator is told of it", async () => {
    emu.sts.setOidcTokens(["rotated"]);
    try {
      const c = sdk("sts", { secretId: "", secretKey: "" });
      await expect(c.request("AssumeRoleWithWebIdentity", params, { skipSign: true })).rejects.toMatchObject({ code: "InvalidParameter.WebIdentityTokenError" });
      await c.request("AssumeRoleWithWebIdentity", { ...params, WebIdentityToken: "rotated" }, { skipSign: true });
    } finally {
      emu.sts.setOidcTokens(["good-token"]);
    }
  });
});

describe("GetCallerIdentity and the metadata route", () => {
  it("names the account for the main key and for a role's temporary keys", async () => {
    expect(await sdk("sts", MAIN).request("GetCallerIdentity", {})).toMatchObject({ AccountId: UIN, Type: "CAMUser" });
    const temp = asTemp(await sdk("sts", MAIN).request("AssumeRole", { RoleArn: ARN, RoleSessionName: "who" }));
    expect(await sdk("sts", temp).request("GetCallerIdentity", {})).toMatchObject({ AccountId: UIN, Arn: `${ARN}/who` });
  });

  it("hands the bound CVM role's credentials at /latest/meta-data/cam/security-credentials/<role>", async () => {
    const base = `${emu.url}/latest/meta-data/cam/security-credentials/`;
    expect(await (await fetch(base)).text()).toBe("cvm-role");
    const res = await fetch(`${base}cvm-role`);
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ Code: "Success", TmpSecretId: expect.any(String), TmpSecretKey: expect.any(String), Token: expect.any(String), ExpiredTime: expect.any(Number) });
    await sdk("live", { secretId: body.TmpSecretId, secretKey: body.TmpSecretKey, token: body.Token }).request("DescribeLivePullStreamTasks", {});
    expect((await fetch(`${base}unbound`)).status).toBe(404);
  });
});
