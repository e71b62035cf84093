// `css-pull-tasks up` (npm start): the Pulumi CLI cannot be installed here, so the flow is checked
// with a stand-in `pulumi` script that records how it was called, and a stand-in of the npm package
// `pulumi` (installed in the project's node_modules, found before the real one) that either
// "downloads" fine or fails as the real one does offline. Nothing is downloaded.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, test } from "vitest";
import { runDestroy, runPreview, runRefresh, runUp, pulumiArgs, localHelp, PULUMI_INSTALL_COMMAND } from "../../cli/local-stack";
import { findInstalledPulumi, findNpmPulumi, npmPulumiCacheDir } from "../../cli/pulumi-cli";
import type { Io } from "../../cli/io";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-up-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Runner = (argv: string[], io: Io) => Promise<number>;

async function runWith(runner: Runner, argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd, env };
  return { code: await runner(argv, io), out, err };
}

const up = (argv: string[], env: NodeJS.ProcessEnv, cwd: string) => runWith(runUp, argv, env, cwd);

function project(name: string): string {
  const root = path.join(dir, name);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: t\nruntime: nodejs\n");
  return root;
}

/**
 * A stand-in npm package `pulumi` in the project's node_modules, linked from node_modules/.bin as
 * npm does. `online`: its `version` succeeds and every call is logged; otherwise it fails like the
 * real run.js without network ("Downloading pulumi vX..." then "pulumi: fetch failed", exit 1).
 */
function npmPulumi(root: string, online: boolean, log = path.join(dir, "npm-pulumi.log")): string {
  const pkg = path.join(root, "node_modules", "pulumi");
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "pulumi", version: "3.265.0", bin: { pulumi: "run.js" } }));
  const body = online
    ? `require("fs").appendFileSync(${JSON.stringify(log)}, "PACKAGE " + process.argv.slice(2).join(" ") + "\\n");`
    : 'process.stderr.write("Downloading pulumi v3.265.0...\\npulumi: fetch failed\\n"); process.exit(1);';
  fs.writeFileSync(path.join(pkg, "run.js"), `#!/usr/bin/env node\n${body}\n`, { mode: 0o755 });
  const bin = path.join(root, "node_modules", ".bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.rmSync(path.join(bin, "pulumi"), { force: true });
  fs.symlinkSync("../pulumi/run.js", path.join(bin, "pulumi"));
  return bin;
}

/** A directory holding a stand-in `pulumi` (a shell script of `lines`), for PATH. */
function fakePulumi(name: string, lines: string[]): string {
  const bin = path.join(dir, name);
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, "pulumi"), ["#!/bin/sh", ...lines].join("\n") + "\n", { mode: 0o755 });
  return bin;
}

