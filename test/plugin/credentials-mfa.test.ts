// Issue 24 on the native plugin: assumeRole takes the Terraform provider's sourceIdentity,
// serialNumber and tokenCode, and assumeRoleWithWebIdentity its roleArnFile. CheckConfig keeps
// assumeRole secret as a whole (it may hold the MFA code, so the provider's state holds ciphertext),
// names a bad field without its value; a task's life with MFA; a refused code leaves no trace.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEFAULT_ACCOUNT_UIN } from "../../emulator";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, TestEmulator } from "../support/emulator";
import { HostCallError, type ProviderHost } from "../support/host";
import { liveRelay } from "../support/tasks";
import { checkConfig, configurePlugin, isSecret, pluginUrn, secret, startPlugin } from "../support/plugin";

const ARN = `qcs::cam::uin/${DEFAULT_ACCOUNT_UIN}:roleName/plugin-mfa`;
const CODE = "661204";
const WRONG = "130966";
const TOKEN = "plugin-mfa-oidc-token-never-shown-5e5e";
let emu: TestEmulator;
const hosts: ProviderHost[] = [];
const home = fs.mkdtempSync(path.join(os.tmpdir(), "css-plugin-mfa-"));
const cleanEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home };

beforeAll(async () => {
  emu = await TestEmulator.start({ oidcTokens: [TOKEN], mfaRoles: ["plugin-mfa"], mfaCodes: [CODE], rateScale: 10 });
});
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await emu?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function plugin(): Promise<ProviderHost> {
  const h = await startPlugin(cleanEnv);
  hosts.push(h);
  return h;
}
function expectClean(text: string, what: string): void {
  for (const s of [CODE, WRONG, TOKEN, EMULATOR_SECRET_KEY, ...emu.emulator.sts.secrets()]) {
    expect(text.includes(s), `${what} holds a secret`).toBe(false);
  }
}
const account = () => ({
  secretId: secret(EMULATOR_SECRET_ID), secretKey: secret(EMULATOR_SECRET_KEY), cssEndpoint: emu.url, stsEndpoint: emu.url,
});
const mfaRole = (code: string) => ({
  roleArn: ARN, serialNumber: emu.emulator.sts.mfaSerialNumber, tokenCode: secret(code), sourceIdentity: "100000000002",
});

describe("CheckConfig", () => {
  test("takes the new fields, keeps assumeRole secret, names a bad field without its value", async () => {
    const host = await plugin();
    const arnFile = path.join(home, "role.json");
    fs.writeFileSync(arnFile, JSON.stringify({ role_arn: ARN }));
    const good = await checkConfig(host, {}, {
      assumeRole: mfaRole(CODE),
      assumeRoleWithWebIdentity: { roleArnFile: arnFile, webIdentityToken: TOKEN },
    });
    expect(good.failures).toEqual([]);
    expect(isSecret(good.inputs.assumeRole)).toBe(true);
    // Digits set with `pulumi config set --path` arrive as numbers: taken as their digits.
    const digits = await checkConfig(host, {}, { assumeRole: { roleArn: ARN, tokenCode: 661204, sourceIdentity: 100000000002 } });
    expect(digits.failures).toEqual([]);
    expect(JSON.stringify(good.inputs)).not.toMatch(/"tokenCode":"661204"/);
    const bad = await checkConfig(host, {}, {
      assumeRole: { roleArn: ARN, tokenCode: [CODE] },
      assumeRoleWithWebIdentity: { webIdentityToken: TOKEN },
    });
    expect(bad.failures).toEqual([
      { property: "assumeRole", reason: "assumeRole.tokenCode must be a string" },
      { property: "assumeRoleWithWebIdentity", reason: "assumeRoleWithWebIdentity needs roleArn or roleArnFile" },
    ]);
  });
});

describe("a task's life", () => {
  test("with an MFA code: SourceIdentity, SerialNumber and TokenCode reach STS once; nothing shows the code", async () => {
    const host = await plugin();
    await configurePlugin(host, { ...account(), assumeRole: mfaRole(CODE) });
    const checked = await host.check(pluginUrn("mfa"), {}, liveRelay());
    const created = await host.create(pluginUrn("mfa"), checked.inputs);
    await host.delete(created.id, pluginUrn("mfa"), created.properties);
    expect(emu.requestsOf("AssumeRole").map((r) => r.body)).toEqual([
      expect.objectContaining({ RoleArn: ARN, SerialNumber: emu.emulator.sts.mfaSerialNumber, TokenCode: CODE, SourceIdentity: "100000000002" }),
    ]);
    expectClean(JSON.stringify(created.properties), "outputs");
    expectClean(host.stderr(), "plugin stderr");
  });

  test("a wrong code: STS's CheckMFAError, no task, and no code in the error or stderr", async () => {
    const host = await plugin();
    await configurePlugin(host, { ...account(), assumeRole: mfaRole(WRONG) });
    const css = emu.requests.filter((r) => r.action.includes("LivePullStreamTask")).length;
    const checked = await host.check(pluginUrn("wrong"), {}, liveRelay());
    const err = await host.create(pluginUrn("wrong"), checked.inputs).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).details).toMatch(/AssumeRole failed: FailedOperation.CheckMFAError/);
    expectClean((err as HostCallError).details, "error");
    expectClean(host.stderr(), "plugin stderr");
    expect(emu.requests.filter((r) => r.action.includes("LivePullStreamTask")).length).toBe(css);
  });
});
