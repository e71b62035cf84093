// Which Pulumi CLI the local demo (`css-pull-tasks preview|up|refresh|destroy`, npm start) runs, in this order:
//  1. a `pulumi` on PATH (or in ~/.pulumi/bin, where the official installer puts it before a new
//     shell has the PATH change): the user's own CLI always wins;
//  2. the build `npm run pulumi:install` (tools/pulumi-cli/install.sh) left in its cache, or one it
//     makes now when a Go toolchain is on PATH (from the Go module proxy; progress shown);
//  3. the CLI of the npm package `pulumi` this project depends on (pinned, same version numbers as
//     the CLI). That package holds no binary: its `run.js` downloads the CLI from get.pulumi.com on
//     first use into $PULUMI_HOME/versions/<version> (default ~/.pulumi) and runs it from there.
// `npm run` puts node_modules/.bin on PATH, where that package's run.js appears as `pulumi`: it is
// not "a pulumi on PATH" but step 2, so it is recognised by its package and skipped in step 1.
// Step 2 is prepared (downloaded if need be) BEFORE the emulator starts, so an offline machine
// gets one clear message and nothing left running.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";

export const PULUMI_INSTALL_COMMAND = "curl -fsSL https://get.pulumi.com | sh";
/** The npm package that brings the CLI. */
export const PULUMI_NPM_PACKAGE = "pulumi";

/** How to run the chosen CLI: `command ...prefix ...pulumiArgs`. */
export interface PulumiCli {
  command: string;
  prefix: string[];
  /** For messages: where it was found. */
  origin: string;
  /** A directory to put first on PATH: a build's language hosts and dynamic provider plugin. */
  pluginDir?: string;
}

/** This package's root (the directory of its package.json), from dist/cli or cli. */
function packageRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "tools", "pulumi-cli", "install.sh"))) return dir;
  }
  return path.resolve(__dirname, "..", "..");
}

export const INSTALL_SCRIPT = path.join(packageRoot(), "tools", "pulumi-cli", "install.sh");

/** The CLI version `pulumi:install` builds (tools/pulumi-cli/VERSION, read by the script too). */
export function buildVersion(env: NodeJS.ProcessEnv): string {
  return env.PULUMI_CLI_VERSION || fs.readFileSync(path.join(path.dirname(INSTALL_SCRIPT), "VERSION"), "utf8").trim();
}

/** Where `pulumi:install` keeps its build of `version` (the script's own rule). */
export function buildDir(env: NodeJS.ProcessEnv, version = buildVersion(env)): string {
  const cache =
    env.PULUMI_CSS_CACHE ||
    path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), ".cache"), "pulumi-css-pull-tasks");
  return path.join(cache, "pulumi-cli", `v${version}`, "bin");
}

/** A finished build of `pulumi:install` (the script writes .complete last). */
export function findBuiltPulumi(env: NodeJS.ProcessEnv): string | undefined {
  const bin = buildDir(env);
  const done = fs.existsSync(path.join(path.dirname(bin), ".complete"));
  return done && isExecutable(path.join(bin, "pulumi")) ? bin : undefined;
}

/** Whether `go` is on PATH: the only way pulumi:install can build a CLI. */
function hasGo(env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(path.delimiter).some((d) => d !== "" && isExecutable(path.join(d, "go")));
}

