// The README's local demo as written, through the REAL Pulumi CLI: `npm start` (css-pull-tasks up),
// an edit, `css-pull-tasks preview`, `up`, a destination change, `refresh` after a task is paused
// and another deleted outside, `destroy`. Every line the README shows in a step's output must be in
// what that step really prints (durations, ports, ids and progress lines aside), so the two stay in step.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import { rawPost, signedHeaders } from "../emulator/support-sign";
import { cliDir, ROOT } from "./support/cli";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-readme-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What a terminal shows of a step, without what changes from run to run. */
export function normalise(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.replace(/\s+$/, ""))
    .filter((l) => l !== "" && !/^@ /.test(l) && !/^\s*Duration:/.test(l))
    .map((l) =>
      l
        .replace(/\(\d+(\.\d+)?s\)/g, "(Ns)")
        .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
        .replace(/"\d{7}"/g, '"ID"')
        .replace(/ +/g, " "),
    );
}

function css(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${cliDir()}${path.delimiter}${process.env.PATH}`, NO_COLOR: "1" };
    for (const k of ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "PULUMI_BACKEND_URL"]) delete env[k];
    const child = spawn(process.execPath, [path.join(ROOT, "dist/cli/main.js"), ...args], { cwd: dir, env });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`css-pull-tasks ${args.join(" ")}: ${code}\n${out}`))));
  });
}

/** The README's demo steps: for each `$ npx css-pull-tasks X` / `$ npm start` block, its output lines. */
function readmeSteps(): { command: string; lines: string[] }[] {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const demo = readme.slice(readme.indexOf("## The local demo"), readme.indexOf("## From a TypeScript program"));
  const steps: { command: string; lines: string[] }[] = [];
  for (const block of demo.split("```").filter((_, i) => i % 2 === 1)) {
    for (const line of block.split("\n")) {
      if (line.startsWith("$ ")) steps.push({ command: line.slice(2), lines: [] });
      else if (line.trim() !== "" && steps.length > 0) steps[steps.length - 1].lines.push(line);
    }
  }
  return steps;
}

/** An edit outside Pulumi, as the console would make it: through the API, on the demo's emulator state. */
async function outside(action: string, body: Record<string, unknown>): Promise<void> {
  const emulator = await startEmulator({ port: 0, stateFile: path.join(dir, ".local", "emulator-state.json") });
  try {
    const text = JSON.stringify(body);
    const host = new URL(emulator.url).host;
    const r = await rawPost(emulator.url, signedHeaders(action, text, host, { region: "ap-guangzhou" }), text);
    expect(r.json.Response.Error).toBeUndefined();
  } finally {
    await emulator.close();
  }
}

describe("the README's local demo through the real CLI", () => {
  it("runs as written, and shows what the README says it shows", async () => {
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
    project.main = path.join(ROOT, "dist/program/index.js");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
    const tasksFile = fs.readFileSync(path.join(ROOT, "tasks.yaml"), "utf8");
    fs.writeFileSync(path.join(dir, "tasks.yaml"), tasksFile);
    const shown: Record<string, string[]> = {};
    const run = async (label: string, args: string[]) => (shown[label] = normalise(await css(args)));

    expect(await css(["validate"])).toContain("tasks.yaml: ok (2 tasks)");
    await run("npm start", ["up"]);
    const edited = tasksFile.replace("comment: Studio feed with backup and logo", "comment: Studio feed, now with a logo");
    expect(edited).not.toBe(tasksFile);
    fs.writeFileSync(path.join(dir, "tasks.yaml"), edited);
    await run("npx css-pull-tasks preview", ["preview"]);
    await run("npx css-pull-tasks up", ["up"]);
    fs.writeFileSync(path.join(dir, "tasks.yaml"), edited.replace("streamName: studio", "streamName: studio-main"));
    await run("npx css-pull-tasks preview (replacement)", ["preview"]);
    await run("npx css-pull-tasks up (replacement)", ["up"]);
    const state = JSON.parse(fs.readFileSync(path.join(dir, ".local", "emulator-state.json"), "utf8")) as {
      tasks: { TaskId: string; StreamName: string; Deleted?: boolean }[];
    };
    const ids = Object.fromEntries(state.tasks.map((t) => [t.StreamName, t.TaskId]));
    await outside("ModifyLivePullStreamTask", { TaskId: ids["studio-main"], Operator: "console", Status: "pause" });
    await outside("DeleteLivePullStreamTask", { TaskId: ids.lobby, Operator: "console" });
    await run("npx css-pull-tasks refresh", ["refresh"]);
    await run("npx css-pull-tasks destroy", ["destroy"]);
    fs.mkdirSync(path.join(ROOT, ".local"), { recursive: true });
    fs.writeFileSync(path.join(ROOT, ".local", "readme-walkthrough.json"), JSON.stringify(shown, null, 2));

    // Each README step's output lines among the lines that step really printed (resources in any
    // order: the engine runs their steps in parallel).
    const steps = readmeSteps().filter((s) => s.command !== "npm run -s validate");
    expect(steps.length).toBeGreaterThan(0);
    const seen = new Map<string, number>();
    for (const step of steps) {
      const n = seen.get(step.command) ?? 0;
      seen.set(step.command, n + 1);
      const label = n === 0 ? step.command : `${step.command} (replacement)`;
      const real = shown[label];
      expect(real, `no such step in the walkthrough: ${label}`).toBeDefined();
      for (const line of normalise(step.lines.join("\n"))) {
        expect(real, `README line not printed by \`${label}\`: ${line}`).toContain(line);
      }
    }
  });
});
