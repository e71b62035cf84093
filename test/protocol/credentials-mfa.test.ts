// Issue 24 through Pulumi's real dynamic provider host: `tencentcloud:assumeRole` with the Terraform
// provider's serialNumber / tokenCode (MFA) and sourceIdentity runs a task's life; a wrong code is
// refused by STS before any CSS call. Neither the SecretKey nor the code (right or wrong) reaches
// state, the serialised provider, the host's stderr or an error.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_UIN } from "../../emulator";
import { Stack } from "../../harness/engine";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, TestEmulator } from "../support/emulator";
import { HostCallError, ProviderHost } from "../support/host";
import { liveRelay } from "../support/tasks";

const ARN = `qcs::cam::uin/${DEFAULT_ACCOUNT_UIN}:roleName/mfa-pipeline`;
const CODE = "390417";
const WRONG = "714093";
let emu: TestEmulator;
let home: string;

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("TENCENTCLOUD_") && !k.startsWith("TKE_")) env[k] = v;
  return { ...env, HOME: home, TENCENTCLOUD_SECRET_ID: EMULATOR_SECRET_ID, TENCENTCLOUD_SECRET_KEY: EMULATOR_SECRET_KEY };
}
function expectClean(text: string, what: string): void {
  for (const s of [EMULATOR_SECRET_KEY, CODE, WRONG, ...emu.emulator.sts.secrets()]) {
    expect(text.includes(s), `${what} holds a secret`).toBe(false);
  }
}
async function hostWith(code: string): Promise<ProviderHost> {
  const host = await ProviderHost.start({ env: cleanEnv() });
  await host.configure({
    "tencentcloud:cssEndpoint": emu.url,
    "tencentcloud:stsEndpoint": emu.url,
    "tencentcloud:assumeRole": {
      roleArn: ARN, serialNumber: emu.emulator.sts.mfaSerialNumber, tokenCode: code, sourceIdentity: "100000000002",
    },
  });
  return host;
}

beforeAll(async () => {
  emu = await TestEmulator.start({ mfaRoles: ["mfa-pipeline"], mfaCodes: [CODE], rateScale: 10 });
  home = fs.mkdtempSync(path.join(os.tmpdir(), "css-mfa-home-"));
});
afterAll(async () => {
  await emu?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe("assumeRole with MFA from stack config", () => {
  it("creates, refreshes, updates and destroys with one AssumeRole per provider process", async () => {
    const host = await hostWith(CODE);
    try {
      const stack = new Stack(host);
      const program = liveRelay();
      await stack.up("mfa", program);
      const id = stack.state.get("mfa")!.id;
      await stack.refresh("mfa");
      await stack.up("mfa", { ...program, comment: "with MFA" });
      expect(emu.task(id)!.Comment).toBe("with MFA");
      expectClean(JSON.stringify([...stack.state.values()]), "state");
      expectClean(host.providerText, "serialised provider");
      await stack.destroy("mfa");
      expect(emu.task(id)).toBeUndefined();
      expect(emu.requestsOf("AssumeRole")[0].body).toMatchObject({ TokenCode: CODE, SerialNumber: emu.emulator.sts.mfaSerialNumber });
      // The run's, and destroy's own (a `pulumi destroy` is a process of its own).
      expect(emu.emulator.sts.issued().AssumeRole).toBe(2);
      expectClean(host.stderr(), "host stderr");
    } finally {
      await host.close();
    }
  });

  it("a wrong code: FailedOperation.CheckMFAError before any CSS call, no code anywhere", async () => {
    const host = await hostWith(WRONG);
    try {
      const stack = new Stack(host);
      const css = emu.requests.filter((r) => r.action.includes("LivePullStreamTask")).length;
      const err = await stack.up("wrong", liveRelay()).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(HostCallError);
      const details = (err as HostCallError).details;
      expect(details).toMatch(/stack config \(tencentcloud:assumeRole\).*AssumeRole failed: FailedOperation.CheckMFAError/);
      expectClean(details, "error");
      expectClean(host.stderr(), "host stderr");
      expect(emu.requests.filter((r) => r.action.includes("LivePullStreamTask")).length).toBe(css);
    } finally {
      await host.close();
    }
  });
});
