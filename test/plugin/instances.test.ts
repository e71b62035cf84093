// The native plugin's provider configuration over gRPC (CheckConfig, DiffConfig, Configure) and
// several provider instances with different credentials: each instance's calls are signed with its
// own keys and sent to its own endpoint, in separate plugin processes (as the engine runs them) and
// in one process (TaskProvider objects side by side). Falls back to env and the tccli profile.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TaskProvider } from "../../plugin/provider";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, TestEmulator } from "../support/emulator";
import type { ProviderHost, Props } from "../support/host";
import { liveRelay } from "../support/tasks";
import { checkConfig, configurePlugin, diffConfig, isSecret, pluginUrn, secret, startPlugin, unwrap, emulatorAccount } from "../support/plugin";

const TEMP = { secretId: "AKIDTEMPORARY", secretKey: "temporary-secret-key", token: "session-token-2" };
const OTHER = { secretId: "AKIDSECONDACCOUNT", secretKey: "second-account-key" };

let first: TestEmulator;
let second: TestEmulator;
const hosts: ProviderHost[] = [];
const home = fs.mkdtempSync(path.join(os.tmpdir(), "css-plugin-home-"));
/** Plugin processes see no credentials of the machine running the tests. */
const cleanEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home };

beforeAll(async () => {
  first = await TestEmulator.start();
  // Another account: its own permanent key and a temporary (STS) key with its session token.
  second = await TestEmulator.start({ ...OTHER, tempCredentials: [TEMP] });
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await Promise.all([first?.close(), second?.close()]);
  fs.rmSync(home, { recursive: true, force: true });
});

async function plugin(env: NodeJS.ProcessEnv = cleanEnv): Promise<ProviderHost> {
  const h = await startPlugin(env);
  hosts.push(h);
  return h;
}

/** Which emulator holds the task (ids are per emulator, so the stream name says whose it is). */
function holder(id: string, streamName: unknown): string {
  const places = [first.task(id)?.StreamName === streamName ? "first" : "", second.task(id)?.StreamName === streamName ? "second" : ""];
  return places.filter(Boolean).join("+") || "none";
}

/** check + create of one task through a plugin, as `pulumi up` does. */
async function createThrough(host: ProviderHost, name: string, program: Props): Promise<{ id: string; properties: Props }> {
  const checked = await host.check(pluginUrn(name), {}, program);
  expect(checked.failures).toEqual([]);
  return host.create(pluginUrn(name), checked.inputs);
}

describe("provider configuration over gRPC", () => {
  test("CheckConfig names the field and the rule, keeps credentials secret, passes engine keys through", async () => {
    const host = await plugin();
    const bad = await checkConfig(host, {}, { secretId: "AKIDX", requestTimeoutMs: "0", region: "mars-1", maxTaskSpanDays: 2.5, version: "0.1.0" });
    expect(bad.failures.map((f) => f.property).sort()).toEqual(["maxTaskSpanDays", "region", "requestTimeoutMs", "secretKey"]);
    expect(bad.failures.find((f) => f.property === "secretKey")?.reason).toContain("secretId is set but secretKey is not");
    expect(bad.failures.find((f) => f.property === "region")?.reason).toContain("ap-guangzhou");
    const good = await checkConfig(host, {}, { secretId: "AKIDX", secretKey: secret("k"), requestTimeoutMs: "5000", version: "0.1.0" });
    expect(good.failures).toEqual([]);
    // A plain secretId from the program goes back as a secret, so the engine stores it encrypted.
    expect(isSecret(good.inputs.secretId)).toBe(true);
    expect(isSecret(good.inputs.secretKey)).toBe(true);
    expect(unwrap(good.inputs)).toEqual({ secretId: "AKIDX", secretKey: "k", requestTimeoutMs: "5000", version: "0.1.0" });
  });

  test("DiffConfig: new credentials or endpoint are an in-place change of the provider, never a replacement", async () => {
    const host = await plugin();
    const olds = { secretId: secret("AKIDA"), secretKey: secret("a"), region: "ap-guangzhou" };
    expect(await diffConfig(host, olds, { ...olds })).toEqual({ changes: "none", diffs: [], replaces: [] });
    const rotated = await diffConfig(host, olds, { ...olds, secretKey: secret("b"), endpoint: "http://127.0.0.1:9" });
    expect(rotated).toEqual({ changes: "some", diffs: ["secretKey", "endpoint"], replaces: [] });
  });

  test("Configure accepts secrets and declines preview writes", async () => {
    const host = await plugin();
    expect(await configurePlugin(host, { region: "ap-guangzhou" })).toEqual({ acceptSecrets: true, supportsPreview: false });
  });
});

