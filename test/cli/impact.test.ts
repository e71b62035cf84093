// css-pull-tasks impact on the real CLI's preview JSON (test/fixtures/impact/preview.json, captured by
// test/engine/impact.test.ts): the classifier, the renderings and the command's options.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePreview } from "../../cli/impact/parse";
import { changedInputs, classify, classifyStep } from "../../cli/impact/classify";
import { renderJson, renderMarkdown, renderTable, summary } from "../../cli/impact/render";
import { CATEGORIES, type TaskStep } from "../../cli/impact/types";
import { runImpact } from "../../cli/impact";
import type { Io } from "../../cli/io";

const FIXTURES = path.resolve(__dirname, "../fixtures/impact");
const PREVIEW_FILE = path.join(FIXTURES, "preview.json");
const preview = JSON.parse(fs.readFileSync(PREVIEW_FILE, "utf8")) as { steps: unknown[] };
const steps = parsePreview(preview);
const step = (name: string): TaskStep => structuredClone(steps.find((s) => s.name === name) as TaskStep);

function io(cwd = FIXTURES): Io & { out: string; err: string } {
  const self = {
    out: "", err: "", cwd, env: {},
    stdout: (t: string) => void (self.out += t),
    stderr: (t: string) => void (self.err += t),
  };
  return self;
}

describe("impact: classifying the real preview", () => {
  it("reads the task steps only (not the stack) and classifies each, worst first", () => {
    expect(steps.map((s) => s.name).sort()).toEqual(
      ["adopted", "again", "cutover", "fresh", "gone", "hold", "kick", "mover", "note", "wake"]);
    expect(classify(steps).map((i) => [i.category, i.name, i.fields.join(",")])).toEqual([
      ["cut", "cutover", "pushArgs"],
      ["cut", "gone", ""],
      ["restarted", "again", "fileIndex"],
      ["restarted", "kick", "restartTrigger"],
      ["moved", "mover", "streamName"],
      ["paused", "hold", "status"],
      ["enabled", "wake", "status"],
      ["created", "fresh", ""],
      ["adopted", "adopted", "adoptTaskId"],
      ["in-place", "note", "comment,endTime"],
    ]);
  });

  it("a Create for a stream a deleted task pushes (a rename without renamedFrom) is refused, and so its Delete", () => {
    const gone = step("gone");
    const renamed: TaskStep = { ...step("fresh"), name: "gone-2", news: { ...step("fresh").news, streamName: "gone" } };
    expect(classify([gone, renamed]).map((i) => [i.category, i.name, i.what])).toEqual([
      ["refused", "gone", "not reached: up stops at gone-2's refused Create"],
      ["refused", "gone-2", "up refuses this Create: gone's task pushes the stream (renamedFrom: gone if renamed, else adoptTaskId)"],
    ]);
    // Meant to share the stream, or another stream: what the steps say alone.
    const shared = { ...renamed, news: { ...renamed.news, allowSharedDestination: true } };
    expect(classify([gone, shared]).map((i) => i.category)).toEqual(["cut", "created"]);
    expect(classify([gone, step("fresh")]).map((i) => i.category)).toEqual(["cut", "created"]);
    // A secret destination ([secret] in the preview) is not known to be the same stream.
    const secretUrl = (s: TaskStep, side: "olds" | "news"): TaskStep => ({ ...s, [side]: { ...s[side], toUrl: "[secret]" } });
    expect(classify([secretUrl(gone, "olds"), secretUrl(renamed, "news")]).map((i) => i.category)).toEqual(["cut", "created"]);
  });

  it("tells a delete-first replacement (old state pendingReplacement) from a create-first one", () => {
    expect(step("cutover").deleteFirst).toBe(true);
    expect(step("mover").deleteFirst).toBe(false);
    const flipped = { ...step("mover"), deleteFirst: true };
    expect(classifyStep(flipped)?.category).toBe("cut");
  });

  it("removing restartTrigger restarts nothing; a pause in the same update is a pause", () => {
    const kick = step("kick");
    const removed = { ...kick, olds: kick.news, news: kick.olds };
    expect(classifyStep(removed)?.category).toBe("in-place");
    const paused = { ...kick, news: { ...kick.news, status: "pause" } };
    expect(classifyStep(paused)).toMatchObject({ category: "paused", fields: ["restartTrigger", "status"] });
  });

  it("two secret values as the CLI shows them ([secret]) are no visible change", () => {
    const note = step("note");
    expect(note.olds?.sourceUrls).toBe("[secret]");
    expect(changedInputs(note.olds, note.news)).toEqual(["comment", "endTime"]);
    expect(changedInputs({ a: 1, __identity: "x" }, { a: 2, __identity: "y" })).toEqual(["a"]);
  });

  it("a no-op step is no impact", () => {
    expect(classifyStep({ ...step("note"), op: "same" })).toBeUndefined();
  });

  it("rejects what is not a preview's JSON", () => {
    expect(() => parsePreview({ resources: [] })).toThrow(/no steps array/);
  });
});

