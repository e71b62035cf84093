// The CLI as a real process: first stdout line, serving, clean stop on SIGTERM/SIGINT.
// The emulator's sources are transpiled on the fly (no type check) so this runs from a clean clone
// without depending on the rest of the package compiling.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, codeOf } from "./support-sign";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ts = require("typescript") as typeof import("typescript");

const SRC = join(__dirname, "..", "..", "emulator");
const out = mkdtempSync(join(tmpdir(), "emulator-cli-"));
const main = join(out, "main.js");

beforeAll(() => {
  for (const f of readdirSync(SRC).filter((n) => n.endsWith(".ts"))) {
    const js = ts.transpileModule(readFileSync(join(SRC, f), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    writeFileSync(join(out, f.replace(/\.ts$/, ".js")), js);
  }
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  firstLine: string;
  exit: Promise<{ code: number | null; stderr: string }>;
}

async function run(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [main, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
  const lines = createInterface({ input: child.stdout! });
  const firstLine = await new Promise<string>((resolve) => {
    lines.once("line", resolve);
    lines.once("close", () => resolve(""));
  });
  return { child, firstLine, exit };
}

describe("css-pull-tasks emulator CLI", () => {
  it("prints the listening line first, serves, and exits 0 on SIGTERM", async () => {
    const r = await run(["--port", "0", "--task-limit", "3"]);
    expect(r.firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = r.firstLine.slice("listening on ".length);
    const d = await call(url, "DescribeLivePullStreamTasks", {});
    expect(d).toMatchObject({ TotalNum: 0, LimitTaskNum: 3 });
    r.child.kill("SIGTERM");
    expect((await r.exit).code).toBe(0);
  });
  it("exits 0 on SIGINT and honours --secret-id/--secret-key, --faults and --seed", async () => {
    const r = await run(["--secret-id", "AKIDCLI", "--secret-key", "cli-key", "--faults", "internal=1", "--seed", "3"]);
    const url = r.firstLine.slice("listening on ".length);
    const resp = await call(url, "DescribeLivePullStreamTasks", {}, { secretId: "AKIDCLI", secretKey: "cli-key" });
    expect(codeOf(resp)).toBe("InternalError");
    const faults = await (await fetch(`${url}/_emulator/faults`)).json();
    expect(faults).toMatchObject({ seed: 3, injected: { internal: 1 } });
    r.child.kill("SIGINT");
    expect((await r.exit).code).toBe(0);
  });
  it("--clock-offset-ms shifts the clock: the Date header and GET /_emulator/clock show it", async () => {
    const r = await run([`--clock-offset-ms=${-2 * 3600_000}`]); // a negative value needs the = form
    const url = r.firstLine.slice("listening on ".length);
    const res = await fetch(`${url}/_emulator/clock`);
    expect(await res.json()).toMatchObject({ offsetMs: -2 * 3600_000 });
    expect(Math.abs(Date.parse(res.headers.get("date")!) - (Date.now() - 2 * 3600_000))).toBeLessThan(2000);
    r.child.kill("SIGTERM");
    expect((await r.exit).code).toBe(0);
  });
  it("keeps tasks across restarts with --state", async () => {
    const state = join(out, "cli-state.json");
    const first = await run(["--state", state]);
    const url1 = first.firstLine.slice("listening on ".length);
    const task = {
      SourceType: "PullLivePushLive", SourceUrls: ["rtmp://s.example.com/live/a"], DomainName: "p.example.com", AppName: "live",
      StreamName: "a", StartTime: new Date(Date.now() + 60_000).toISOString().slice(0, 19) + "Z",
      EndTime: new Date(Date.now() + 3_600_000).toISOString().slice(0, 19) + "Z", Operator: "cli",
    };
    const id = (await call(url1, "CreateLivePullStreamTask", task)).TaskId;
    first.child.kill("SIGTERM");
    await first.exit;
    const second = await run(["--state", state]);
    const url2 = second.firstLine.slice("listening on ".length);
    expect((await call(url2, "DescribeLivePullStreamTasks", {})).TaskInfos.map((t: { TaskId: string }) => t.TaskId)).toEqual([id]);
    second.child.kill("SIGTERM");
    expect((await second.exit).code).toBe(0);
  });
  it("--account-uin, --oidc-token (repeatable) and --cam-role feed STS and the metadata route", async () => {
    const r = await run(["--account-uin", "555000555", "--oidc-token", "tok-1", "--oidc-token", "tok-2", "--cam-role", "cvm-r"]);
    const url = r.firstLine.slice("listening on ".length);
    const sts = (action: string, body: object, auth?: string) => fetch(`${url}/`, {
      method: "POST", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-TC-Action": action, "X-TC-Version": "2018-08-13", Authorization: auth ?? "SKIP" },
    }).then((x) => x.json() as Promise<any>);
    const arn = "qcs::cam::uin/555000555:roleName/ci";
    for (const token of ["tok-1", "tok-2"]) {
      const a = await sts("AssumeRoleWithWebIdentity", { ProviderId: "OIDC", WebIdentityToken: token, RoleArn: arn, RoleSessionName: "cli" });
      expect(a.Response.Credentials.TmpSecretId).toBeTruthy();
    }
    const refused = await sts("AssumeRoleWithWebIdentity", { ProviderId: "OIDC", WebIdentityToken: "tok-1", RoleArn: "qcs::cam::uin/1:roleName/ci", RoleSessionName: "cli" });
    expect(refused.Response.Error.Code).toBe("ResourceNotFound.RoleNotExist");
    expect(await (await fetch(`${url}/latest/meta-data/cam/security-credentials/`)).text()).toBe("cvm-r");
    r.child.kill("SIGTERM");
    expect((await r.exit).code).toBe(0);
  });
  it("a port in use says so and suggests --port 0", async () => {
    const first = await run(["--port", "0"]);
    const port = new URL(first.firstLine.slice("listening on ".length)).port;
    const second = await run(["--port", port]);
    const exit = await second.exit;
    first.child.kill("SIGTERM");
    await first.exit;
    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toMatch(new RegExp(`port ${port} is in use: give another --port, or --port 0 for any free port`));
  });
  it("--help prints usage and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.firstLine).toMatch(/^Usage: css-pull-tasks emulator/);
    expect((await r.exit).code).toBe(0);
  });
  it("bad arguments exit 2 with a message naming the option", async () => {
    const bad = await run(["--task-limit", "many"]);
    const exit = await bad.exit;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain("--task-limit must be an integer");
    const unknown = await (await run(["--colour"])).exit;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--colour");
    const faults = await (await run(["--faults", "explode=1"])).exit;
    expect(faults.code).toBe(2);
    expect(faults.stderr).toContain('unknown kind "explode"');
    const stale = await (await run(["--stale-ms", "soon"])).exit;
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain("--stale-ms must be an integer");
    const negative = await (await run(["--stale-ms=-1"])).exit;
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain("staleMs must be 0 or more");
  });
});
