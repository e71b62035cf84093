// Issue 24 through the real client against the emulator's STS: AssumeRole with the Terraform
// provider's source_identity, serial_number and token_code (here sourceIdentity, serialNumber,
// tokenCode; or TENCENTCLOUD_ASSUME_ROLE_*). An MFA code proves one AssumeRole, so its session is
// used to its end and not renewed with the spent code. Neither the SecretKey nor the code is shown.
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_UIN } from "../../emulator";
import { CssClient } from "../../provider/api/client";
import { CredentialsError } from "../../provider/api/credentials";
import { TestEmulator } from "../support/emulator";

const ARN = `qcs::cam::uin/${DEFAULT_ACCOUNT_UIN}:roleName/mfa-deployer`;
const KEY = { id: "AKIDBASEMFA", key: "base-key-never-shown-77f0" };
const CODE = "482913";
const WRONG = "100477";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start({ secretId: KEY.id, secretKey: KEY.key, mfaRoles: ["mfa-deployer"], mfaCodes: [CODE] });
});
afterAll(() => emu?.close());
afterEach(() => {
  emu.emulator.setClockOffset(0);
  emu.emulator.reset();
  emu.clearRequests();
});

const keys = { TENCENTCLOUD_SECRET_ID: KEY.id, TENCENTCLOUD_SECRET_KEY: KEY.key };
const serial = () => emu.emulator.sts.mfaSerialNumber;
function client(role: Record<string, unknown> | undefined, env: Record<string, string> = {}): CssClient {
  const config: Record<string, string> = { "tencentcloud:cssEndpoint": emu.url, "tencentcloud:stsEndpoint": emu.url };
  if (role) config["tencentcloud:assumeRole"] = JSON.stringify({ roleArn: ARN, ...role });
  return new CssClient({ config, env: { ...keys, ...env }, limiter: false, retryQuota: false });
}
const list = (c: CssClient) => c.describeTasks({ PageNum: 1, PageSize: 1 });
async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(() => { throw new Error("expected a failure"); }, (e: Error) => e);
}
function expectNoSecret(text: string): void {
  for (const s of [KEY.key, CODE, WRONG]) expect(text).not.toContain(s);
}
const cssCalls = () => emu.requests.filter((r) => r.action.includes("LivePullStreamTask")).length;

describe("AssumeRole with MFA and SourceIdentity", () => {
  it("stack config: SourceIdentity, SerialNumber and TokenCode reach STS; CSS calls use the role's keys", async () => {
    const c = client({ sourceIdentity: "100000000002", serialNumber: serial(), tokenCode: CODE });
    await list(c);
    await list(c);
    const sent = emu.requestsOf("AssumeRole").map((r) => r.body);
    expect(sent).toEqual([expect.objectContaining({
      RoleArn: ARN, SourceIdentity: "100000000002", SerialNumber: serial(), TokenCode: CODE,
    })]);
    expect(emu.emulator.sts.issued()).toEqual({ AssumeRole: 1 });
    expectNoSecret(inspect(c, { depth: 6, showHidden: true }));
  });

  it("environment: TENCENTCLOUD_ASSUME_ROLE_SERIAL_NUMBER / _TOKEN_CODE / _SOURCE_IDENTITY", async () => {
    const c = client(undefined, {
      TENCENTCLOUD_ASSUME_ROLE_ARN: ARN,
      TENCENTCLOUD_ASSUME_ROLE_SERIAL_NUMBER: serial(),
      TENCENTCLOUD_ASSUME_ROLE_TOKEN_CODE: CODE,
      TENCENTCLOUD_ASSUME_ROLE_SOURCE_IDENTITY: "100000000002",
    });
    await list(c);
    expect(emu.requestsOf("AssumeRole")[0].body).toMatchObject({ SerialNumber: serial(), TokenCode: CODE, SourceIdentity: "100000000002" });
  });

  it("a wrong or missing code for a role asking for MFA: STS's CheckMFAError, no CSS call, no code in the error", async () => {
    for (const role of [{ serialNumber: serial(), tokenCode: WRONG }, {}]) {
      const err = await failure(list(client(role)));
      expect(err).toBeInstanceOf(CredentialsError);
      expect(err.message).toMatch(/stack config \(tencentcloud:assumeRole\).*AssumeRole failed: FailedOperation.CheckMFAError/);
      expectNoSecret(err.message);
    }
    expect(cssCalls()).toBe(0);
  });

  it("a device type other than softToken: MFATypeNotSupported", async () => {
    const c = client({ serialNumber: `qcs::cam:uin/${DEFAULT_ACCOUNT_UIN}::mfa/hardToken`, tokenCode: CODE });
    expect((await failure(list(c))).message).toMatch(/AssumeRole failed: FailedOperation.MFATypeNotSupported/);
  });

  it("the session is used to its end, then calls fail saying a new code is needed; the spent code is never resent", async () => {
    const c = client({ serialNumber: serial(), tokenCode: CODE, sessionDuration: 900 });
    await list(c);
    // Inside the last 5 minutes, where a session without MFA would be renewed: still the same one.
    emu.emulator.setClockOffset(800_000);
    await list(c);
    expect(emu.emulator.sts.issued()).toEqual({ AssumeRole: 1 });
    emu.emulator.setClockOffset(910_000);
    const calls = cssCalls();
    // The first call after the end learns the API's clock from the refusal (not retried: no renewal
    // is possible); from then on none is sent.
    expect((await failure(list(c))).message).toMatch(/AuthFailure.TokenFailure[\s\S]*credentials from stack config/);
    const err = await failure(list(c));
    expect(err).toBeInstanceOf(CredentialsError);
    expect(err.message).toMatch(/session assumed with the MFA token code has ended.*new tokenCode/);
    expectNoSecret(err.message);
    expect(emu.requestsOf("AssumeRole").length).toBe(1);
    expect(cssCalls()).toBeLessThanOrEqual(calls + 1);
  });
});
