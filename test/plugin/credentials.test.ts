// The native plugin's credential settings (same names as the dynamic face, under tencentcloud-css:):
// CheckConfig names the setting and the rule, typed objects and lists arrive through args or the flat
// variables, OIDC runs a task's life across an expired session, the account guard refuses; no token
// or temporary key in the checked config's plain text, the outputs or errors.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEFAULT_ACCOUNT_UIN } from "../../emulator";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, TestEmulator } from "../support/emulator";
import { HostCallError, type ProviderHost, type Props } from "../support/host";
import { liveRelay } from "../support/tasks";
import { checkConfig, configurePlugin, isSecret, pluginUrn, secret, startPlugin } from "../support/plugin";

const ARN = `qcs::cam::uin/${DEFAULT_ACCOUNT_UIN}:roleName/plugin`;
const TOKEN = "plugin-oidc-token-never-shown-3b3b";
let emu: TestEmulator;
const hosts: ProviderHost[] = [];
const home = fs.mkdtempSync(path.join(os.tmpdir(), "css-plugin-cred-"));
const cleanEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home };

beforeAll(async () => {
  emu = await TestEmulator.start({ oidcTokens: [TOKEN], camRoles: ["cvm-plugin"], rateScale: 10 });
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
  for (const s of [TOKEN, EMULATOR_SECRET_KEY, ...emu.emulator.sts.secrets()]) expect(text.includes(s), `${what} holds a secret`).toBe(false);
}
async function lifeOf(host: ProviderHost, name: string): Promise<Props> {
  const checked = await host.check(pluginUrn(name), {}, liveRelay());
  const created = await host.create(pluginUrn(name), checked.inputs);
  const news = (await host.check(pluginUrn(name), checked.inputs, { ...liveRelay(), streamName: checked.inputs.streamName, comment: "later" })).inputs;
  return { id: created.id, olds: created.properties, news };
}

describe("CheckConfig", () => {
  test("names the setting and the rule, never the value; the OIDC object is kept secret", async () => {
    const host = await plugin();
    const bad = await checkConfig(host, {}, {
      assumeRole: { roleArn: ARN, sessionDuration: 50000 },
      assumeRoleWithWebIdentity: { roleArn: ARN, providerId: TOKEN },
      allowedAccountIds: ["12ab"],
      enablePodOidc: "maybe",
      camRoleName: 7,
    });
    expect(bad.failures.map((f) => f.property).sort()).toEqual(["allowedAccountIds", "assumeRole", "assumeRoleWithWebIdentity", "camRoleName", "enablePodOidc"]);
    expect(bad.failures.find((f) => f.property === "assumeRole")!.reason).toMatch(/sessionDuration must be .* 0 to 43200/);
    for (const f of bad.failures) expect(f.reason).not.toContain(TOKEN);
    const good = await checkConfig(host, {}, {
      assumeRoleWithWebIdentity: { roleArn: ARN, webIdentityToken: TOKEN },
      assumeRole: JSON.stringify({ roleArn: ARN }),
      allowedAccountIds: [DEFAULT_ACCOUNT_UIN],
      enablePodOidc: false,
    });
    expect(good.failures).toEqual([]);
    expect(isSecret(good.inputs.assumeRoleWithWebIdentity)).toBe(true);
  });
});

describe("a task's life", () => {
  test("OIDC from typed args (token as a nested secret) across an expired session, account checked", async () => {
    const host = await plugin();
    await configurePlugin(host, {
      endpoint: emu.url,
      stsEndpoint: emu.url,
      assumeRoleWithWebIdentity: { roleArn: ARN, webIdentityToken: secret(TOKEN), sessionDuration: 900 },
      allowedAccountIds: [DEFAULT_ACCOUNT_UIN],
    });
    const { id, olds, news } = await lifeOf(host, "oidc");
    emu.emulator.setClockOffset(910_000);
    try {
      const updated = await host.update(id as string, pluginUrn("oidc"), olds as Props, news as Props);
      expect(emu.task(id as string)!.Comment).toBe("later");
      await host.delete(id as string, pluginUrn("oidc"), updated.properties);
      expect(emu.emulator.sts.issued().AssumeRoleWithWebIdentity).toBe(2);
      expectClean(JSON.stringify(updated.properties), "outputs");
      expectClean(host.stderr(), "plugin stderr");
    } finally {
      emu.emulator.setClockOffset(0);
    }
  });

  test("assumeRole from the flat variables (JSON text), as older engines send it", async () => {
    const host = await plugin();
    const before = emu.emulator.sts.issued().AssumeRole ?? 0;
    await configurePlugin(host, {
      secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY, endpoint: emu.url, stsEndpoint: emu.url,
      assumeRole: { roleArn: ARN, sessionName: "plugin" },
    }, { argsOmitted: true });
    const checked = await host.check(pluginUrn("ar"), {}, liveRelay());
    const created = await host.create(pluginUrn("ar"), checked.inputs);
    await host.delete(created.id, pluginUrn("ar"), created.properties);
    expect(emu.emulator.sts.issued().AssumeRole).toBe(before + 1);
  });

  test("camRoleName and a named profile as provider settings", async () => {
    const env = { ...cleanEnv, TENCENTCLOUD_METADATA_ENDPOINT: emu.url };
    const cvm = await startPlugin(env);
    hosts.push(cvm);
    await configurePlugin(cvm, { endpoint: emu.url, camRoleName: "cvm-plugin" });
    const a = await cvm.create(pluginUrn("cvm"), (await cvm.check(pluginUrn("cvm"), {}, liveRelay())).inputs);
    await cvm.delete(a.id, pluginUrn("cvm"), a.properties);
    expect(emu.emulator.sts.issued().metadata).toBeGreaterThanOrEqual(1);
    fs.writeFileSync(path.join(home, "ops.credential"), JSON.stringify({ secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY }));
    const prof = await plugin();
    await configurePlugin(prof, { endpoint: emu.url, profile: "ops", sharedCredentialsDir: home });
    const b = await prof.create(pluginUrn("prof"), (await prof.check(pluginUrn("prof"), {}, liveRelay())).inputs);
    await prof.delete(b.id, pluginUrn("prof"), b.properties);
  });

  test("the account guard refuses before any CSS call", async () => {
    const host = await plugin();
    await configurePlugin(host, {
      secretId: secret(EMULATOR_SECRET_ID), secretKey: secret(EMULATOR_SECRET_KEY), endpoint: emu.url, stsEndpoint: emu.url,
      allowedAccountIds: ["200000000002"],
    });
    const css = emu.requests.filter((r) => r.action.includes("LivePullStreamTask")).length;
    const checked = await host.check(pluginUrn("guarded"), {}, liveRelay());
    const err = await host.create(pluginUrn("guarded"), checked.inputs).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).details).toMatch(/not in the allowedAccountIds setting \(200000000002\)/);
    expectClean((err as HostCallError).details, "error");
    expect(emu.requests.filter((r) => r.action.includes("LivePullStreamTask")).length).toBe(css);
  });
});
