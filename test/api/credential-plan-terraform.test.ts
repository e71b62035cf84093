// Issue 24: the Terraform provider's assume_role.source_identity, serial_number, token_code (MFA)
// and assume_role_with_web_identity.role_arn_file (that block's, not assume_role's), with its
// TENCENTCLOUD_ASSUME_ROLE_* variables and its file formats (provider.go getConfigFromRoleArnFile,
// getConfigFromWebIdentityTokenFile: a JSON object), so a Terraform configuration moves over as is.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readWebIdentityToken } from "../../provider/api/credential-files";
import { planCredentials } from "../../provider/api/credential-plan";
import { CredentialsError } from "../../provider/api/credentials";

const dir = mkdtempSync(join(tmpdir(), "css-plan-tf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

const ARN = "qcs::cam::uin/100000000001:roleName/deployer";
const SERIAL = "qcs::cam:uin/100000000001::mfa/softToken";
const CODE = "704213";
const KEYS = { TENCENTCLOUD_SECRET_ID: "AKID-env", TENCENTCLOUD_SECRET_KEY: "key-env" };
const plan = (config: Record<string, string>, env: Record<string, string> = {}) =>
  planCredentials({ config, env, homeDir: dir });
const wi = (o: Record<string, unknown>) => ({ "tencentcloud:assumeRoleWithWebIdentity": JSON.stringify(o) });

function failure(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CredentialsError);
    return e as Error;
  }
  throw new Error("expected a CredentialsError");
}

describe("assumeRole: sourceIdentity and MFA (serialNumber, tokenCode)", () => {
  it("stack config: sent as the plan's SourceIdentity, SerialNumber and TokenCode", () => {
    const p = plan(
      { "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN, sourceIdentity: "100000000002", serialNumber: SERIAL, tokenCode: CODE }) },
      KEYS,
    );
    expect(p.credentials).toMatchObject({
      kind: "assumeRole", roleArn: ARN, sourceIdentity: "100000000002", serialNumber: SERIAL, tokenCode: CODE,
    });
  });

  it("environment: TENCENTCLOUD_ASSUME_ROLE_SOURCE_IDENTITY, _SERIAL_NUMBER, _TOKEN_CODE with _ARN", () => {
    const env = {
      ...KEYS,
      TENCENTCLOUD_ASSUME_ROLE_ARN: ARN,
      TENCENTCLOUD_ASSUME_ROLE_SOURCE_IDENTITY: "100000000002",
      TENCENTCLOUD_ASSUME_ROLE_SERIAL_NUMBER: SERIAL,
      TENCENTCLOUD_ASSUME_ROLE_TOKEN_CODE: CODE,
    };
    expect(plan({}, env).credentials).toMatchObject({
      kind: "assumeRole", source: "environment (TENCENTCLOUD_ASSUME_ROLE_ARN)", sourceIdentity: "100000000002",
      serialNumber: SERIAL, tokenCode: CODE,
    });
    // A stack config role is taken as written: the environment's MFA does not join it.
    const config = { "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN }) };
    const p = plan(config, env).credentials;
    expect(p).toMatchObject({ kind: "assumeRole", source: "stack config (tencentcloud:assumeRole)" });
    expect(p).not.toHaveProperty("tokenCode", CODE);
  });

  it("digits stored as a number (`pulumi config set --path`) are taken as their text; other values are refused", () => {
    const numbers = JSON.stringify({ roleArn: ARN, sourceIdentity: 100000000002, serialNumber: SERIAL, tokenCode: 704213 });
    expect(plan({ "tencentcloud:assumeRole": numbers }, KEYS).credentials).toMatchObject({
      sourceIdentity: "100000000002", tokenCode: CODE,
    });
    const err = failure(() => plan({ "tencentcloud:assumeRole": JSON.stringify({ roleArn: ARN, tokenCode: [CODE] }) }, KEYS));
    expect(err.message).toMatch(/tencentcloud:assumeRole.tokenCode must be a string/);
    expect(err.message).not.toContain(CODE);
  });
});

describe("assumeRoleWithWebIdentity.roleArnFile", () => {
  it("the Terraform provider's JSON {\"role_arn\": …}, or the bare ARN", () => {
    const json = file("role.json", JSON.stringify({ role_arn: ARN }));
    expect(plan(wi({ roleArnFile: json, webIdentityToken: "t" })).credentials).toMatchObject({ kind: "webIdentity", roleArn: ARN });
    const bare = file("role.txt", `${ARN}\n`);
    expect(plan(wi({ roleArnFile: bare, webIdentityToken: "t" })).credentials).toMatchObject({ roleArn: ARN });
  });

  it("roleArn wins over the file, as in the Terraform provider (the file is then not read)", () => {
    const other = "qcs::cam::uin/100000000001:roleName/other";
    const p = plan(wi({ roleArn: other, roleArnFile: join(dir, "missing.json"), webIdentityToken: "t" }));
    expect(p.credentials).toMatchObject({ roleArn: other });
  });

  it("a missing, empty or wrong file, or neither setting, is an error naming the file or the settings", () => {
    expect(failure(() => plan(wi({ roleArnFile: join(dir, "missing.json"), webIdentityToken: "t" }))).message).toMatch(
      /roleArnFile: cannot read the role ARN file .*missing\.json \(ENOENT\)/,
    );
    expect(failure(() => plan(wi({ roleArnFile: file("empty", " \n"), webIdentityToken: "t" }))).message).toMatch(/is empty/);
    const wrong = file("wrong.json", JSON.stringify({ roleArn: ARN }));
    expect(failure(() => plan(wi({ roleArnFile: wrong, webIdentityToken: "t" }))).message).toMatch(
      /wrong\.json is a JSON object without a "role_arn" string/,
    );
    expect(failure(() => plan(wi({ webIdentityToken: "t" }))).message).toMatch(/needs roleArn or roleArnFile/);
  });
});

describe("web identity token files", () => {
  const TOKEN = "eyJhbGciOiJSUzI1NiJ9.payload-never-echoed.sig";
  it("the Terraform provider's JSON {\"web_identity_token\": …}, or the bare token (a projected token file)", () => {
    const source = "test";
    expect(readWebIdentityToken({ tokenFile: file("tf-token.json", JSON.stringify({ web_identity_token: TOKEN })), source })).toBe(TOKEN);
    expect(readWebIdentityToken({ tokenFile: file("token", `${TOKEN}\n`), source })).toBe(TOKEN);
  });

  it("a JSON file without the token names the key, never the content", () => {
    const err = failure(() => readWebIdentityToken({ tokenFile: file("bad.json", JSON.stringify({ token: TOKEN })), source: "s" }));
    expect(err.message).toMatch(/is a JSON object without a "web_identity_token" string/);
    expect(err.message).not.toContain(TOKEN);
    const broken = failure(() => readWebIdentityToken({ tokenFile: file("broken", `{${TOKEN}`), source: "s" }));
    expect(broken.message).toMatch(/starts with "\{" but is not JSON/);
    expect(broken.message).not.toContain(TOKEN);
  });
});
