// Issue 24 through the REAL Pulumi CLI on the root stack (the dynamic resource): the MFA code set
// as docs/credentials.md says, `pulumi config set --secret --path tencentcloud:assumeRole.tokenCode`,
// reaches STS's AssumeRole (with serialNumber and sourceIdentity) as plain text; a wrong one is
// refused with STS's code. Neither the code nor the SecretKey shows in the CLI's output, nor in the
// state but as ciphertext.
import { describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_UIN, DEFAULT_SECRET_KEY } from "../../emulator";
import { EngineStack, rootStackSpec, stacksOfEachTest, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";

const stacks = stacksOfEachTest();

const CODE = "527038";
const WRONG = "830725";
const ARN = `qcs::cam::uin/${DEFAULT_ACCOUNT_UIN}:roleName/gitops-mfa`;

async function mfaStack(code: string): Promise<EngineStack> {
  const s = await stacks.create(rootStackSpec(tasksYaml({ studio: relay("mfa") })));
  s.emulator.emulator.sts.setMfaCodes([CODE]);
  const set = (key: string, value: string, secret = false) =>
    s.must(["config", "set", "--path", ...(secret ? ["--secret"] : []), `tencentcloud:assumeRole.${key}`, value]);
  await s.must(["config", "set", "tencentcloud:stsEndpoint", s.emulator.url]);
  await set("roleArn", ARN);
  await set("serialNumber", s.emulator.emulator.sts.mfaSerialNumber);
  await set("sourceIdentity", "100000000002");
  await set("tokenCode", code, true);
  return s;
}

function expectClean(text: string): void {
  for (const s of [CODE, WRONG, DEFAULT_SECRET_KEY]) expect(text).not.toContain(s);
}

describe("assumeRole with MFA from stack config, through the real CLI", () => {
  it("a secret tokenCode reaches AssumeRole; up and destroy; no code in the output or the state", async () => {
    const stack = await mfaStack(CODE);
    const up = await stack.up();
    expect(stack.tasks().map((t) => t.StreamName)).toEqual(["mfa"]);
    const assumed = stack.emulator.requestsOf("AssumeRole").map((r) => r.body);
    expect(assumed).toEqual([expect.objectContaining({
      RoleArn: ARN, SerialNumber: stack.emulator.emulator.sts.mfaSerialNumber, TokenCode: CODE, SourceIdentity: "100000000002",
    })]);
    // The CSS calls were signed with the role's temporary keys, not the base key.
    expect(stack.emulator.emulator.sts.issued()).toEqual({ AssumeRole: 1 });
    expectClean(up.stdout + up.stderr);
    // The engine records the stack's config as the default provider's inputs: a secret one (the
    // object holding the code set --secret) only as ciphertext.
    const exported = await stack.must(["stack", "export"]);
    expectClean(exported.stdout);
    const resources = (JSON.parse(exported.stdout) as { deployment: { resources: any[] } }).deployment.resources;
    const provider = resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
    expect(provider?.inputs?.["tencentcloud:assumeRole"]).toMatchObject({ ciphertext: expect.any(String) });
    const destroy = await stack.must(["destroy", "--yes"]);
    expectClean(destroy.stdout + destroy.stderr);
    expect(stack.tasks()).toEqual([]);
  });

  it("a wrong code: the update fails with FailedOperation.CheckMFAError, no task, no code shown", async () => {
    const stack = await mfaStack(WRONG);
    const run = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/AssumeRole failed: FailedOperation.CheckMFAError/);
    expectClean(run.stdout + run.stderr);
    expect(stack.tasks()).toEqual([]);
  });
});
