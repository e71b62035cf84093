// The CLI (status, restart, export) resolves credentials as the provider does, from its environment:
// an OIDC token file with no stored key, an assumed role, a named tccli profile; a failure names
// the source and never a value.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { iso } from "../support/time";
import { DEFAULT_ACCOUNT_UIN, startEmulator, type RunningEmulator } from "../../emulator";
import { runExport } from "../../cli/export";
import { runRestart } from "../../cli/restart";
import { runStatus } from "../../cli/status";
import type { Io } from "../../cli/io";
import { CssClient } from "../../provider/api/client";

const ARN = `qcs::cam::uin/${DEFAULT_ACCOUNT_UIN}:roleName/ci`;
const TOKEN = "cli-oidc-token-never-printed-4d5e";
let emu: RunningEmulator;
let dir: string;
let taskId: string;

beforeAll(async () => {
  emu = await startEmulator({ oidcTokens: [TOKEN] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-cli-cred-"));
  fs.writeFileSync(path.join(dir, "token"), TOKEN);
  const c = new CssClient({ endpoint: emu.url, secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key", env: {}, homeDir: dir });
  taskId = (await c.createTask({
    SourceType: "PullLivePushLive", SourceUrls: ["rtmp://origin.example.net/live/cli"], DomainName: "push.example.com",
    AppName: "live", StreamName: "cli", StartTime: iso(Date.now() - 3600_000), EndTime: iso(Date.now() + 3600_000), Operator: "seed",
  })).TaskId;
});
afterAll(async () => {
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function io(env: Record<string, string>): Io & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const full = { TENCENTCLOUD_CSS_ENDPOINT: emu.url, TENCENTCLOUD_STS_ENDPOINT: emu.url, HOME: dir, ...env };
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: dir, env: full, out: () => out, err: () => err };
}
const OIDC_ENV = { TENCENTCLOUD_ASSUME_ROLE_ARN: ARN, TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: "" };

describe("CLI credentials", () => {
  it("status, restart and export with GitHub-style OIDC: a token file and a role, no key", async () => {
    const env = { ...OIDC_ENV, TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: path.join(dir, "token") };
    const s = io(env);
    expect(await runStatus([taskId], s), s.err()).toBe(0);
    const r = io(env);
    expect(await runRestart([taskId], r), r.err()).toBe(0);
    const e = io(env);
    expect(await runExport(["--out", "tasks.yaml"], e), e.err()).toBe(0);
    expect(fs.readFileSync(path.join(dir, "tasks.yaml"), "utf8")).toContain("origin.example.net");
    expect(emu.sts.issued().AssumeRoleWithWebIdentity).toBeGreaterThanOrEqual(3);
  });

  it("a named tccli profile (TENCENTCLOUD_PROFILE, TENCENTCLOUD_SHARED_CREDENTIALS_DIR) with a role to assume", async () => {
    const profiles = path.join(dir, "profiles");
    fs.mkdirSync(profiles, { recursive: true });
    fs.writeFileSync(path.join(profiles, "ops.credential"), JSON.stringify({ secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key", "role-arn": ARN }));
    const before = emu.sts.issued().AssumeRole ?? 0;
    const s = io({ TENCENTCLOUD_PROFILE: "ops", TENCENTCLOUD_SHARED_CREDENTIALS_DIR: profiles });
    expect(await runStatus([taskId], s), s.err()).toBe(0);
    expect(emu.sts.issued().AssumeRole).toBe(before + 1);
  });

  it("a refused token: exit 1, the source and the API's code, not the token", async () => {
    fs.writeFileSync(path.join(dir, "bad-token"), "not-the-token-either-8f8f");
    const s = io({ ...OIDC_ENV, TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: path.join(dir, "bad-token") });
    expect(await runStatus([taskId], s)).toBe(1);
    expect(s.out()).toMatch(/TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE\).*InvalidParameter.WebIdentityTokenError/);
    expect(s.err() + s.out()).not.toContain("not-the-token-either");
  });
});