describe("the local demo's commands: preview, up, refresh, destroy", () => {
  test("each runs its pulumi command on the dev stack, the user's arguments last", () => {
    expect(pulumiArgs("preview", [])).toEqual(["preview", "--stack", "dev"]);
    expect(pulumiArgs("up", ["--diff"])).toEqual(["up", "--yes", "--stack", "dev", "--diff"]);
    expect(pulumiArgs("refresh", [])).toEqual(["refresh", "--yes", "--stack", "dev"]);
    expect(pulumiArgs("destroy", ["--target", "urn:x"])).toEqual(["destroy", "--yes", "--stack", "dev", "--target", "urn:x"]);
  });

  test("preview, refresh and destroy: same emulator state, backend and stack as up; each says what it did", async () => {
    const root = project("lifecycle");
    const bin = fakePulumi("lifecycle-bin", ['echo "ARGS $* | $PULUMI_BACKEND_URL" >> "$LOG"', "exit 0"]);
    const log = path.join(dir, "lifecycle.log");
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}`, LOG: log };
    const runs: [Runner, string, RegExp][] = [
      [runPreview, "preview --stack dev", /Preview only: nothing was changed/],
      [runUp, "up --yes --stack dev", /Done\. The emulator's tasks are in \.local\/emulator-state\.json/],
      [runRefresh, "refresh --yes --stack dev", /The state now matches the emulator's tasks/],
      [runDestroy, "destroy --yes --stack dev", /Every task of the local demo was deleted/],
    ];
    for (const [runner, , done] of runs) {
      const r = await runWith(runner, [], env, root);
      expect(r.code).toBe(0);
      expect(r.err).toBe("");
      expect(r.out).toMatch(/^emulator listening on http:\/\/127\.0\.0\.1:\d+ \(tasks kept in \.local\/emulator-state\.json\)/);
      expect(r.out).toMatch(done);
    }
    const backend = `file://${path.join(root, ".local", "state")}`;
    const select = `ARGS stack select dev --create --secrets-provider passphrase | ${backend}`;
    expect(fs.readFileSync(log, "utf8").trim().split("\n")).toEqual(runs.flatMap(([, args]) => [select, `ARGS ${args} | ${backend}`]));
  });

  test("a failed pulumi command passes its exit status on and prints no success line", async () => {
    const root = project("failing");
    const bin = fakePulumi("failing-bin", ['case "$1" in destroy) exit 255;; esac', "exit 0"]);
    const r = await runWith(runDestroy, [], { PATH: `${bin}${path.delimiter}${process.env.PATH}` }, root);
    expect(r.code).toBe(255);
    expect(r.out).not.toMatch(/deleted/);
  });

  test("offline without a CLI, preview names itself in the one-screen message", async () => {
    const root = project("offline-preview");
    const npmBin = npmPulumi(root, false);
    const r = await runWith(runPreview, [], { PATH: npmBin, HOME: path.join(dir, "nohome") }, root);
    expect(r.code).toBe(1);
    expect(r.err).toContain("css-pull-tasks preview: no Pulumi CLI could be found or installed.");
    expect(r.err).toContain("run `npx css-pull-tasks preview` again");
    expect(fs.existsSync(path.join(root, ".local"))).toBe(false);
  });

  test("each command's help names its pulumi command", () => {
    expect(localHelp("preview")).toMatch(/^Usage: css-pull-tasks preview \[-- PULUMI_PREVIEW_ARGS\.\.\.\]/);
    expect(localHelp("preview")).toContain("`pulumi preview --stack dev`");
    expect(localHelp("destroy")).toContain("`pulumi destroy --yes --stack dev`");
  });
});

