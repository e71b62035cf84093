// What a user of the published package gets: a fresh clone of this repository's HEAD is packed
// (`npm pack` runs prepack, which builds from a clean dist/), and the tarball is installed with
// npm into an empty project, which runs no script of the package's (it has none that installing runs). There the bins run, both entry points load, and the provider that
// every resource serialises into its state finds the implementation by package name.
// Slower than the suite's other files (an npm install): run by `npm run test:pack`, which .ci/run
// runs once. It packs committed files only: commit before running it.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/host";

let work: string;
let project: string;
let pkg: { name: string; version: string; repository?: { url?: string }; homepage?: string; bugs?: { url?: string }; keywords?: string[] };
let tarballFiles: string[];
/** What `npm install` of the tarball printed, stdout and stderr. */
let installOutput: string;

const run = (cmd: string, args: string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } });

beforeAll(() => {
  const root = repoRoot();
  work = fs.mkdtempSync(path.join(os.tmpdir(), "css-fresh-clone-"));
  const clone = path.join(work, "clone");
  run("git", ["clone", "--quiet", root, clone], work);
  expect(fs.existsSync(path.join(clone, "dist")), "a fresh clone has no dist/").toBe(false);
  // The clone's dev dependencies are this checkout's (same lock file): `npm ci` would fetch the same.
  fs.symlinkSync(path.join(root, "node_modules"), path.join(clone, "node_modules"), "dir");
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], clone)) as { filename: string; files: { path: string }[] }[];
  tarballFiles = packed[0].files.map((f) => f.path);
  pkg = JSON.parse(fs.readFileSync(path.join(clone, "package.json"), "utf8"));
  project = path.join(work, "project");
  fs.mkdirSync(project);
  // protobufjs (under @pulumi/pulumi) has an install script; a project allows it as this package does.
  const allowScripts = (pkg as { allowScripts?: Record<string, boolean> }).allowScripts;
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "first-hour", private: true, allowScripts }));
  // A real install of the tarball and its dependencies (from npm's cache when it has them).
  const install = spawnSync(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", path.join(work, packed[0].filename)],
    { cwd: project, encoding: "utf8", env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } },
  );
  installOutput = `${install.stdout}${install.stderr}`;
  expect(install.status, installOutput).toBe(0);
}, 240_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const node = (code: string): string => run(process.execPath, ["-e", code], project).trim();

describe("a fresh clone, packed and installed into an empty project", () => {
  it("prepack built dist/ into the tarball; the metadata names the repository", () => {
    for (const f of ["dist/index.js", "dist/index.d.ts", "dist/cli/main.js", "dist/plugin/main.js", "dist/provider/impl.js", "dist/emulator/index.js"]) {
      expect(tarballFiles, f).toContain(f);
    }
    expect(pkg.repository?.url).toMatch(/^git\+https:\/\//);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs?.url).toMatch(/^https:\/\//);
    expect(pkg.keywords).toEqual(expect.arrayContaining(["pulumi", "tencentcloud"]));
  });

  it("has no install lifecycle script, so installing it runs nothing and warns of nothing", () => {
    const installed = JSON.parse(fs.readFileSync(path.join(project, "node_modules", pkg.name, "package.json"), "utf8"));
    for (const script of ["preinstall", "install", "postinstall", "prepare"]) {
      expect(installed.scripts ?? {}, `packed package.json has no "${script}" script`).not.toHaveProperty(script);
    }
    // npm 11 lists every package with install scripts that allowScripts does not cover.
    expect(installOutput).not.toMatch(/install-scripts|install script/i);
    expect(installOutput).not.toContain(`${pkg.name}@`);
  });

  it("the css-pull-tasks bin runs: help, and validate of the example tasks file it ships", () => {
    const bin = path.join(project, "node_modules", ".bin", "css-pull-tasks");
    expect(run(bin, ["help", "validate"], project)).toMatch(/^Usage: css-pull-tasks validate/);
    const example = path.join(project, "node_modules", pkg.name, "examples", "gitops", "tasks.yaml");
    expect(run(bin, ["validate", example], project)).toMatch(/tasks\.yaml: ok \(\d+ tasks?\)/);
  });

  it("the plugin bin serves: it prints its gRPC port as Pulumi plugins do", async () => {
    const bin = path.join(project, "node_modules", ".bin", "pulumi-resource-tencentcloud-css");
    const child = spawn(bin, ["127.0.0.1:1"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("\n")) resolve(out.trim());
        });
        child.on("exit", (code) => reject(new Error(`plugin exited ${code}`)));
      });
      expect(port).toMatch(/^\d+$/);
    } finally {
      child.kill();
    }
  });

  it("both entry points load by package name", () => {
    const main = JSON.parse(node(`process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(pkg.name)}))))`)) as string[];
    expect(main).toEqual(expect.arrayContaining(["LivePullStreamTask", "loadTasksFile", "validateTask"]));
    expect(node(`process.stdout.write(typeof require(${JSON.stringify(`${pkg.name}/emulator`)}).startEmulator)`)).toBe("function");
  });

  it("the serialised provider is one require of the installed package, and that loads in the project", async () => {
    const providerFile = path.join(project, "node_modules", pkg.name, "dist", "provider", "stubs.js");
    // Serialised exactly as pulumi.dynamic.Resource does, then loaded from a file in the project as
    // the provider host loads it: its check() must reach the installed implementation.
    fs.writeFileSync(
      path.join(project, "serialise.js"),
      `const p = require(${JSON.stringify(providerFile)});
       require("@pulumi/pulumi/runtime/closure/serializeClosure").serializeFunction(() => p, { allowSecrets: true })
         .then((sf) => require("fs").writeFileSync("provider-state.js", sf.text));`,
    );
    node(`require("./serialise.js")`);
    await new Promise((r) => setTimeout(r, 0));
    const text = fs.readFileSync(path.join(project, "provider-state.js"), "utf8");
    // The installed package is captured as a module (provider/stubs.ts): no function copied by value.
    expect(text).toMatch(new RegExp(`require\\("${pkg.name}/dist/provider/stubs(\\.js)?"\\)`));
    expect(text).not.toContain("loadImpl");
    expect(text).not.toContain(repoRoot());
    expect(Buffer.byteLength(text)).toBeLessThan(600);
    const resolved = node(`process.stdout.write(require.resolve(${JSON.stringify(`${pkg.name}/dist/provider/stubs`)}))`);
    expect(resolved).toBe(path.join(fs.realpathSync(project), "node_modules", pkg.name, "dist", "provider", "stubs.js"));
    const checked = node(
      `const p = require("./provider-state.js").handler();
       p.check({}, { sourceType: "PullLivePushLive" }).then((r) => process.stdout.write(JSON.stringify(r.failures.map((f) => f.property))));`,
    );
    expect(JSON.parse(checked)).toEqual(expect.arrayContaining(["sourceUrls"]));
  });
});