describe("several provider instances", () => {
  test("two plugin processes, two accounts: each signs with its own keys at its own endpoint", async () => {
    const [a, b] = await Promise.all([plugin(), plugin()]);
    await configurePlugin(a, { ...emulatorAccount(first.url), region: "ap-guangzhou" });
    // Temporary credentials, and an older engine's Configure that sends only `variables`.
    await configurePlugin(b, { secretId: TEMP.secretId, secretKey: TEMP.secretKey, securityToken: TEMP.token, endpoint: second.url, region: "ap-singapore" }, { argsOmitted: true });
    const [pa, pb] = [liveRelay(), liveRelay()];
    const [ta, tb] = await Promise.all([createThrough(a, "in-first", pa), createThrough(b, "in-second", pb)]);
    expect(holder(ta.id, pa.streamName)).toBe("first");
    expect(holder(tb.id, pb.streamName)).toBe("second");
    // Each instance's default region fills its own tasks.
    expect(unwrap(ta.properties).region).toBe("ap-guangzhou");
    expect(unwrap(tb.properties).region).toBe("ap-singapore");
    // `pulumi import` by id goes to the instance's own account and region.
    const viaB = unwrap((await b.read(tb.id, pluginUrn("adopted"), {})).properties);
    expect(viaB).toMatchObject({ taskId: tb.id, region: "ap-singapore", streamName: pb.streamName });
    // Ids are per account: the same id read through the other instance is that account's task.
    expect(ta.id).toBe(tb.id);
    expect(unwrap((await a.read(tb.id, pluginUrn("adopted"), {})).properties)).toMatchObject({ region: "ap-guangzhou", streamName: pa.streamName });
  });

  test("two TaskProvider objects in one process, calls interleaved, never share settings", async () => {
    const a = new TaskProvider();
    const b = new TaskProvider();
    a.configure({ secretId: EMULATOR_SECRET_ID, secretKey: secret(EMULATOR_SECRET_KEY), endpoint: first.url, region: "ap-guangzhou" });
    b.configure({ secretId: secret(OTHER.secretId), secretKey: secret(OTHER.secretKey), endpoint: second.url, region: "ap-tokyo" });
    const make = async (p: TaskProvider, name: string) => {
      const checked = await p.check(pluginUrn(name), {}, liveRelay());
      return p.create(pluginUrn(name), checked.inputs);
    };
    const created = await Promise.all([make(a, "a1"), make(b, "b1"), make(a, "a2"), make(b, "b2")]);
    expect(created.map((c) => holder(c.id, unwrap(c.outs as Props).streamName))).toEqual(["first", "second", "first", "second"]);
    expect(created.map((c) => unwrap(c.outs as Props).region)).toEqual(["ap-guangzhou", "ap-tokyo", "ap-guangzhou", "ap-tokyo"]);
    // A third instance with a wrong key fails alone, naming the emulator's refusal.
    const wrong = new TaskProvider();
    wrong.configure({ secretId: "AKIDNOBODY", secretKey: "nope", endpoint: first.url });
    await expect(make(wrong, "w")).rejects.toThrow(/AKIDNOBODY|SecretId/);
    expect((await a.read(created[2].id, pluginUrn("a2"), created[2].outs)).id).toBe(created[2].id);
  });

  test("without provider config: the same fallbacks as the dynamic provider (env, then the tccli profile)", async () => {
    const viaEnv = await plugin({ ...cleanEnv, TENCENTCLOUD_SECRET_ID: EMULATOR_SECRET_ID, TENCENTCLOUD_SECRET_KEY: EMULATOR_SECRET_KEY, TENCENTCLOUD_CSS_ENDPOINT: first.url });
    await configurePlugin(viaEnv, {});
    const pe = liveRelay();
    expect(holder((await createThrough(viaEnv, "env", pe)).id, pe.streamName)).toBe("first");

    const profileHome = fs.mkdtempSync(path.join(home, "tccli-"));
    fs.mkdirSync(path.join(profileHome, ".tccli"));
    fs.writeFileSync(path.join(profileHome, ".tccli", "default.credential"), JSON.stringify({ secretId: OTHER.secretId, secretKey: OTHER.secretKey }));
    fs.writeFileSync(path.join(profileHome, ".tccli", "default.configure"), JSON.stringify({ _sys_param: { region: "ap-seoul" } }));
    const viaProfile = await plugin({ PATH: process.env.PATH, HOME: profileHome });
    await configurePlugin(viaProfile, { endpoint: second.url });
    const pp = liveRelay();
    const t = await createThrough(viaProfile, "profile", pp);
    expect(holder(t.id, pp.streamName)).toBe("second");
    expect(unwrap(t.properties).region).toBe("ap-seoul");
  });
});