describe("impact: rendering", () => {
  it("each category's Markdown is its golden file (regenerate: test/fixtures/impact/README.md)", () => {
    const impacts = classify(steps);
    // `refused` has a preview of its own (test/engine/impact-refused.test.ts writes its golden).
    for (const category of CATEGORIES.filter((c) => c !== "refused")) {
      const golden = fs.readFileSync(path.join(FIXTURES, `${category}.md`), "utf8");
      expect(renderMarkdown(impacts.filter((i) => i.category === category)), category).toBe(golden);
    }
  });

  it("the summary: worst first, one noun, singular or plural", () => {
    const impacts = classify(steps);
    expect(summary(impacts)).toBe(
      "2 streams cut, 2 restarted, 1 moved, 1 paused, 1 enabled, 1 created, 1 adopted, 1 changed in place");
    expect(summary(impacts.filter((i) => i.name === "note"))).toBe("1 stream changed in place");
    expect(summary([])).toBe("no stream changes");
    expect(renderMarkdown([])).toBe("### Stream impact: no stream changes\n\n");
  });

  it("masks a destination URL's auth parameters in every format", () => {
    const fresh = step("fresh");
    const news: Record<string, unknown> = { ...fresh.news, toUrl: "rtmp://push.example.com/live/x?txSecret=s3cr3t&txTime=5F5E0FFF" };
    delete news.domainName;
    const impacts = [classifyStep({ ...fresh, news }) as NonNullable<ReturnType<typeof classifyStep>>];
    for (const text of [renderTable(impacts), renderMarkdown(impacts), renderJson(impacts)]) {
      expect(text).toContain("rtmp://push.example.com/live/x?");
      expect(text).not.toContain("s3cr3t");
    }
  });

  it("the table: a header, one row per task, the summary last", () => {
    const lines = renderTable(classify(steps)).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Impact\s+Task\s+Stream\s+Fields\s+What happens$/);
    expect(lines[1]).toMatch(/^cut\s+cutover\s+push\.example\.com\/live\/cutover\s+pushArgs\s+deleted, then/);
    expect(lines).toHaveLength(1 + 10 + 2);
  });
});

describe("css-pull-tasks impact", () => {
  it("--file: the table; --format json; --fail-on cut exits 2", async () => {
    const t = io();
    expect(await runImpact(["--file", "preview.json"], t)).toBe(0);
    expect(t.out).toBe(renderTable(classify(steps)));
    const j = io();
    expect(await runImpact(["--file", PREVIEW_FILE, "--format", "json", "--fail-on", "cut"], j)).toBe(2);
    expect(JSON.parse(j.out)).toMatchObject({ counts: { cut: 2, "in-place": 1 }, tasks: { length: 10 } });
  });

  it("--fail-on passes when nothing is that bad; - reads stdin", async () => {
    const only = { ...preview, steps: preview.steps.filter((s) => /::note$/.test((s as { urn: string }).urn)) };
    const t = io();
    expect(await runImpact(["--file", "-", "--fail-on", "cut", "--format", "markdown"], t,
      async () => JSON.stringify(only))).toBe(0);
    expect(t.out).toBe(fs.readFileSync(path.join(FIXTURES, "in-place.md"), "utf8"));
    expect(await runImpact(["--file", "-", "--fail-on", "in-place"], io(), async () => JSON.stringify(only))).toBe(2);
  });

  it("usage errors exit 2; an unreadable preview exits 1", async () => {
    for (const argv of [[], ["--file", "a", "--run"], ["--file", "a", "--format", "html"],
      ["--file", "a", "--fail-on", "dark"], ["--file", "a", "extra"]]) {
      const t = io();
      expect(await runImpact(argv, t), argv.join(" ")).toBe(2);
      expect(t.err).toMatch(/Usage: css-pull-tasks impact/);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "impact-"));
    fs.writeFileSync(path.join(dir, "bad.json"), "Previewing update (test):\n");
    const t = io(dir);
    expect(await runImpact(["--file", "bad.json"], t)).toBe(1);
    expect(t.err).toMatch(/cannot read the preview: not JSON/);
    expect(await runImpact(["--file", "missing.json"], io(dir))).toBe(2);
    fs.rmSync(dir, { recursive: true });
  });

  it("--run: a missing pulumi is a failure that says so", async () => {
    const t = io();
    t.env = { PATH: "/nonexistent" };
    expect(await runImpact(["--run"], t)).toBe(1);
    expect(t.err).toMatch(/ENOENT[^]*`pulumi preview --json` failed \(exit 127\)/);
  });
});

describe("impact in the docs", () => {
  const root = path.resolve(__dirname, "../..");
  const read = (f: string) => fs.readFileSync(path.join(root, f), "utf8");

  it("docs/reviewing.md shows the real table and cut Markdown of the captured preview", () => {
    const doc = read("docs/reviewing.md");
    const block = (lang: string) => (doc.split(`\`\`\`${lang}\n`)[1] ?? "").split("```")[0];
    expect(block("console")).toBe(`$ npx css-pull-tasks impact --file preview.json\n${renderTable(classify(steps))}`);
    expect(block("markdown")).toBe(fs.readFileSync(path.join(FIXTURES, "cut.md"), "utf8"));
  });

  it("the README's example summary is the captured preview's", () => {
    const section = read("README.md").split("## Reviewing a change")[1].split("\n## ")[0];
    expect(section.replace(/\s+/g, " ")).toContain(`\`${summary(classify(steps))}\``);
    expect(section).toContain("](docs/reviewing.md)");
  });
});
