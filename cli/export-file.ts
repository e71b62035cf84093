// Pure part of `export`: live tasks (as Describe returns them) → a tasks file and a bulk-import file.
import { Document, isMap, isScalar, Pair, YAMLMap } from "yaml";
import type { PullStreamTaskInfo } from "../provider/api/types";
import { fromTaskInfo } from "../provider/task/requests";
import { normaliseInputs } from "../provider/task/normalise";
import { WRITE_ONLY_FIELDS } from "../provider/task/fields";
import { maskSecrets } from "../provider/task/mask";
import { DAY_MS } from "../provider/task/span";
import { parseTime } from "../provider/task/time";
import tasksFileSchema from "../schema/tasks-file.schema.json";

// The tasks-file schema's own task-name pattern, so every exported name validates.
const NAME_PATTERN = new RegExp(tasksFileSchema.definitions.taskName.pattern);
const NAME_MAX = 100;

// Fields that are not task attributes at all, so there is nothing for the user to fill in.
const NOT_ATTRIBUTES = new Set(["operator"]);

export interface ExportedTask {
  name: string;
  taskId: string;
  inputs: Record<string, unknown>;
}

export interface ExportResult {
  tasks: ExportedTask[];
  /** Tasks whose exported values carry auth parameters (txSecret, sign, …) in the clear. */
  withCredentials: string[];
  yaml: string;
  importFile: { resources: { type: string; name: string; id: string }[] };
}

export interface ExportOptions {
  /** The type token `pulumi import --file` imports as: the native plugin's (the dynamic host cannot import). */
  resourceType: string;
  /** `$schema` reference written in the file's first line, relative to the written file. */
  schemaRef: string;
  /** Where the tasks came from, for the header comment. */
  source: string;
}

/** A Pulumi-friendly name from free text: invalid characters become '-', a letter first. */
export function safeName(text: string): string {
  let name = text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z]+/, "").replace(/-+$/, "");
  if (name === "") return "";
  if (name.length > NAME_MAX) name = name.slice(0, NAME_MAX).replace(/-+$/, "");
  return NAME_PATTERN.test(name) ? name : "";
}

/**
 * One unique name per task: the stream name when there is one (what users recognise), else
 * `task-<TaskId>`; a clash gets `-2`, `-3`… in creation order, so re-exporting gives the same names.
 */
export function nameTasks(infos: PullStreamTaskInfo[]): Map<string, string> {
  const ordered = [...infos].sort(
    (a, b) => (a.CreateTime ?? "").localeCompare(b.CreateTime ?? "") || a.TaskId.localeCompare(b.TaskId),
  );
  const used = new Set<string>();
  const names = new Map<string, string>();
  for (const info of ordered) {
    const base = safeName(info.StreamName ?? "") || safeName(`task-${info.TaskId}`) || "task";
    let name = base;
    for (let n = 2; used.has(name); n++) {
      const suffix = `-${n}`;
      name = `${base.slice(0, NAME_MAX - suffix.length)}${suffix}`;
    }
    used.add(name);
    names.set(info.TaskId, name);
  }
  return names;
}

// Leaves out what the file need not say: values the resource's normalisation fills in anyway
// (status enable, vodLoopTimes -1, …), judged by normaliseInputs itself rather than a second list.
function essentialInputs(obj: Record<string, unknown>): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(obj).filter(([k, v]) => v !== undefined && !NOT_ATTRIBUTES.has(k)));
  const full = normaliseInputs(out) as unknown as Record<string, unknown>;
  for (const key of Object.keys(out)) {
    const without = { ...out };
    delete without[key];
    const filled = (normaliseInputs(without) as unknown as Record<string, unknown>)[key];
    if (filled !== undefined && JSON.stringify(filled) === JSON.stringify(full[key])) delete out[key];
  }
  return out;
}

