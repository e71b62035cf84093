// Credentials for pipelines through Pulumi's real dynamic provider host: OIDC from a token file with
// no key anywhere, a session that expires mid-run (the emulator's clock jumps) and a rotated token
// file, a CVM role, an assumed role from the host's environment, and the account guard refusing
// before any CSS call. No key, token or web identity token reaches state, errors, stderr or the
// serialised provider.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_UIN } from "../../emulator";
import { Stack } from "../../harness/engine";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, TestEmulator } from "../support/emulator";
import { HostCallError, ProviderHost } from "../support/host";
import { emulatorConfig, liveRelay } from "../support/tasks";

const ARN = `qcs::cam::uin/${DEFAULT_ACCOUNT_UIN}:roleName/pipeline`;
const TOKENS = ["gh-oidc-token-one-never-stored-7a1f", "gh-oidc-token-two-never-stored-9c2e"];
let emu: TestEmulator;
let home: string;

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("TENCENTCLOUD_") && !k.startsWith("TKE_")) env[k] = v;
  return { ...env, HOME: home, ...extra };
}

beforeAll(async () => {
  emu = await TestEmulator.start({ oidcTokens: [TOKENS[0]], camRoles: ["cvm-pipeline"], rateScale: 10 });
  home = fs.mkdtempSync(path.join(os.tmpdir(), "css-cred-home-"));
});
afterAll(async () => {
  await emu?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** Every value that must never be written anywhere: the base key, the OIDC tokens, every issued temporary key. */
function secrets(): string[] {
  return [EMULATOR_SECRET_KEY, ...TOKENS, ...emu.emulator.sts.secrets()];
}
function expectClean(text: string, what: string): void {
  for (const s of secrets()) expect(text.includes(s), `${what} holds a secret`).toBe(false);
}

describe("OIDC from a token file, no key anywhere", () => {
  let host: ProviderHost;
  const tokenFile = () => path.join(home, "oidc-token");
  beforeAll(async () => {
    fs.writeFileSync(tokenFile(), TOKENS[0]);
    host = await ProviderHost.start({ env: cleanEnv() });
    await host.configure({
      "tencentcloud:cssEndpoint": emu.url,
      "tencentcloud:stsEndpoint": emu.url,
      "tencentcloud:assumeRoleWithWebIdentity": { roleArn: ARN, webIdentityTokenFile: tokenFile(), sessionDuration: 900 },
      "tencentcloud:allowedAccountIds": [DEFAULT_ACCOUNT_UIN],
    });
  });
  afterAll(async () => {
    await host?.close();
  });

  it("creates, survives the session's expiry and a rotated token, updates and destroys", async () => {
    const stack = new Stack(host);
    const program = liveRelay();
    await stack.up("oidc", program);
    const id = stack.state.get("oidc")!.id;
    expect(emu.task(id)).toBeDefined();
    // Sent unsigned: the emulator refuses AssumeRoleWithWebIdentity with any Authorization but "SKIP".
    expect(emu.requestsOf("AssumeRoleWithWebIdentity").length).toBe(1);
    // Past the session on the API's clock, with the projected token rotated meanwhile.
    fs.writeFileSync(tokenFile(), TOKENS[1]);
    emu.emulator.sts.setOidcTokens([TOKENS[1]]);
    emu.emulator.setClockOffset(900_000 + 10_000);
    try {
      await stack.up("oidc", { ...program, comment: "after the session expired" });
      expect(emu.task(id)!.Comment).toBe("after the session expired");
      expect(emu.emulator.sts.issued().AssumeRoleWithWebIdentity).toBe(2);
      await stack.refresh("oidc");
      const state = JSON.stringify([...stack.state.values()]);
      expectClean(state, "state");
      expectClean(host.providerText, "serialised provider");
      await stack.destroy("oidc");
      expect(emu.task(id)).toBeUndefined();
      expectClean(host.stderr(), "host stderr");
      // Once per provider process: the run's, and destroy's own (a `pulumi destroy` is a process of its own).
      expect(emu.emulator.calls().calls.GetCallerIdentity).toBe(2);
    } finally {
      emu.emulator.setClockOffset(0);
      emu.emulator.sts.setOidcTokens([TOKENS[0]]);
    }
  });
});

describe("roles from the host's environment", () => {
  it("a CVM instance role (TENCENTCLOUD_CAM_ROLE_NAME) creates and deletes", async () => {
    const host = await ProviderHost.start({
      env: cleanEnv({ TENCENTCLOUD_CAM_ROLE_NAME: "cvm-pipeline", TENCENTCLOUD_METADATA_ENDPOINT: emu.url, TENCENTCLOUD_CSS_ENDPOINT: emu.url }),
    });
    try {
      await host.configure({});
      const stack = new Stack(host);
      await stack.up("cvm", liveRelay());
      await stack.destroy("cvm");
      expect(emu.emulator.sts.issued().metadata).toBeGreaterThanOrEqual(1);
      expectClean(host.stderr(), "host stderr");
    } finally {
      await host.close();
    }
  });

  it("TKE pod OIDC: tencentcloud:enablePodOidc with the TKE_* variables the pod identity add-on sets", async () => {
    const tokenFile = path.join(home, "tke-token");
    fs.writeFileSync(tokenFile, TOKENS[0]);
    const before = emu.emulator.sts.issued().AssumeRoleWithWebIdentity ?? 0;
    const host = await ProviderHost.start({
      env: cleanEnv({ TKE_ROLE_ARN: ARN, TKE_PROVIDER_ID: "tke-oidc", TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile, TKE_REGION: "ap-guangzhou" }),
    });
    try {
      await host.configure({ "tencentcloud:enablePodOidc": "true", "tencentcloud:cssEndpoint": emu.url, "tencentcloud:stsEndpoint": emu.url });
      const stack = new Stack(host);
      await stack.up("tke", liveRelay());
      await stack.destroy("tke");
      // One exchange per provider process: up's, and destroy's own (the engine simulator's, as `pulumi destroy`).
      expect(emu.emulator.sts.issued().AssumeRoleWithWebIdentity).toBe(before + 2);
      expectClean(host.stderr(), "host stderr");
    } finally {
      await host.close();
    }
  });

  it("TENCENTCLOUD_ASSUME_ROLE_ARN assumes the role with the key pair of the environment", async () => {
    const before = emu.emulator.sts.issued().AssumeRole ?? 0;
    const host = await ProviderHost.start({
      env: cleanEnv({
        TENCENTCLOUD_SECRET_ID: EMULATOR_SECRET_ID, TENCENTCLOUD_SECRET_KEY: EMULATOR_SECRET_KEY,
        TENCENTCLOUD_ASSUME_ROLE_ARN: ARN, TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: "gitops",
        TENCENTCLOUD_CSS_ENDPOINT: emu.url, TENCENTCLOUD_STS_ENDPOINT: emu.url,
      }),
    });
    try {
      await host.configure({});
      const stack = new Stack(host);
      await stack.up("assumed", liveRelay());
      await stack.destroy("assumed");
      // One per provider process: up's, and destroy's own.
      expect(emu.emulator.sts.issued().AssumeRole).toBe(before + 2);
    } finally {
      await host.close();
    }
  });
});

describe("account guard", () => {
  it("refuses another account before any CSS call, saying which setting, with no value in the error", async () => {
    const host = await ProviderHost.start({ env: cleanEnv() });
    try {
      await host.configure(
        emulatorConfig(emu.url, {
          "tencentcloud:stsEndpoint": emu.url,
          "tencentcloud:allowedAccountIds": JSON.stringify(["200000000002"]),
        }),
      );
      const stack = new Stack(host);
      const before = emu.tasks().length;
      const cssCalls = emu.requests.filter((r) => r.action.includes("LivePullStreamTask")).length;
      const err = await stack.up("guarded", liveRelay()).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(HostCallError);
      const details = (err as HostCallError).details;
      expect(details).toMatch(/account 100000000001, which is not in the allowedAccountIds setting \(200000000002\)/);
      expectClean(details, "error");
      expect(emu.tasks().length).toBe(before);
      expect(emu.requests.filter((r) => r.action.includes("LivePullStreamTask")).length).toBe(cssCalls);
    } finally {
      await host.close();
    }
  });
});
