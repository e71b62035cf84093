// The `css-pull-tasks` dispatcher, in-process and as the compiled bin (dist/, built by `npm test`).
import * as path from "path";
import { spawnSync } from "child_process";
import { describe, expect, test } from "vitest";
import { main } from "../../cli/main";
import type { Io } from "../../cli/io";

const repo = path.resolve(__dirname, "../..");

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: repo, env: {} };
  return { code: await main(argv, io), out, err };
}

describe("css-pull-tasks", () => {
  test("--help lists every command; no command is a usage error; an unknown one too", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    for (const c of ["validate", "export", "up", "emulator"]) expect(help.out).toContain(`  ${c} `);
    expect((await run([])).code).toBe(2);
    const unknown = await run(["deploy"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "deploy"');
  });

  test("each command has --help", async () => {
    for (const c of ["validate", "export", "up"]) {
      const r = await run([c, "--help"]);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: css-pull-tasks ${c}`);
    }
  });

  test("the compiled bin: validate the sample file; `up` without pulumi on PATH fails at once naming the installer", () => {
    const bin = path.join(repo, "dist", "cli", "main.js");
    const ok = spawnSync(process.execPath, [bin, "validate", "tasks.yaml"], { cwd: repo, encoding: "utf8" });
    expect(ok.stdout).toMatch(/^tasks\.yaml: ok/);
    expect(ok.status).toBe(0);
    const upRun = spawnSync(process.execPath, [bin, "up"], { cwd: repo, encoding: "utf8", env: { PATH: "/nonexistent", HOME: "/nonexistent" } });
    expect(upRun.status).toBe(1);
    expect(upRun.stderr).toContain("curl -fsSL https://get.pulumi.com | sh");
    const emulatorHelp = spawnSync(process.execPath, [bin, "emulator", "--help"], { cwd: repo, encoding: "utf8" });
    expect(emulatorHelp.status).toBe(0);
    expect(emulatorHelp.stdout).toContain("Usage: css-pull-tasks emulator");
  });
});
