// `css-pull-tasks impact` on the REAL `pulumi preview --json`: one stack whose next change holds every
// category of stream impact. The preview's JSON is saved as test/fixtures/impact/preview.json (the unit
// tests' input) and the Markdown per category is compared with test/fixtures/impact/*.md. Regenerate both
// after a deliberate change with UPDATE_IMPACT_FIXTURES=1 (see test/fixtures/impact/README.md).
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "../../emulator";
import { EngineStack, ROOT, callOutside, rootStackSpec } from "./support/cli";
import { relay } from "./support/tasks";
import { main } from "../../cli/main";
import { parsePreview } from "../../cli/impact/parse";
import { classify } from "../../cli/impact/classify";
import { renderMarkdown } from "../../cli/impact/render";
import { CATEGORIES } from "../../cli/impact/types";

const FIXTURES = path.join(ROOT, "test/fixtures/impact");
const UPDATE = process.env.UPDATE_IMPACT_FIXTURES === "1";
let stack: EngineStack | undefined;
let native: EngineStack | undefined;
afterAll(async () => {
  await stack?.dispose();
  await native?.dispose();
});

// Fixed times (far ahead) so the captured JSON and the goldens do not move between runs.
const fixed = (stream: string, over: Record<string, unknown> = {}) =>
  relay(stream, { startTime: "2030-01-01T00:00:00Z", endTime: "2030-01-03T00:00:00Z", ...over });
const vod = (stream: string, over: Record<string, unknown> = {}) => fixed(stream, {
  sourceType: "PullVodPushLive",
  sourceUrls: ["https://vod.example.com/a.mp4", "https://vod.example.com/b.mp4"],
  ...over,
});

// The saved fixture leaves out what only names this machine and is no input of the analysis: the
// dynamic provider's serialised code (__provider, ~10 kB a task) and the program's stack traces.
function portable(json: unknown): unknown {
  return JSON.parse(JSON.stringify(json, (key, value: unknown) =>
    key === "__provider" || key === "stackTrace" || key === "sourcePosition" ? undefined : value));
}

function run(argv: string[], cwd: string, env = process.env): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t), cwd, env };
  return main(argv, io).then((code) => ({ code, out, err }));
}

describe("impact on the real CLI's preview --json", () => {
  it("classifies every kind of change and prints it per stream", async () => {
    stack = await EngineStack.create(rootStackSpec(stringify({
      tasks: {
        note: fixed("note"), kick: fixed("kick"), again: vod("again"), cutover: fixed("cutover"),
        gone: fixed("gone"), mover: fixed("mover"), hold: fixed("hold"), wake: fixed("wake", { status: "pause" }),
      },
    })));
    await stack.up();
    const t = fixed("adopted");
    const made = await callOutside(stack, "CreateLivePullStreamTask", {
      SourceType: t.sourceType, SourceUrls: t.sourceUrls, DomainName: t.domainName, AppName: t.appName,
      StreamName: t.streamName, StartTime: t.startTime, EndTime: t.endTime, Operator: "console",
    });
    stack.writeFile("tasks.yaml", stringify({
      tasks: {
        note: fixed("note", { comment: "moved to the new studio", endTime: "2030-01-04T00:00:00Z" }),
        kick: fixed("kick", { restartTrigger: "2030-01-01 encoder swap" }),
        again: vod("again", { fileIndex: 2 }),
        // Same destination, a field the API cannot modify: the old task goes first (a gap).
        cutover: fixed("cutover", { pushArgs: "txSecret=abc123&txTime=5F5E0FFF" }),
        mover: fixed("mover", { streamName: "mover-2" }),
        hold: fixed("hold", { status: "pause" }),
        wake: fixed("wake"),
        fresh: fixed("fresh"),
        adopted: t,
      },
      imports: { adopted: made.TaskId as string },
    }));
    const preview = await stack.must(["preview", "--json"]);
    const json = JSON.parse(preview.stdout) as unknown;
    const file = path.join(FIXTURES, "preview.json");
    if (UPDATE) fs.writeFileSync(file, `${JSON.stringify(portable(json), null, 2)}\n`);

    const impacts = classify(parsePreview(json));
    // `refused` has a preview of its own (impact-refused.test.ts).
    for (const category of CATEGORIES.filter((c) => c !== "refused")) {
      const golden = path.join(FIXTURES, `${category}.md`);
      const md = renderMarkdown(impacts.filter((i) => i.category === category));
      if (UPDATE) fs.writeFileSync(golden, md);
      expect(md, category).toBe(fs.readFileSync(golden, "utf8"));
    }
    const saved = path.join(stack.dir, "preview.json");
    fs.writeFileSync(saved, preview.stdout);
    const table = await run(["impact", "--file", saved], stack.dir);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(
      /\n2 streams cut, 2 restarted, 1 moved, 1 paused, 1 enabled, 1 created, 1 adopted, 1 changed in place\n$/);
    expect(table.out).not.toMatch(/abc123/);
    const gated = await run(["impact", "--file", saved, "--fail-on", "cut", "--format", "json"], stack.dir);
    expect(gated.code).toBe(2);
    expect((JSON.parse(gated.out) as { summary: string }).summary).toMatch(/^2 streams cut/);
    // --run: the command runs the preview itself in this directory.
    // The stack's own environment (its backend, passphrase and the built CLI on PATH).
    const args = ["impact", "--run", "--format", "markdown", "--", "--stack", stack.stack];
    const ran = await run(args, stack.dir, stack["env"]);
    expect(ran.err).toBe("");
    expect(ran.out).toBe(renderMarkdown(impacts));
  });

  it("the native provider's type: a delete-first replacement and a removal are cuts, a restart", async () => {
    const yamlProject = (resources: Record<string, unknown>) => ({
      name: "css-engine-yaml",
      runtime: "yaml",
      plugins: { providers: [{ name: "tencentcloud-css", path: path.join(ROOT, "plugin") }] },
      resources,
    });
    const type = "tencentcloud-css:index:LivePullStreamTask";
    const task = (properties: Record<string, unknown>) => ({ type, properties });
    native = await EngineStack.create({
      project: yamlProject({ a: task(fixed("a")), b: task(fixed("b")), c: task(fixed("c")) }),
      config: {
        "tencentcloud-css:secretId": DEFAULT_SECRET_ID,
        "tencentcloud-css:secretKey": DEFAULT_SECRET_KEY,
        "tencentcloud-css:region": "ap-guangzhou",
      },
    }, "yaml");
    await native.up();
    native.writeFile("Pulumi.yaml", stringify(yamlProject({
      a: task(fixed("a", { pushArgs: "txSecret=abc123&txTime=5F5E0FFF" })),
      c: task(fixed("c", { restartTrigger: "1" })),
    })));
    const preview = await native.must(["preview", "--json"]);
    const impacts = classify(parsePreview(JSON.parse(preview.stdout)));
    expect(impacts.map((i) => [i.category, i.name, i.type])).toEqual([
      ["cut", "a", "tencentcloud-css:index:LivePullStreamTask"],
      ["cut", "b", "tencentcloud-css:index:LivePullStreamTask"],
      ["restarted", "c", "tencentcloud-css:index:LivePullStreamTask"],
    ]);
    expect(impacts[0].fields).toContain("pushArgs");
  });
});
