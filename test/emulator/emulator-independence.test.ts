// The emulator is a second, independent reading of Tencent's documentation: if it imported the
// provider's code, the two could never disagree and the differential tests would prove nothing.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const FORBIDDEN = /^(?:\.\.\/)+(provider|schema|cli|program)(\/|$)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every module specifier in import/export-from/require/import() forms. */
export function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [/\bfrom\s+["']([^"']+)["']/g, /\bimport\s+["']([^"']+)["']/g, /\brequire\(\s*["']([^"']+)["']\s*\)/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g];
  for (const p of patterns) for (const m of source.matchAll(p)) specs.push(m[1]);
  return specs;
}

describe("emulator independence", () => {
  const files = sourceFiles(join(ROOT, "emulator"));

  it("finds the emulator's sources", () => {
    expect(files.map((f) => f.slice(ROOT.length + 1))).toEqual(expect.arrayContaining(["emulator/index.ts", "emulator/auth.ts", "emulator/models.ts"]));
  });

  it("the import scanner sees every import form", () => {
    const sample = `import a from "../provider/x"; export { b } from '../schema/y'; import "../cli/z"; const c = require("../program/w"); await import("../provider/v");`;
    expect(importsOf(sample).filter((s) => FORBIDDEN.test(s))).toHaveLength(5);
  });

  it("no emulator file imports from provider/, schema/, cli/ or program/, nor any npm package", () => {
    const offending: string[] = [];
    for (const f of files) {
      for (const spec of importsOf(readFileSync(f, "utf8"))) {
        const local = spec.startsWith("./") || spec.startsWith("../");
        if (FORBIDDEN.test(spec) || (local && spec.startsWith("../")) || (!local && !spec.startsWith("node:"))) {
          offending.push(`${f.slice(ROOT.length + 1)} imports ${spec}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});
