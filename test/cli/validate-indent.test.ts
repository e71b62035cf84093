// A line indented too deep continues the value of the line above it. validate points at that line,
// the mistake, not at the start of the value it was taken into.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, test } from "vitest";
import { runValidate } from "../../cli/validate";
import type { Io } from "../../cli/io";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-validate-indent-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const NOW = new Date("2026-11-25T12:00:00Z");

async function validate(name: string, lines: string[]): Promise<{ code: number; out: string }> {
  fs.writeFileSync(path.join(dir, name), lines.join("\n") + "\n");
  let out = "";
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: dir, env: {} };
  const code = await runValidate([name], io, () => NOW);
  return { code, out };
}

const TASK = [
  "tasks:",
  "  relay:",
  "    sourceType: PullLivePushLive",
  "    sourceUrls:",
  "      - rtmp://origin.example.net/live/a",
  "    domainName: push.example.com",
  "    appName: live",
  "    streamName: a",
  "    startTime: 2026-11-26T00:00:00Z",
  "    endTime: 2026-11-28T00:00:00Z",
];

/** TASK with line `n` (1-based) replaced by `text`. */
const withLine = (n: number, text: string): string[] => TASK.map((l, i) => (i === n - 1 ? text : l));

describe("validate: a line indented too deep", () => {
  test("the file is fine as written", async () => {
    expect(await validate("fine.yaml", TASK)).toEqual({ code: 0, out: "fine.yaml: ok (1 task)\n" });
  });

  test("a task key under the value of the key above it: its own line, once", async () => {
    const r = await validate("key.yaml", withLine(7, "      appName: live"));
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      "key.yaml:7:7: (file): YAML: this line continues the value of domainName (line 6), and a plain value " +
        'cannot hold "key: value": indent it as the keys of its map, or quote the value\n',
    );
  });

  test("the last key of a task, and a key in defaults", async () => {
    const last = await validate("last.yaml", [...TASK.slice(0, 9), "      endTime: 2026-11-28T00:00:00Z"]);
    expect(last.out).toMatch(/^last\.yaml:10:7: \(file\): YAML: this line continues the value of startTime \(line 9\)/);
    const defaults = await validate("defaults.yaml", ["defaults:", "  region: ap-guangzhou", "    operator: ci", ...TASK]);
    expect(defaults.out).toMatch(/^defaults\.yaml:3:5: \(file\): YAML: this line continues the value of region \(line 2\)/);
    expect(defaults.out.split("\n").filter(Boolean)).toHaveLength(1);
  });

  test("a key of a list item's map, and a value that runs over lines before the key", async () => {
    const item = await validate("item.yaml", [
      ...TASK,
      "    watermarkList:",
      "      - pictureUrl: https://static.example.com/logo.png",
      "          xPosition: 4",
    ]);
    expect(item.out).toMatch(/^item\.yaml:13:11: \(file\): YAML: this line continues the value of pictureUrl \(line 12\)/);
    const long = await validate("long.yaml", [...TASK, "    comment: a long", "      comment that", "      goes on: here"]);
    expect(long.out).toMatch(/^long\.yaml:13:7: \(file\): YAML: this line continues the value of comment \(line 11\)/);
  });

  test("a list item under the item above it: the item's line, naming what it was taken into", async () => {
    const r = await validate("list.yaml", [...TASK.slice(0, 5), "        - rtmp://origin.example.net/live/b", ...TASK.slice(5)]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^list\.yaml:6:9: tasks\.relay\.sourceUrls\[0\]: .* \(line 6 continues this value from line 5: is it indented too deep\?\)\n$/,
    );
  });

  test("a key indented less than its map's keys, and a key without its colon, keep their own line", async () => {
    const less = await validate("less.yaml", withLine(8, "   streamName: a"));
    expect(less.out).toMatch(/^less\.yaml:8:1: \(file\): YAML: All mapping items must start at the same column\n/);
    const colon = await validate("colon.yaml", withLine(2, "  relay"));
    expect(colon.out).toMatch(/^colon\.yaml:2:3: \(file\): YAML: Implicit keys need to be on a single line\n/);
  });
});
