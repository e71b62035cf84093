// css-pull-tasks validate: the resource's check, offline, over a tasks file.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { Io, EXIT_OK, EXIT_FAILED, EXIT_USAGE, UsageError, usageFailure } from "./io";
import { decodeTasksFile, type FileText } from "../program/file-text";
import { loadTasksFile, formatProblem, type Problem, type TaskEntry } from "../program/tasks-file";
import { undeclaredRenames, renameMessage } from "../program/renames";
import { maxTaskSpanMsForCli } from "../provider/task/span";
import { readBase } from "./base-version";
import { DEFAULT_MAX_TASK_SPAN_DAYS, MAX_TASK_SPAN_ENV } from "../provider/task/span";

export const VALIDATE_USAGE =
    "Usage: css-pull-tasks validate [FILE...] [--base REF|FILE] [--format text|json] [--assume-new] " +
  "[--max-task-span-days N]";

export const VALIDATE_HELP = `${VALIDATE_USAGE}

Checks a tasks file offline with the same schema and rules as the resource's check
(pulumi preview), without credentials or network.

  FILE...            the tasks file(s) (default: tasks.yaml), e.g. one per stack
  --format text      one line per problem: file:line:column: path: rule (default)
  --format json      a JSON array of {file, line, column, path, message}, e.g. for CI annotations
  --assume-new       judge every task as one the API will create: an endTime that has passed is
                     an error (the API refuses it). startTime may have passed: Create starts the
                     task at once. Use it where new tasks are reviewed (the GitOps workflow does).
                     Without it, an ended task is a warning, since a task already running is
                     never sent its times again; the resource checks the times it actually sends.
  --base REF|FILE    compare each FILE with its base version: the file at that git ref (e.g.
                     origin/main; \`git show REF:./FILE\` in the file's directory) or that file.
                     A key that is gone while a new key pushes to its destination is a rename:
                     warned, naming the line to add \`renamedFrom: <old key>\` at (which keeps the
                     running task; without it, up creates a new task, then deletes the old one).
                     A file not in REF yet: every task is new, nothing to compare.
  --max-task-span-days N  endTime - startTime must be less than N days, 1..30: give the stack's
                     tencentcloud:maxTaskSpanDays (default: ${MAX_TASK_SPAN_ENV}, else
                     ${DEFAULT_MAX_TASK_SPAN_DAYS}, the newest API model's limit; the spec page says 7)

Warnings do not fail; they are printed as \`file:line:column: path: warning: ...\` (on stderr with
--format json): a task whose endTime has passed (without --assume-new), a schedule window above
the span limit (capped just under it), a span of 7 days or more (accepted by the newest API model;
the international page still says 7), a setting the API accepts but ignores (a backup source on a
video-file task), a rename without renamedFrom (with --base).

Exit status: 0 no problems, 1 problems found, 2 usage error (bad option, unreadable file).
`;

export async function runValidate(argv: string[], io: Io, now: () => Date = () => new Date()): Promise<number> {
  let values: { format?: string; help?: boolean; "assume-new"?: boolean; "max-task-span-days"?: string; base?: string };
  let maxSpanMs: number;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
        "assume-new": { type: "boolean" },
        "max-task-span-days": { type: "string" },
        base: { type: "string" },
      },
      allowPositionals: true,
      strict: true,
    }));
    if (values.help) {
      io.stdout(VALIDATE_HELP);
      return EXIT_OK;
    }
    if (values.format !== undefined && values.format !== "text" && values.format !== "json") {
      throw new UsageError(`--format must be text or json, not "${values.format}"`);
    }
    if (values.base !== undefined && (values.base === "" || values.base.startsWith("-"))) {
      throw new UsageError(`--base needs a git ref or a file, not "${values.base}"`);
    }
    const flag = values["max-task-span-days"];
    maxSpanMs = maxTaskSpanMsForCli(flag, io.env);
  } catch (e) {
    return usageFailure(io, "validate", VALIDATE_USAGE, e);
  }
  const files = positionals.length > 0 ? positionals : ["tasks.yaml"];
  const texts: FileText[] = [];
  const bases: (Base | undefined)[] = [];
  for (const file of files) {
    try {
      texts.push(decodeTasksFile(fs.readFileSync(path.resolve(io.cwd, file))));
    } catch (e) {
      io.stderr(`css-pull-tasks validate: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return EXIT_USAGE;
    }
    try {
      bases.push(values.base === undefined ? undefined : baseOf(values.base, file, io.cwd, files.length));
    } catch (e) {
      return usageFailure(io, "validate", VALIDATE_USAGE, e);
    }
  }
  const problems: Problem[] = [];
  files.forEach((file, i) => {
    const decoded = texts[i];
    if ("problem" in decoded) {
      // One line for the file, whatever its size: nothing in it can be judged.
      const problem: Problem = { file, line: 1, column: 1, path: "", message: decoded.problem };
      problems.push(problem);
      if (values.format !== "json") io.stdout(`${file}: ${decoded.problem}\n`);
      return;
    }
    const assumeNew = values["assume-new"] === true;
    const loaded = loadTasksFile(decoded.text, file, { now: now(), assumeNew, maxSpanMs });
    problems.push(...loaded.problems);
    const base = bases[i];
    const renames = base && "tasks" in base ? undeclaredRenames(base.tasks, loaded.tasks) : [];
    const renamed = renames.map((r) => ({
      file, line: r.line, column: r.column, path: `tasks.${r.task}`, message: renameMessage(r, base!.label),
    }));
    const warnings = [...loaded.warnings, ...renamed].map((w) => ({ ...w, message: `warning: ${w.message}` }));
    const note = base && "missing" in base ? `${file}: ${base.missing}: every task is new, no rename to check\n` : "";
    if (values.format === "json") {
      for (const w of warnings) io.stderr(`${formatProblem(w)}\n`);
      io.stderr(note);
      return;
    }
    io.stdout(note);
    // Problems and warnings in file order.
    const lines = [...loaded.problems, ...warnings].sort((a, b) => a.line - b.line || a.column - b.column);
    for (const p of lines) io.stdout(`${formatProblem(p)}\n`);
    const n = loaded.tasks.length;
    if (loaded.problems.length === 0) io.stdout(`${file}: ok (${n} task${n === 1 ? "" : "s"})\n`);
  });
  if (values.format === "json") io.stdout(`${JSON.stringify(problems, null, 2)}\n`);
  return problems.length === 0 ? EXIT_OK : EXIT_FAILED;
}

/** A base version's tasks (its own problems are not this file's), or why there is none. */
type Base = { tasks: TaskEntry[]; label: string } | { missing: string; label: string };

function baseOf(base: string, file: string, cwd: string, fileCount: number): Base {
  const found = readBase(base, file, cwd, fileCount);
  if ("missing" in found) return { missing: found.missing, label: base };
  const decoded = decodeTasksFile(found.text);
  if ("problem" in decoded) throw new UsageError(`--base ${base}: ${found.label} ${decoded.problem}`);
  // Its tasks as the file then declared them: judged against nothing, so no clock matters.
  return { tasks: loadTasksFile(decoded.text, found.label, { now: new Date(0) }).tasks, label: found.label };
}