function writeOnlyComment(name: string, taskId: string, inputs: Record<string, unknown>): string {
  const missing = WRITE_ONLY_FIELDS.filter((f) => !NOT_ATTRIBUTES.has(f));
  const lines = [
    ` ${name}: TaskId ${taskId}.`,
    ` Describe does not return ${missing.join(", ")}: add any this task was created with.`,
  ];
  const hasDestination = ["domainName", "appName", "streamName"].some(
    (f) => typeof inputs[f] === "string" && inputs[f] !== "",
  );
  if (!hasDestination) {
    lines.push(" This task pushes to a toUrl (its domain/app/stream are empty): toUrl is required here.");
  }
  return lines.join("\n");
}

export function buildExport(infos: PullStreamTaskInfo[], opts: ExportOptions): ExportResult {
  const names = nameTasks(infos);
  const tasks: ExportedTask[] = [...infos]
    .map((info) => ({
      name: names.get(info.TaskId) as string,
      taskId: info.TaskId,
      inputs: essentialInputs(fromTaskInfo(info).inputs as unknown as Record<string, unknown>),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

  const doc = new Document({
    tasks: Object.fromEntries(tasks.map((t) => [t.name, t.inputs])),
    imports: Object.fromEntries(tasks.map((t) => [t.name, t.taskId])),
  });
  doc.commentBefore = [
    ` yaml-language-server: $schema=${opts.schemaRef}`,
    ` Exported by \`css-pull-tasks export\` from ${opts.source}: ${tasks.length} task(s).`,
    " Check it with `css-pull-tasks validate`; the next `pulumi up` adopts the tasks listed under",
    " `imports` (each is its task's adoptTaskId: no API change when the entry matches the task) and then",
    " manages them from this file.",
  ].join("\n");
  const taskMap = doc.get("tasks", true);
  if (isMap(taskMap)) {
    for (const pair of (taskMap as YAMLMap).items as Pair[]) {
      const key = pair.key;
      if (!isScalar(key)) continue;
      const task = tasks.find((t) => t.name === String(key.value));
      if (task) key.commentBefore = writeOnlyComment(task.name, task.taskId, task.inputs);
      // A blank line between tasks: the file is for people to edit.
      if (pair !== (taskMap as YAMLMap).items[0]) key.spaceBefore = true;
    }
  }
  const importsKey = (doc.contents as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === "imports")?.key;
  if (isScalar(importsKey)) {
    importsKey.spaceBefore = true;
    importsKey.commentBefore =
      " Task name → TaskId to adopt on the next `pulumi up` (the task's adoptTaskId). Only the first\n" +
      " create reads it: keeping or removing this block afterwards changes nothing.";
  }
  return {
    tasks,
    withCredentials: tasks
      .filter((t) => maskSecrets(JSON.stringify(t.inputs)) !== JSON.stringify(t.inputs))
      .map((t) => t.name),
    yaml: doc.toString({ lineWidth: 0 }),
    importFile: { resources: tasks.map((t) => ({ type: opts.resourceType, name: t.name, id: t.taskId })) },
  };
}

/**
 * Exported tasks whose span (endTime − startTime) the given limit would refuse, with the smallest
 * `tencentcloud:maxTaskSpanDays` that accepts each: an account on the 30-day limit may hold them,
 * and a file that validate and preview then refuse would not adopt them.
 */
export function spansOverLimit(
  tasks: ExportedTask[],
  maxSpanMs: number,
): { name: string; days: number; needed: number }[] {
  const out: { name: string; days: number; needed: number }[] = [];
  for (const t of tasks) {
    const start = typeof t.inputs.startTime === "string" ? parseTime(t.inputs.startTime) : null;
    const end = typeof t.inputs.endTime === "string" ? parseTime(t.inputs.endTime) : null;
    if (start === null || end === null || end - start < maxSpanMs) continue;
    const days = (end - start) / DAY_MS;
    out.push({ name: t.name, days, needed: Math.floor(days) + 1 });
  }
  return out;
}
