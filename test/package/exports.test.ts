// What an installed package offers by name (package.json "exports"): the resource and the tasks-file
// loader from the main entry, the emulator from its own subpath, and the implementation path that
// every resource's serialised provider names (states written by older versions name it too).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/host";

let project: string;
let pkgName: string;

/** Runs `code` with Node in a project whose node_modules holds this package under its name. */
function inProject(code: string): string {
  return execFileSync(process.execPath, ["-e", code], { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

beforeAll(() => {
  const root = repoRoot();
  if (!fs.existsSync(path.join(root, "dist", "index.js"))) throw new Error("dist is missing: run `npm run build`");
  pkgName = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { name: string }).name;
  project = fs.mkdtempSync(path.join(os.tmpdir(), "css-exports-"));
  const link = path.join(project, "node_modules", ...pkgName.split("/"));
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(root, link, "dir");
});

afterAll(() => {
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe("package exports", () => {
  it("the main entry offers the resource and the tasks-file loader, not the emulator", () => {
    const keys = JSON.parse(inProject(`process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(pkgName)}))))`)) as string[];
    expect(keys).toEqual(expect.arrayContaining(["LivePullStreamTask", "declareTasksFromConfig", "loadTasksFile", "validateTask"]));
    expect(keys).not.toContain("startEmulator");
  });

  it("the emulator is `<package>/emulator`, with its type declarations", () => {
    const out = inProject(`process.stdout.write(typeof require(${JSON.stringify(`${pkgName}/emulator`)}).startEmulator)`);
    expect(out).toBe("function");
    expect(fs.existsSync(path.join(repoRoot(), "dist", "emulator", "index.d.ts"))).toBe(true);
  });

  it("resolves the implementation path stored in serialised providers, and hides other internals", () => {
    const impl = inProject(`process.stdout.write(require.resolve(${JSON.stringify(`${pkgName}/dist/provider/impl`)}))`);
    expect(fs.realpathSync(impl)).toBe(path.join(repoRoot(), "dist", "provider", "impl.js"));
    expect(() => inProject(`require(${JSON.stringify(`${pkgName}/dist/provider/api/client`)})`)).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
