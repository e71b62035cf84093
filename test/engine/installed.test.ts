// The package as users run it: packed, installed with npm into a project of its own, and driven by
// the REAL Pulumi CLI. Pulumi serialises modules under node_modules as a require and everything else
// by value, so this is the face whose state holds one require as its provider (provider/stubs.ts);
// the other engine tests run this repository's checkout, whose stubs are copied by value.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, stacksOfEachTest } from "./support/cli";
import { relay } from "./support/tasks";

let tarball: string;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "css-installed-"));
beforeAll(() => {
  // dist/ is built by `npm run test:engine`; --ignore-scripts packs it as it is.
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], {
    cwd: ROOT,
    encoding: "utf8",
  });
  tarball = path.join(work, out.trim().split("\n").pop()!);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const stacks = stacksOfEachTest();

describe("the packed package, installed, through the real CLI", () => {
  it("up, an in-place update and destroy; each resource's state holds one require as its provider", async () => {
    const args = relay("installed");
    const program = (comment: string) =>
      [
        'const { LivePullStreamTask } = require("pulumi-css-pull-tasks");',
        `exports.id = new LivePullStreamTask("studio", ${JSON.stringify({ ...args, comment })}).id;`,
        "",
      ].join("\n");
    const stack = await stacks.create({
      project: { name: "css-installed", runtime: { name: "nodejs", options: { typescript: false } } },
      files: { "index.js": program("v1"), "package.json": JSON.stringify({ name: "css-installed", private: true }) },
    });
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], {
      cwd: stack.dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    await stack.up();
    const [resource] = await stack.resources();
    const provider = String(resource.outputs?.__provider ?? "");
    expect(provider).toMatch(/require\("pulumi-css-pull-tasks\/dist\/provider\/stubs(\.js)?"\)/);
    expect(provider).not.toContain("loadImpl");
    expect(Buffer.byteLength(provider)).toBeLessThan(600);
    expect(stack.tasks()).toHaveLength(1);

    stack.writeFile("index.js", program("v2"));
    stack.emulator.clearRequests();
    await stack.up();
    expect(stack.emulator.requestsOf("ModifyLivePullStreamTask").map((r) => r.body.Comment)).toEqual(["v2"]);
    await stack.must(["destroy", "--yes"]);
    expect(stack.tasks()).toEqual([]);
  });
});