describe("css-pull-tasks up", () => {
  test("no CLI and the npm package's download fails (offline): one screen, exit 1, nothing started", async () => {
    const root = project("offline");
    // As under `npm start`: node_modules/.bin (the package's run.js) is on PATH, and is not taken
    // for an installed CLI.
    const npmBin = npmPulumi(root, false);
    const r = await up([], { PATH: `${path.join(dir, "empty-bin")}${path.delimiter}${npmBin}`, HOME: path.join(dir, "nohome") }, root);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("Downloading pulumi v3.265.0...");
    expect(r.err).toContain("no Pulumi CLI could be found or installed. Tried, in this order:");
    expect(r.err).toContain("1. a `pulumi` on PATH: none");
    expect(r.err).toContain(`2. the official installer's location ${path.join(dir, "nohome", ".pulumi", "bin", "pulumi")}: none`);
    expect(r.err).toContain("4. the npm package pulumi@3.265.0, which downloads the CLI on first use into\n");
    expect(r.err).toContain(`     ${path.join(dir, "nohome", ".pulumi", "versions", "3.265.0")}: the download failed:\n    pulumi: fetch failed`);
    expect(r.err.match(/Downloading pulumi/g)).toHaveLength(1);
    expect(r.err).toContain("pulumi: fetch failed");
    expect(r.err).toContain(`install the Pulumi CLI: ${PULUMI_INSTALL_COMMAND}`);
    expect(r.err).toContain("reaches get.pulumi.com");
    expect(r.err).toContain("run `npm start` again");
    expect(r.err).toContain("No emulator was started.");
    // One screen: the message itself (after the package's own two lines) fits in 24 lines.
    expect(r.err.slice(r.err.indexOf("css-pull-tasks up:")).trimEnd().split("\n").length).toBeLessThanOrEqual(24);
    expect(fs.existsSync(path.join(root, ".local"))).toBe(false);
  });

  test("an installed CLI is used before the npm package's, which is used when there is none", async () => {
    const root = project("order");
    const log = path.join(dir, "order.log");
    const npmBin = npmPulumi(root, true, log);
    // No installed CLI: the npm package's (through node), `version` first, then the real calls.
    const viaPackage = await up([], { PATH: npmBin, HOME: path.join(dir, "nohome") }, root);
    expect(viaPackage.code).toBe(0);
    expect(fs.readFileSync(log, "utf8").trim().split("\n")).toEqual([
      "PACKAGE version",
      "PACKAGE stack select dev --create --secrets-provider passphrase",
      "PACKAGE up --yes --stack dev",
    ]);
    fs.rmSync(log);
    // An installed one later on PATH than node_modules/.bin still wins, and the package never runs.
    const installed = path.join(dir, "installed-bin");
    fs.mkdirSync(installed, { recursive: true });
    fs.writeFileSync(path.join(installed, "pulumi"), `#!/bin/sh\necho "INSTALLED $*" >> "${log}"\n`, { mode: 0o755 });
    const viaPath = await up([], { PATH: `${npmBin}${path.delimiter}${installed}`, HOME: path.join(dir, "nohome") }, root);
    expect(viaPath.code).toBe(0);
    expect(fs.readFileSync(log, "utf8").trim().split("\n")).toEqual([
      "INSTALLED stack select dev --create --secrets-provider passphrase",
      "INSTALLED up --yes --stack dev",
    ]);
  });

  test("finds pulumi on PATH, or where the installer put it; never the npm package's shim", () => {
    const bin = path.join(dir, "home", ".pulumi", "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
    expect(findInstalledPulumi({ PATH: bin })).toBe(path.join(bin, "pulumi"));
    expect(findInstalledPulumi({ PATH: "/nonexistent", HOME: path.join(dir, "home") })).toBe(path.join(bin, "pulumi"));
    expect(findInstalledPulumi({ PATH: "/nonexistent", HOME: "/nonexistent" })).toBeUndefined();
    const npmBin = npmPulumi(project("shim"), false);
    expect(findInstalledPulumi({ PATH: npmBin, HOME: "/nonexistent" })).toBeUndefined();
  });

  test("with pulumi: emulator up, local backend and dev stack, `pulumi up --yes`, emulator stopped after", async () => {
    const root = project("with-cli");
    const log = path.join(dir, "pulumi.log");
    // Records its arguments and environment, proves the emulator answers while it runs, and fails
    // `up` with 3 so the exit code's propagation is visible.
    const bin = fakePulumi("fake-bin", [
      'echo "ARGS $*" >> "$LOG"',
      'env | grep -E "^(PULUMI_|TENCENTCLOUD_)" | sort >> "$LOG"',
      `"${process.execPath}" -e 'fetch(process.env.TENCENTCLOUD_CSS_ENDPOINT + "/_emulator/tasks").then(r => console.log("EMULATOR " + r.status), e => console.log("EMULATOR down"))' >> "$LOG"`,
      'case "$1" in up) exit 3;; esac',
      "exit 0",
    ]);
    const r = await up(["--", "--diff"], { PATH: `${bin}${path.delimiter}${process.env.PATH}`, LOG: log, TENCENTCLOUD_SESSION_TOKEN: "from-the-shell", TENCENTCLOUD_SECRET_ID: "AKIDREAL" }, root);
    expect(r.err).toBe("");
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^emulator listening on http:\/\/127\.0\.0\.1:\d+/);
    const lines = fs.readFileSync(log, "utf8").split("\n");
    expect(lines.filter((l) => l.startsWith("ARGS "))).toEqual(["ARGS stack select dev --create --secrets-provider passphrase", "ARGS up --yes --stack dev --diff"]);
    expect(lines).toContain(`PULUMI_BACKEND_URL=file://${path.join(root, ".local", "state")}`);
    expect(lines).toContain("TENCENTCLOUD_SECRET_ID=AKIDEMULATOR");
    expect(lines).toContain("TENCENTCLOUD_SECRET_KEY=emulator-secret-key");
    expect(lines.some((l) => l.startsWith("PULUMI_CONFIG_PASSPHRASE=") && l.length > "PULUMI_CONFIG_PASSPHRASE=".length)).toBe(true);
    expect(lines.some((l) => l.startsWith("TENCENTCLOUD_SESSION_TOKEN"))).toBe(false);
    expect(lines.filter((l) => l.startsWith("EMULATOR "))).toEqual(["EMULATOR 200", "EMULATOR 200"]);
    const endpoint = lines.find((l) => l.startsWith("TENCENTCLOUD_CSS_ENDPOINT="))!.split("=")[1];
    await expect(fetch(`${endpoint}/_emulator/tasks`)).rejects.toThrow();
    expect(fs.existsSync(path.join(root, ".local", "state"))).toBe(true);
  });

  test("usage: --help exits 0; stray arguments exit 2; no Pulumi.yaml is an error", async () => {
    const root = project("usage");
    expect((await up(["--help"], {}, root)).code).toBe(0);
    expect((await up(["now"], {}, root)).code).toBe(2);
    const bin = path.join(dir, "home", ".pulumi", "bin");
    const r = await up([], { PATH: bin }, dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain("no Pulumi.yaml");
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: t\nruntime: nodejs\nmain: dist/program/index.js\n");
    const unbuilt = await up([], { PATH: bin }, root);
    expect(unbuilt.code).toBe(1);
    expect(unbuilt.err).toContain("dist/program/index.js (Pulumi.yaml's main) does not exist; run `npm run build` first");
    expect(fs.existsSync(path.join(root, ".local"))).toBe(false);
  });

  test("the pinned npm package `pulumi`: exact version, a dev dependency, supported by @pulumi/pulumi, same cache", () => {
    const root = path.join(__dirname, "..", "..");
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Record<string, Record<string, string>>;
    // A development dependency: `npm ci` in the repository installs it, while projects depending on
    // this package get no node_modules/.bin/pulumi shadowing their own CLI in their npm scripts.
    expect(manifest.dependencies.pulumi).toBeUndefined();
    const pinned = manifest.devDependencies.pulumi;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const found = findNpmPulumi([root]);
    expect(found?.version).toBe(pinned);
    expect(fs.existsSync(found!.runScript)).toBe(true);
    // The SDK's Automation API refuses CLIs older than this; the npm start CLI must not be one.
    const { minimumVersion } = require("@pulumi/pulumi/automation/minimumVersion") as { minimumVersion: { compare(v: string): number } };
    expect(minimumVersion.compare(pinned)).toBeLessThan(0);
    // The download location named in the offline message is the package's own.
    const saved = process.env.PULUMI_HOME;
    process.env.PULUMI_HOME = path.join(dir, "pulumi-home");
    try {
      const { cacheDir } = require(path.join(path.dirname(found!.runScript), "lib", "cache.js")) as { cacheDir(v: string): string };
      expect(npmPulumiCacheDir({ PULUMI_HOME: process.env.PULUMI_HOME }, pinned)).toBe(cacheDir(pinned));
    } finally {
      if (saved === undefined) delete process.env.PULUMI_HOME;
      else process.env.PULUMI_HOME = saved;
    }
  });
});