export interface NpmPulumi {
  /** The package's bin script (run.js). */
  runScript: string;
  version: string;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The manifest of the npm package a file belongs to (the nearest package.json above it). */
function owningPackage(file: string): { name?: string } | undefined {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      try {
        return JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** True for node_modules/.bin/pulumi and other links to the npm package's run.js. */
function isNpmPackageShim(file: string): boolean {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return false;
  }
  return real.endsWith(".js") && owningPackage(real)?.name === PULUMI_NPM_PACKAGE;
}

/** An installed CLI: on PATH, else where the installer puts it. */
export function findInstalledPulumi(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    const file = dir ? path.join(dir, "pulumi") : "";
    if (file && isExecutable(file) && !isNpmPackageShim(file)) return file;
  }
  const installed = env.HOME ? path.join(env.HOME, ".pulumi", "bin", "pulumi") : undefined;
  return installed && isExecutable(installed) ? installed : undefined;
}

/** The npm package `pulumi` as resolved from the project directory, else from this package. */
export function findNpmPulumi(fromDirs: string[]): NpmPulumi | undefined {
  let manifestFile: string;
  try {
    manifestFile = require.resolve(`${PULUMI_NPM_PACKAGE}/package.json`, { paths: fromDirs });
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as {
    version?: string;
    bin?: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.pulumi;
  if (!bin || !manifest.version) return undefined;
  return { runScript: path.join(path.dirname(manifestFile), bin), version: manifest.version };
}

/** Where the package keeps the downloaded CLI (its lib/cache.js: $PULUMI_HOME or ~/.pulumi). */
export function npmPulumiCacheDir(env: NodeJS.ProcessEnv, version: string): string {
  const home = env.PULUMI_HOME || path.join(env.HOME || os.homedir(), ".pulumi");
  return path.join(home, "versions", version);
}

export type Selection = { ok: true; cli: PulumiCli } | { ok: false; message: string };

/**
 * The CLI to run, downloading the npm package's one if it is the only choice and not cached yet.
 * `progress` shows the package's own output ("Downloading pulumi vX...") while it runs.
 */
export async function selectPulumi(
  env: NodeJS.ProcessEnv,
  fromDirs: string[],
  progress: (text: string) => void,
  command = "up",
): Promise<Selection> {
  const installed = findInstalledPulumi(env);
  if (installed) return { ok: true, cli: { command: installed, prefix: [], origin: installed } };
  const built = findBuiltPulumi(env) ?? (hasGo(env) ? await runInstall(env, progress) : undefined);
  if (built) {
    return { ok: true, cli: { command: path.join(built, "pulumi"), prefix: [], origin: built, pluginDir: built } };
  }
  const pkg = findNpmPulumi(fromDirs);
  if (pkg) {
    const cli: PulumiCli = {
      command: process.execPath,
      prefix: [pkg.runScript],
      origin: `npm package ${PULUMI_NPM_PACKAGE}@${pkg.version}`,
    };
    // A first run downloads the CLI; `version` is the cheapest command that proves it runs.
    const result = await probe(cli, env, progress);
    if (result.code === 0) return { ok: true, cli };
    return { ok: false, message: unavailableMessage(env, pkg, result.stderr, command) };
  }
  return { ok: false, message: unavailableMessage(env, undefined, "", command) };
}

/** One screen: what was tried, and the two ways out. */
function unavailableMessage(
  env: NodeJS.ProcessEnv,
  pkg: NpmPulumi | undefined,
  detail: string,
  command: string,
): string {
  const home = env.HOME ? path.join(env.HOME, ".pulumi", "bin", "pulumi") : "~/.pulumi/bin/pulumi";
  // The package's own progress line was shown as it ran; the reason is what follows it.
  const reason = detail
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("Downloading pulumi"))
    .slice(-3)
    .join("\n    ");
  // What the user typed to get here: `npm start` runs `up`; the other commands come through npx.
  const rerun = command === "up" ? "`npm start`" : `\`npx css-pull-tasks ${command}\``;
  const tried = [
    `css-pull-tasks ${command}: no Pulumi CLI could be found or installed. Tried, in this order:`,
    "  1. a `pulumi` on PATH: none (node_modules/.bin/pulumi is step 4, not an installed CLI)",
    `  2. the official installer's location ${home}: none`,
    `  3. a build of \`npm run pulumi:install\` in ${buildDir(env)}: none` +
      (hasGo(env) ? " (it failed)" : ", and no Go"),
    pkg
      ? `  4. the npm package ${PULUMI_NPM_PACKAGE}@${pkg.version}, which downloads the CLI on first use into\n` +
        `     ${npmPulumiCacheDir(env, pkg.version)}: the download failed${reason ? `:\n    ${reason}` : ""}`
      : `  4. the npm package ${PULUMI_NPM_PACKAGE}: not installed (run \`npm ci\` in the project)`,
    "",
    "Three ways out:",
    "  - with Go >= 1.25 and a Go module proxy (GOPROXY): `npm run pulumi:install` builds one (minutes, once);",
    `  - install the Pulumi CLI: ${PULUMI_INSTALL_COMMAND}`,
    `    (or see https://www.pulumi.com/docs/install/), open a new shell, and run ${rerun} again;`,
    `  - or run ${rerun} again on a machine or network that reaches get.pulumi.com: the CLI is`,
    "    downloaded once and reused from then on.",
    "No emulator was started.",
  ];
  return tried.join("\n") + "\n";
}

/** Runs tools/pulumi-cli/install.sh, its progress shown; the directory it printed last, if it worked. */
function runInstall(env: NodeJS.ProcessEnv, progress: (text: string) => void): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn("bash", [INSTALL_SCRIPT], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => progress(c));
    child.on("error", () => resolve(undefined));
    child.on("exit", (code) => {
      const dir = stdout.trim().split("\n").pop() ?? "";
      resolve(code === 0 && isExecutable(path.join(dir, "pulumi")) ? dir : undefined);
    });
  });
}

function probe(
  cli: PulumiCli,
  env: NodeJS.ProcessEnv,
  progress: (text: string) => void,
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    // stdout is the version line (not wanted); stderr shows "Downloading pulumi vX..." live and is
    // kept for the failure message.
    const child = spawn(cli.command, [...cli.prefix, "version"], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      progress(chunk);
    });
    child.on("error", (e) => resolve({ code: 1, stderr: `${stderr}${e.message}` }));
    child.on("exit", (code) => resolve({ code: code ?? 1, stderr }));
  });
}
