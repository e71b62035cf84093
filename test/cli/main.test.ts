// The `css-pull-tasks` dispatcher, in-process and as the compiled bin (dist/, built by `npm test`).
import * as fs from "fs";
import * as os from "os";
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
    for (const c of ["validate", "export", "status", "restart", "emulator", "preview", "up", "refresh", "destroy"]) expect(help.out).toContain(`  ${c} `);
    expect((await run([])).code).toBe(2);
    const unknown = await run(["deploy"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "deploy"');
  });

  test("each command has --help, and `help COMMAND` prints that command's help, not the general one", async () => {
    for (const c of ["validate", "export", "status", "restart", "preview", "up", "refresh", "destroy"]) {
      const r = await run([c, "--help"]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: css-pull-tasks ${c}`));
      const viaHelp = await run(["help", c]);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.out).toBe(r.out);
    }
    expect((await run(["help", "emulator"])).out).toMatch(/^Usage: css-pull-tasks emulator/);
    const unknown = await run(["help", "deploy"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "deploy"');
  });

  test("the compiled bin: validate the sample file; `up` without a CLI (offline) fails at once naming the installer", () => {
    const bin = path.join(repo, "dist", "cli", "main.js");
    const ok = spawnSync(process.execPath, [bin, "validate", "tasks.yaml"], { cwd: repo, encoding: "utf8" });
    expect(ok.stdout).toMatch(/^tasks\.yaml: ok/);
    expect(ok.status).toBe(0);
    // A project whose npm package `pulumi` is a stand-in failing as offline: the real one would download.
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "css-main-up-"));
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: t\nruntime: nodejs\n");
    fs.mkdirSync(path.join(project, "node_modules", "pulumi"), { recursive: true });
    fs.writeFileSync(path.join(project, "node_modules", "pulumi", "package.json"), '{"name":"pulumi","version":"3.265.0","bin":"run.js"}');
    fs.writeFileSync(path.join(project, "node_modules", "pulumi", "run.js"), 'console.error("pulumi: fetch failed"); process.exit(1);');
    const upRun = spawnSync(process.execPath, [bin, "up"], { cwd: project, encoding: "utf8", env: { PATH: "/nonexistent", HOME: "/nonexistent" } });
    fs.rmSync(project, { recursive: true, force: true });
    expect(upRun.status).toBe(1);
    expect(upRun.stderr).toContain("curl -fsSL https://get.pulumi.com | sh");
    const emulatorHelp = spawnSync(process.execPath, [bin, "emulator", "--help"], { cwd: repo, encoding: "utf8" });
    expect(emulatorHelp.status).toBe(0);
    expect(emulatorHelp.stdout).toContain("Usage: css-pull-tasks emulator");
  });
  test("the compiled bin's validate loads no other command's modules: no Pulumi SDK, gRPC or API client", () => {
    const bin = path.join(repo, "dist", "cli", "main.js");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-main-modules-"));
    const hook = path.join(dir, "loaded.js");
    // Lists every module the process loaded, at exit.
    fs.writeFileSync(hook, 'process.on("exit", () => process.stderr.write("LOADED " + JSON.stringify(Object.keys(require.cache))));');
    const r = spawnSync(process.execPath, ["-r", hook, bin, "validate", "tasks.yaml"], { cwd: repo, encoding: "utf8" });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.stdout).toMatch(/^tasks\.yaml: ok/);
    const loaded = JSON.parse(/LOADED (.*)$/.exec(r.stderr)![1]) as string[];
    const heavy = loaded.filter((m) => /@pulumi[\\/]pulumi|@grpc|[\\/]provider[\\/]api[\\/]|[\\/]cli[\\/]export/.test(m));
    expect(heavy).toEqual([]);
    expect(loaded.some((m) => /[\\/]cli[\\/]validate\.js$/.test(m))).toBe(true);
  });
});
