// Every credential source of docs/credentials.md through the real client against the emulator's
// STS and metadata routes: assume role, OIDC (token and rotated token file), CVM role, profile,
// refresh ahead of expiry and after an expired-token answer, the account guard; no value in errors.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_UIN, startEmulator, type RunningEmulator } from "../../emulator";
import { CssClient } from "../../provider/api/client";
import { CredentialsError } from "../../provider/api/credentials";

const UIN = DEFAULT_ACCOUNT_UIN;
const ARN = `qcs::cam::uin/${UIN}:roleName/deployer`;
const KEY = { id: "AKIDBASESTS", key: "base-key-never-shown-5c1e" };
const OIDC = ["oidc-token-A-never-shown-91ab", "oidc-token-B-never-shown-22cd"];

let emu: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ secretId: KEY.id, secretKey: KEY.key, oidcTokens: [OIDC[0]], camRoles: ["cvm-deployer"] });
  dir = mkdtempSync(join(tmpdir(), "css-sts-"));
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  emu.reset();
  emu.sts.setOidcTokens([OIDC[0]]);
});

const keys = { TENCENTCLOUD_SECRET_ID: KEY.id, TENCENTCLOUD_SECRET_KEY: KEY.key };
function client(config: Record<string, string>, env: Record<string, string> = {}): CssClient {
  return new CssClient({
    config: { "tencentcloud:cssEndpoint": emu.url, "tencentcloud:stsEndpoint": emu.url, ...config },
    env,
    homeDir: dir,
    limiter: false,
    retryQuota: false,
  });
}
const list = (c: CssClient) => c.describeTasks({ PageNum: 1, PageSize: 1 });
async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(() => { throw new Error("expected a failure"); }, (e: Error) => e);
}
function expectNoSecret(text: string): void {
  for (const s of [KEY.key, ...OIDC]) expect(text).not.toContain(s);
}

describe("sources", () => {
  it("assumeRole: one AssumeRole signed with the key pair, then CSS calls with the role's keys", async () => {
    const c = client({ "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN, sessionName: "ci" }) }, keys);
    await list(c);
    await list(c);
    expect(emu.sts.issued()).toEqual({ AssumeRole: 1 });
    expect(c.credentialSource).toMatch(/tencentcloud:assumeRole.*environment/);
    expectNoSecret(inspect(c, { depth: 5, showHidden: true }));
  });

  it("OIDC needs no key pair: AssumeRoleWithWebIdentity sent unsigned", async () => {
    const c = client({ "tencentcloud:assumeRoleWithWebIdentity": JSON.stringify({ roleArn: ARN, webIdentityToken: OIDC[0] }) });
    await list(c);
    expect(emu.sts.issued()).toEqual({ AssumeRoleWithWebIdentity: 1 });
  });

  it("a refused web identity token: the source and the API's code, never the token", async () => {
    const c = client({}, { TENCENTCLOUD_ASSUME_ROLE_ARN: ARN, TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN: OIDC[1] });
    const err = await failure(list(c));
    expect(err).toBeInstanceOf(CredentialsError);
    expect(err.message).toMatch(/environment \(TENCENTCLOUD_ASSUME_ROLE_ARN.*AssumeRoleWithWebIdentity failed: InvalidParameter.WebIdentityTokenError/);
    expectNoSecret(err.message);
    expect(emu.calls().calls.DescribeLivePullStreamTasks).toBeUndefined();
  });

  it("a role of another account is refused by STS, named in the error", async () => {
    const c = client({ "tencentcloud:assumeRole": JSON.stringify({ roleArn: "qcs::cam::uin/42:roleName/x" }) }, keys);
    expect((await failure(list(c))).message).toMatch(/AssumeRole failed: ResourceNotFound.RoleNotExist/);
  });

  it("CVM instance role: credentials from the metadata service (address overridden for the test)", async () => {
    const c = client({}, { TENCENTCLOUD_CAM_ROLE_NAME: "cvm-deployer", TENCENTCLOUD_METADATA_ENDPOINT: emu.url });
    await list(c);
    expect(emu.sts.issued()).toEqual({ metadata: 1 });
    const unbound = client({ "tencentcloud:camRoleName": "other" }, { TENCENTCLOUD_METADATA_ENDPOINT: emu.url });
    expect((await failure(list(unbound))).message).toMatch(/CVM instance role \(tencentcloud:camRoleName\).*HTTP 404.*bound/);
  });

  it("a tccli profile with role-arn assumes that role with the profile's key", async () => {
    writeFileSync(join(dir, "ci.credential"), JSON.stringify({ secretId: KEY.id, secretKey: KEY.key, "role-arn": ARN }));
    const c = client({ "tencentcloud:profile": "ci", "tencentcloud:sharedCredentialsDir": dir });
    await list(c);
    expect(emu.sts.issued()).toEqual({ AssumeRole: 1 });
    expect(c.credentialSource).toMatch(/ci\.credential/);
  });
});

describe("expiry", () => {
  it("a run longer than the session: new credentials ahead of expiry, from the rotated token file", async () => {
    const file = join(dir, "token");
    writeFileSync(file, OIDC[0]);
    const c = client({ "tencentcloud:assumeRoleWithWebIdentity": JSON.stringify({ roleArn: ARN, webIdentityTokenFile: file, sessionDuration: 3600 }) });
    await list(c);
    // The issuer rotates the projected token; the old one stops being accepted.
    writeFileSync(file, OIDC[1]);
    emu.sts.setOidcTokens([OIDC[1]]);
    emu.setClockOffset(3600_000 + 5_000);
    await list(c);
    expect(emu.sts.issued()).toEqual({ AssumeRoleWithWebIdentity: 2 });
    expect(emu.calls().errors["AuthFailure.TokenFailure"]).toBeUndefined();
  });

  it("an expired-token answer (the API's clock ran past the session): refresh once and retry", async () => {
    const c = client({ "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN, sessionDuration: 120 }) }, keys);
    await list(c);
    // 150 s: within the signature's 5 minutes, past the 120 s session; this client has not seen the jump.
    emu.setClockOffset(150_000);
    await list(c);
    expect(emu.calls().errors["AuthFailure.TokenFailure"]).toBe(1);
    expect(emu.sts.issued()).toEqual({ AssumeRole: 2 });
  });

  it("many calls refused at once for an expired token cause one refresh, not one each", async () => {
    const c = client({ "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN, sessionDuration: 120 }) }, keys);
    await list(c);
    emu.setClockOffset(150_000);
    await Promise.all(Array.from({ length: 20 }, () => list(c)));
    expect(emu.sts.issued()).toEqual({ AssumeRole: 2 });
  });
});

describe("account guard", () => {
  it("refuses credentials of another account before any CSS call, once", async () => {
    const c = client({ "tencentcloud:allowedAccountIds": JSON.stringify(["200000000002"]) }, keys);
    const err = await failure(list(c));
    expect(err).toBeInstanceOf(CredentialsError);
    expect(err.message).toMatch(new RegExp(`act in account ${UIN}, which is not in the allowedAccountIds setting \\(200000000002\\)`));
    await failure(list(c));
    expect(emu.calls().calls).toEqual({ GetCallerIdentity: 1 });
  });

  it("lets the allowed account through, asking once", async () => {
    const c = client({ "tencentcloud:allowedAccountIds": JSON.stringify([UIN]), "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN }) }, keys);
    await list(c);
    await list(c);
    expect(emu.calls().calls).toMatchObject({ GetCallerIdentity: 1, AssumeRole: 1, DescribeLivePullStreamTasks: 2 });
  });
});
