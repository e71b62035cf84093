// The resource's enum inputs are literal unions, as `status` is: a typo in a TypeScript program is
// a compile error in the editor, not a check failure at preview. Each union equals its schema enum.
import * as os from "node:os";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import taskSchema from "../../schema/task.schema.json";

const root = path.join(__dirname, "..", "..");

/** Compiles `body` against provider/resource.ts; returns the 0-based body line of each error. */
function errorLines(body: string): number[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-types-"));
  const file = path.join(dir, "program.ts");
  const resource = path.join(root, "provider", "resource").replace(/\\/g, "/");
  fs.writeFileSync(file, `import type { LivePullStreamTaskArgs } from "${resource}";\n${body}\n`);
  const options = { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, resolveJsonModule: true, esModuleInterop: true };
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([file], options)).filter((d) => d.file?.fileName === file);
  fs.rmSync(dir, { recursive: true, force: true });
  return diagnostics.map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line - 1);
}

const props = taskSchema.properties as unknown as Record<string, { enum?: string[]; items?: { enum?: string[] } }>;
const values = (key: string) => (props[key].enum ?? props[key].items!.enum!).filter((v) => key !== "backupSourceType" || v !== "PullPicPushLive");

describe("TypeScript inputs", () => {
  it("sourceType, vodRefreshType, backupSourceType and callbackEvents accept their enums and refuse a typo", () => {
    type Key = "sourceType" | "vodRefreshType" | "backupSourceType" | "callbackEvents";
    const good = values("sourceType").map((s, i) =>
      `const g${i}: Pick<LivePullStreamTaskArgs, Key> = { sourceType: ${JSON.stringify(s)}, ` +
      `vodRefreshType: ${JSON.stringify(values("vodRefreshType")[i % 2])}, ` +
      `backupSourceType: ${JSON.stringify(values("backupSourceType")[i % 2])}, callbackEvents: ${JSON.stringify(values("callbackEvents"))} };`);
    const typos: [Key, string][] = [["sourceType", `"PullLiveLive"`], ["vodRefreshType", `"Immediate"`], ["backupSourceType", `"PullPicPushLive"`], ["callbackEvents", `["TaskStarted"]`]];
    const bad = typos.map(([key, typo], i) => `const b${i}: Pick<LivePullStreamTaskArgs, "${key}"> = { ${key}: ${typo} };`);
    const lines = [`type Key = ${JSON.stringify(["sourceType", "vodRefreshType", "backupSourceType", "callbackEvents"]).slice(1, -1).split(",").join(" | ")};`, ...good, ...bad, `void [${[...good.keys()].map((i) => `g${i}`).concat([...bad.keys()].map((i) => `b${i}`)).join(", ")}];`];
    const first = 1 + good.length;
    expect([...new Set(errorLines(lines.join("\n")))].sort((a, b) => a - b)).toEqual(bad.map((_, i) => first + i));
  }, 60_000);
});
