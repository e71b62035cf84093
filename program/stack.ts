// The root stack: one LivePullStreamTask per entry of the tasks file, named after its key.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { LivePullStreamTask, LivePullStreamTaskArgs } from "../provider/resource";
import { loadTasksFile, formatProblem } from "./tasks-file";
import { mapConfigRefs, splitConfigRefs } from "./config-refs";
import { decodeTasksFile, type FileText } from "./file-text";
import { maxTaskSpanDaysFrom } from "../provider/config";
import { spanMs } from "../provider/task/span";

export const DEFAULT_TASKS_FILE = "tasks.yaml";

export interface StackOptions {
  /**
   * Directory the tasks file path is relative to: by default the project's (Pulumi.yaml's). Not
   * process.cwd(): the engine starts a program in the directory of its `main`, here dist/program
   * (pulumi pkg/engine/project.go `getPwdMain`; the real CLI showed "cannot read tasks.yaml").
   */
  cwd?: string;
  now?: Date;
}

// "rtmp://host/app/s?${config:auth}" → a secret Output joining the literal parts and the config value.
export function fromConfig(text: string): pulumi.Output<string> {
  const parts = splitConfigRefs(text).map((p) => {
    if (typeof p === "string") return p;
    const [ns, name] = p.key.includes(":") ? p.key.split(":", 2) : [undefined, p.key];
    return new pulumi.Config(ns).requireSecret(name);
  });
  return pulumi.secret(pulumi.all(parts).apply((values) => values.join("")));
}

/** Reads stack config `css:tasksFile`, validates the file and declares its tasks. */
export function declareTasksFromConfig(opts: StackOptions = {}): Record<string, LivePullStreamTask> {
  const file = new pulumi.Config("css").get("tasksFile") ?? DEFAULT_TASKS_FILE;
  // Outside an engine (mocks, tests) the SDK answers the placeholder "rootDirectory", not a path.
  const root = pulumi.runtime.getRootDirectory();
  const full = path.resolve(opts.cwd ?? (path.isAbsolute(root) ? root : process.cwd()), file);
  let decoded: FileText;
  try {
    decoded = decodeTasksFile(fs.readFileSync(full));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? String(e);
    const hint = "set it with `pulumi config set css:tasksFile <path>`";
    throw new pulumi.RunError(`css:tasksFile: cannot read ${file} (${why}); ${hint}`);
  }
  if ("problem" in decoded) throw new pulumi.RunError(`${file} ${decoded.problem}`);
  const text = decoded.text;
  // The same span limit as the provider's check: an offline refusal here would be a false one.
  const maxSpanMs = spanMs(maxTaskSpanDaysFrom(new pulumi.Config("tencentcloud").get("maxTaskSpanDays")));
  const loaded = loadTasksFile(text, file, { now: opts.now ?? new Date(), maxSpanMs });
  for (const w of loaded.warnings) pulumi.log.warn(formatProblem(w));
  if (loaded.problems.length > 0) {
    // RunError: the engine prints the message without a stack trace, one problem per line.
    const list = loaded.problems.map(formatProblem).join("\n");
    throw new pulumi.RunError(`${file} has ${loaded.problems.length} problem(s):\n${list}`);
  }
  const resources: Record<string, LivePullStreamTask> = {};
  for (const task of loaded.tasks) {
    // An `imports` entry is the task's adoptTaskId (its inputs carry it): the resource's Create adopts it.
    const args = mapConfigRefs(task.inputs, fromConfig) as LivePullStreamTaskArgs;
    // A renamed entry keeps its task: the alias lets the engine find the old name's state, so the
    // rename is no create and no delete. The identity (provider/identity.ts) follows the new name
    // from then on: only a later replacement creates, under it (docs/tasks-file.md).
    const opts = task.renamedFrom !== undefined ? { aliases: [{ name: task.renamedFrom }] } : undefined;
    resources[task.name] = new LivePullStreamTask(task.name, args, opts);
  }
  return resources;
}
