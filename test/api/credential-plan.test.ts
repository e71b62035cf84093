// Which credentials a client uses: the precedence of docs/credentials.md, decided without I/O.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { planCredentials, DEFAULT_STS_ENDPOINT } from "../../provider/api/credential-plan";
import { CredentialsError } from "../../provider/api/credentials";

const dirs: string[] = [];
function home(profiles: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "css-plan-"));
  dirs.push(dir);
  mkdirSync(join(dir, ".tccli"));
  for (const [name, cred] of Object.entries(profiles)) writeFileSync(join(dir, ".tccli", `${name}.credential`), JSON.stringify(cred));
  return dir;
}
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

const ARN = "qcs::cam::uin/100000000001:roleName/deployer";
const KEYS = { TENCENTCLOUD_SECRET_ID: "AKID-env", TENCENTCLOUD_SECRET_KEY: "key-env" };
const TKE = { TKE_REGION: "ap-shanghai", TKE_WEB_IDENTITY_TOKEN_FILE: "/var/run/tke/token", TKE_PROVIDER_ID: "tke-oidc", TKE_ROLE_ARN: ARN };
const plan = (config: Record<string, string>, env: Record<string, string>, h = home()) => planCredentials({ config, env, homeDir: h });

describe("credential precedence", () => {
  it("a key pair alone: the key pair (as before)", () => {
    const p = plan({}, KEYS);
    expect(p.credentials).toMatchObject({ kind: "keys", secretId: "AKID-env" });
    expect(p.stsEndpoint).toBe(DEFAULT_STS_ENDPOINT);
    expect(p.allowedAccountIds).toEqual([]);
  });

  it("a key pair given to the client in code outranks every setting", () => {
    const p = planCredentials({ options: { secretId: "AKID-opt", secretKey: "k" }, env: { TENCENTCLOUD_ASSUME_ROLE_ARN: ARN, ...TKE }, homeDir: home() });
    expect(p.credentials).toMatchObject({ kind: "keys", secretId: "AKID-opt" });
  });

  it("stack config assumeRole wins over the environment's role and uses the key pair as its base", () => {
    const p = plan(
      { "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN, sessionName: "ci", sessionDuration: 900, externalId: "x-1" }) },
      { ...KEYS, TENCENTCLOUD_ASSUME_ROLE_ARN: "qcs::cam::uin/1:roleName/other" },
    );
    expect(p.credentials).toMatchObject({ kind: "assumeRole", roleArn: ARN, sessionName: "ci", duration: 900, externalId: "x-1", base: { kind: "keys" } });
    expect(p.credentials.source).toMatch(/tencentcloud:assumeRole/);
  });

  it("stack config OIDC wins over assumeRole and needs no key at all", () => {
    const p = plan(
      {
        "tencentcloud:assumeRoleWithWebIdentity": JSON.stringify({ roleArn: ARN, webIdentityTokenFile: "/tmp/t" }),
        "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN }),
      },
      {},
    );
    expect(p.credentials).toMatchObject({ kind: "webIdentity", providerId: "OIDC", tokenFile: "/tmp/t", duration: 7200 });
  });

  it("environment: ARN + web identity token is OIDC; ARN alone assumes the role with the key pair", () => {
    const oidc = plan({}, { TENCENTCLOUD_ASSUME_ROLE_ARN: ARN, TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: "/tmp/gh", TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID: "github" });
    expect(oidc.credentials).toMatchObject({ kind: "webIdentity", providerId: "github", tokenFile: "/tmp/gh" });
    const ar = plan({}, { ...KEYS, TENCENTCLOUD_ASSUME_ROLE_ARN: ARN, TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION: "3600" });
    expect(ar.credentials).toMatchObject({ kind: "assumeRole", duration: 3600, base: { kind: "keys", secretId: "AKID-env" } });
  });

  it("a CVM role replaces the key pair as the base, as in the Terraform provider", () => {
    const p = plan({ "tencentcloud:camRoleName": "cvm-deployer" }, KEYS);
    expect(p.credentials).toMatchObject({ kind: "cvm", roleName: "cvm-deployer", metadataEndpoint: "http://metadata.tencentyun.com" });
    const chained = plan({ "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN }) }, { TENCENTCLOUD_CAM_ROLE_NAME: "cvm" });
    expect(chained.credentials).toMatchObject({ kind: "assumeRole", base: { kind: "cvm", roleName: "cvm" } });
  });

  it("profiles: tencentcloud:profile in sharedCredentialsDir, its role-arn assumed with its key", () => {
    const h = home({ ci: { secretId: "AKID-ci", secretKey: "k", "role-arn": ARN, "role-session-name": "from-profile" } });
    const p = plan({ "tencentcloud:profile": "ci", "tencentcloud:sharedCredentialsDir": join(h, ".tccli") }, {}, home());
    expect(p.credentials).toMatchObject({ kind: "assumeRole", roleArn: ARN, sessionName: "from-profile", base: { secretId: "AKID-ci" } });
    const byEnv = plan({}, { TENCENTCLOUD_PROFILE: "ci" }, h);
    expect(byEnv.credentials).toMatchObject({ kind: "assumeRole", base: { secretId: "AKID-ci" } });
    expect(() => plan({}, { TENCENTCLOUD_PROFILE: "missing" }, h)).toThrow(/profile "missing" not found/);
  });

  it("TKE pod OIDC: enablePodOidc first of all; without it only when nothing else is found", () => {
    expect(plan({ "tencentcloud:enablePodOidc": "true" }, { ...KEYS, ...TKE }).credentials).toMatchObject({ kind: "webIdentity", region: "ap-shanghai", providerId: "tke-oidc" });
    expect(plan({}, { ...KEYS, ...TKE }).credentials.kind).toBe("keys");
    expect(plan({}, TKE).credentials).toMatchObject({ kind: "webIdentity", tokenFile: TKE.TKE_WEB_IDENTITY_TOKEN_FILE });
    expect(() => plan({ "tencentcloud:enablePodOidc": "true" }, {})).toThrow(/TKE_REGION, TKE_WEB_IDENTITY_TOKEN_FILE/);
  });

  it("allowedAccountIds as a list or comma-separated; stsEndpoint under the https rule", () => {
    expect(plan({ "tencentcloud:allowedAccountIds": '["100000000001", 200]' }, KEYS).allowedAccountIds).toEqual(["100000000001", "200"]);
    expect(plan({ "tencentcloud:allowedAccountIds": "1, 2" }, KEYS).allowedAccountIds).toEqual(["1", "2"]);
    expect(() => plan({ "tencentcloud:allowedAccountIds": '["abc"]' }, KEYS)).toThrow(/UINs/);
    expect(plan({ "tencentcloud:stsEndpoint": "http://127.0.0.1:9" }, KEYS).stsEndpoint).toBe("http://127.0.0.1:9");
    expect(() => plan({}, { ...KEYS, TENCENTCLOUD_STS_ENDPOINT: "http://sts.example.com" })).toThrow(/TENCENTCLOUD_STS_ENDPOINT must use https/);
  });

  it("bad settings name the setting, never a value", () => {
    const secret = "tok-never-echoed-1234";
    const cases: [Record<string, string>, RegExp][] = [
      [{ "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN, sessionDuration: 50000 }) }, /assumeRole.sessionDuration must be .* 0 to 43200/],
      [{ "tencentcloud:assumeRole": JSON.stringify({ role_arn: ARN }) }, /unknown field role_arn/],
      [{ "tencentcloud:assumeRole": secret }, /assumeRole must be an object/],
      [{ "tencentcloud:assumeRoleWithWebIdentity": JSON.stringify({ roleArn: ARN, webIdentityTokenX: secret }) }, /unknown field/],
      [{ "tencentcloud:assumeRoleWithWebIdentity": JSON.stringify({ roleArn: ARN }) }, /webIdentityToken or webIdentityTokenFile/],
    ];
    for (const [config, re] of cases) {
      let err: unknown;
      try {
        plan(config, KEYS);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CredentialsError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain(secret);
    }
  });

  it("a role to assume without any base names both the role setting and the places looked in", () => {
    expect(() => plan({ "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN }) }, {})).toThrow(/tencentcloud:assumeRole assumes the role with a key pair or CVM role[\s\S]*TENCENTCLOUD_SECRET_ID/);
  });
});
