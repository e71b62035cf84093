// css-pull-tasks impact: what a change does to each live stream, from `pulumi preview --json`.
// Reading the JSON (a file, stdin or a preview run here) is the only I/O; impact/ is pure.
import * as fs from "node:fs";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { Io, EXIT_OK, EXIT_FAILED, EXIT_USAGE, UsageError, usageFailure } from "./io";
import { maskSecrets } from "../provider/task/mask";
import { parsePreview } from "./impact/parse";
import { atOrWorse, classify } from "./impact/classify";
import { renderJson, renderMarkdown, renderTable } from "./impact/render";
import { CATEGORIES, type Category } from "./impact/types";

export const IMPACT_USAGE =
  "Usage: css-pull-tasks impact (--file FILE|- | --run [-- PREVIEW_ARGS...]) [--format table|markdown|json] " +
  "[--fail-on CATEGORY]";

export const IMPACT_HELP = `${IMPACT_USAGE}

What a change does to each live stream (LivePullStreamTask, both the dynamic resource and the
native provider's type), from the JSON of \`pulumi preview --json\`. Worst first:

  cut        deleted first then re-created on the same destination (a gap), or deleted
  restarted  restartTrigger set or changed, or a field whose every send restarts playback
             (fileIndex, offsetTime: the schema's x-restarts-playback)
  moved      replaced by a task on a new destination, created before the old one is deleted
  paused     status set to pause          enabled   status set back to enable
  created    a new task                   adopted   a create with adoptTaskId (the tasks file's imports)
  in place   any other update: comment, callback, an endTime extension...

  --file FILE        the saved JSON (\`pulumi preview --json > preview.json\`); - reads stdin
  --run              run \`pulumi preview --json\` in this directory, with the arguments after --
  --format table     a table and the summary line (default)
  --format markdown  the same as Markdown, for a pull request comment
  --format json      {summary, counts, tasks: [{name, category, what, fields, stream, type}]}
  --fail-on CAT      exit 2 when any stream is at CAT or worse (e.g. cut), for CI checks

A secret input shows as [secret] in the preview: a change of its value alone cannot be seen.

Exit status: 0 printed, 1 the preview could not be read or run, 2 --fail-on matched or a usage error.
`;

/** Reads all of stdin; passed in so tests need no process stdin. */
export type ReadStdin = () => Promise<string>;

const readProcessStdin: ReadStdin = async () => {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

/** `pulumi preview --json ARGS` in io.cwd: its stdout, which holds the JSON even when it fails. */
function runPreview(args: string[], io: Io): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("pulumi", ["preview", "--json", ...args], { cwd: io.cwd, env: io.env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", (e) => resolve({ code: 127, stdout, stderr: `${stderr}${e.message}\n` }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

interface Options {
  file?: string;
  run: boolean;
  format: "table" | "markdown" | "json";
  failOn?: Category;
  previewArgs: string[];
}

function options(argv: string[]): Options | "help" {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      file: { type: "string" },
      run: { type: "boolean" },
      format: { type: "string" },
      "fail-on": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return "help";
  if ((values.file === undefined) === (values.run !== true)) throw new UsageError("give one of --file or --run");
  if (positionals.length > 0 && values.run !== true) throw new UsageError(`unexpected ${positionals[0]}`);
  const format = values.format ?? "table";
  if (format !== "table" && format !== "markdown" && format !== "json") {
    throw new UsageError(`--format must be table, markdown or json, not "${format}"`);
  }
  const failOn = values["fail-on"];
  if (failOn !== undefined && !(CATEGORIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${CATEGORIES.join(", ")}, not "${failOn}"`);
  }
  return { file: values.file, run: values.run === true, format, failOn: failOn as Category, previewArgs: positionals };
}

export async function runImpact(argv: string[], io: Io, readStdin: ReadStdin = readProcessStdin): Promise<number> {
  let opts: Options | "help";
  try {
    opts = options(argv);
  } catch (e) {
    return usageFailure(io, "impact", IMPACT_USAGE, e);
  }
  if (opts === "help") {
    io.stdout(IMPACT_HELP);
    return EXIT_OK;
  }
  let text: string;
  if (opts.run) {
    const run = await runPreview(opts.previewArgs, io);
    if (run.code !== 0) {
      io.stderr(maskSecrets(run.stderr));
      // A failed preview still prints its JSON (with the diagnostics); without any there is nothing to read.
      if (run.stdout.trim() === "") {
        io.stderr(`css-pull-tasks impact: \`pulumi preview --json\` failed (exit ${run.code})\n`);
        return EXIT_FAILED;
      }
    }
    text = run.stdout;
  } else if (opts.file === "-") {
    text = await readStdin();
  } else {
    try {
      text = fs.readFileSync(path.resolve(io.cwd, opts.file as string), "utf8");
    } catch (e) {
      io.stderr(`css-pull-tasks impact: cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return EXIT_USAGE;
    }
  }
  let impacts;
  try {
    impacts = classify(parsePreview(JSON.parse(text)));
  } catch (e) {
    const why = e instanceof SyntaxError ? "not JSON" : (e as Error).message;
    io.stderr(`css-pull-tasks impact: cannot read the preview: ${why}\n`);
    return EXIT_FAILED;
  }
  const render = { table: renderTable, markdown: renderMarkdown, json: renderJson }[opts.format];
  io.stdout(render(impacts));
  return opts.failOn && atOrWorse(impacts, opts.failOn).length > 0 ? EXIT_USAGE : EXIT_OK;
}
