// The packed README (the page npm shows) and the docs pages it ships link only files the tarball
// carries: a relative link to a file left out of `files` is a dead link for every npm user.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isCarried, relativeLinks } from "../support/links";

const root = path.join(__dirname, "..", "..");
/**
 * Pages that other branches of this release write (docs/engine.md, reliability.md, adopting.md,
 * performance.md, credentials.md): linked already, checked like any other once they exist. Once
 * every branch is merged this list can go.
 */
let shipped: Set<string>;

beforeAll(() => {
  // The file list `npm pack` would write, without building (dist exists: npm test built it).
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  shipped = new Set(pack.files.map((f) => f.path));
});

describe("links in the packed documentation", () => {
  it("the tarball carries the README, the docs pages and the examples", () => {
    for (const f of ["README.md", "LICENSE", "package.json", "dist/index.js", "dist/cli/main.js", "dist/plugin/main.js"]) {
      expect(shipped.has(f), f).toBe(true);
    }
    expect([...shipped].some((f) => f.startsWith("docs/") && f.endsWith(".md"))).toBe(true);
    expect([...shipped].filter((f) => /^(test|bench|harness|dist\/bench|dist\/harness)\//.test(f))).toEqual([]);
  });

  it("every relative link of every shipped Markdown file reaches a shipped file", () => {
    const dead: string[] = [];
    const pages = [...shipped].filter((f) => f.endsWith(".md"));
    for (const page of pages) {
      for (const target of relativeLinks(fs.readFileSync(path.join(root, page), "utf8"), page)) {
        if (!isCarried(target, shipped)) dead.push(`${page} → ${target}`);
      }
    }
    expect(dead).toEqual([]);
  });

  it("link extraction: relative files and directories, not URLs or anchors", () => {
    const md = "[a](docs/x.md) [b](https://x.y/z) [c](#top) [d](../README.md#setup) [e](examples/yaml/)\n[f]: provider/api/README.md\n";
    expect(relativeLinks(md, "docs/page.md").sort()).toEqual(["README.md", "docs/docs/x.md", "docs/examples/yaml", "docs/provider/api/README.md"]);
    expect(isCarried("examples/yaml", new Set(["examples/yaml/Pulumi.yaml"]))).toBe(true);
    expect(isCarried("examples/yam", new Set(["examples/yaml/Pulumi.yaml"]))).toBe(false);
  });
});
