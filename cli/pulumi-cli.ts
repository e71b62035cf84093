// Which Pulumi CLI the local demo (`css-pull-tasks preview|up|refresh|destroy`, npm start) runs, in this order:
//  1. a `pulumi` on PATH (or in ~/.pulumi/bin, where the official installer puts it before a new
//     shell has the PATH change): the user's own CLI always wins;
//  2. the CLI of the npm package `pulumi` this project depends on (pinned, same version numbers as
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
    "  1. a `pulumi` on PATH: none (node_modules/.bin/pulumi is step 3, not an installed CLI)",
    `  2. the official installer's location ${home}: none`,
    pkg
      ? `  3. the npm package ${PULUMI_NPM_PACKAGE}@${pkg.version}, which downloads the CLI on first use into\n` +
        `     ${npmPulumiCacheDir(env, pkg.version)}: the download failed${reason ? `:\n    ${reason}` : ""}`
      : `  3. the npm package ${PULUMI_NPM_PACKAGE}: not installed (run \`npm ci\` in the project)`,
    "",
    "Two ways out:",
    `  - install the Pulumi CLI: ${PULUMI_INSTALL_COMMAND}`,
    `    (or see https://www.pulumi.com/docs/install/), open a new shell, and run ${rerun} again;`,
    `  - or run ${rerun} again on a machine or network that reaches get.pulumi.com: the CLI is`,
    "    downloaded once and reused from then on.",
    "No emulator was started.",
  ];
  return tried.join("\n") + "\n";
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
