// The pure middle of `css-pull-tasks impact`: each task step → what happens to its stream. Facts
// about fields come from the schema (provider/task/fields.ts), never from a list of our own here.
import { destinations } from "../../provider/task/destination";
import { ADOPT_FIELD, RESTARTS_PLAYBACK_FIELDS, SHARED_DESTINATION_FIELD } from "../../provider/task/fields";
import type { TaskInputs } from "../../provider/task/types";
import { CATEGORIES, type Category, type Impact, type TaskStep } from "./types";

const RESTART_TRIGGER = "restartTrigger";
/** How the CLI shows a secret input; two of them cannot be told apart, so they count as equal. */
const SECRET_SHOWN = "[secret]";

const WHAT: Record<Category, string> = {
  refused: "",
  cut: "",
  restarted: "restarted: the push drops briefly",
  moved: "the new one first, then the old deleted",
  paused: "paused: stops, stays configured",
  enabled: "runs again in its window",
  created: "a new task",
  adopted: "an existing task, adopted",
  "in-place": "no interruption",
};
const CUT_REPLACED = "deleted, then re-created: a gap";
const CUT_DELETED = "deleted: the stream stops";

/** Input names whose values differ (the provider's own keys, `__*`, left out). */
export function changedInputs(olds: Record<string, unknown> = {}, news: Record<string, unknown> = {}): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys]
    .filter((k) => !k.startsWith("__"))
    .filter((k) => !(olds[k] === SECRET_SHOWN && news[k] === SECRET_SHOWN))
    .filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]))
    .sort();
}

function stream(inputs: Record<string, unknown> | undefined): string {
  const parts = [inputs?.domainName, inputs?.appName, inputs?.streamName];
  if (parts.every((p) => typeof p === "string")) return parts.join("/");
  return typeof inputs?.toUrl === "string" ? inputs.toUrl : "-";
}

/** "push.example.com/live/a → b": the new destination without the path both share. */
function moved(from: string, to: string): string {
  let shared = 0;
  for (let i = 0; i < Math.min(from.length, to.length) && from[i] === to[i]; i++) if (from[i] === "/") shared = i + 1;
  return `${from} → ${to.slice(shared)}`;
}

function impact(step: TaskStep, category: Category, fields: string[], what = WHAT[category]): Impact {
  const from = stream(step.olds);
  const to = stream(step.news);
  const shown = step.olds && step.news && from !== to ? moved(from, to) : step.news ? to : from;
  return { name: step.name, category, what, fields: [...new Set(fields)].sort(), stream: shown, type: step.type };
}

/** An in-place update: restart, pause, enable or nothing the stream notices. */
function update(step: TaskStep): Impact {
  const fields = [...new Set([...changedInputs(step.olds, step.news), ...step.diffReasons])];
  const status = step.news?.status;
  if (fields.includes("status") && status === "pause") return impact(step, "paused", fields);
  if (fields.includes("status") && status === "enable") return impact(step, "enabled", fields);
  // Removing the trigger restarts nothing (schema: restartTrigger's description).
  const restarts = fields.filter(
    (f) => (f === RESTART_TRIGGER || RESTARTS_PLAYBACK_FIELDS.includes(f)) && step.news?.[f] !== undefined,
  );
  if (restarts.length > 0) return impact(step, "restarted", fields);
  return impact(step, "in-place", fields);
}

/** One step → its stream's impact, or undefined when the stream is untouched (same, read...). */
export function classifyStep(step: TaskStep): Impact | undefined {
  switch (step.op) {
    case "create":
      if (step.news?.[ADOPT_FIELD] !== undefined) return impact(step, "adopted", [ADOPT_FIELD]);
      return impact(step, "created", []);
    case "import":
      return impact(step, "adopted", []);
    case "update":
      return update(step);
    case "replace": {
      const fields = step.replaceReasons.length > 0 ? step.replaceReasons : changedInputs(step.olds, step.news);
      return step.deleteFirst ? impact(step, "cut", fields, CUT_REPLACED) : impact(step, "moved", fields);
    }
    case "delete":
      return impact(step, "cut", [], CUT_DELETED);
    default:
      return undefined;
  }
}

/** The streams a side of a step pushes to, by host and path; a secret one ("[secret]") is not known. */
function streamsOf(inputs: Record<string, unknown> | undefined): string[] {
  if (!inputs) return [];
  const found = destinations(inputs as unknown as TaskInputs) ?? new Set<string>();
  return [...found].filter((d) => !d.includes(SECRET_SHOWN));
}

/**
 * A plan that creates a task for a stream a task it deletes still pushes (a key renamed without
 * renamedFrom, or one entry's stream given to another): the engine runs the Create first and the
 * Delete at the end of the run, and the provider refuses that Create (issue 23's shared-destination
 * rule), so `up` fails there and never reaches the Delete. Both steps are reported as refused.
 */
function refusedPairs(steps: readonly TaskStep[], impacts: Map<TaskStep, Impact>): void {
  const deleted = new Map<string, TaskStep>();
  for (const s of steps) if (s.op === "delete") for (const d of streamsOf(s.olds)) deleted.set(d, s);
  for (const s of steps) {
    const created = impacts.get(s);
    if (s.op !== "create" || created?.category !== "created") continue;
    if (s.news?.[SHARED_DESTINATION_FIELD] === true) continue;
    const old = streamsOf(s.news).map((d) => deleted.get(d)).find((o) => o !== undefined);
    if (!old) continue;
    const hint = `renamedFrom: ${old.name} if renamed, else adoptTaskId`;
    const what = `up refuses this Create: ${old.name}'s task pushes the stream (${hint})`;
    impacts.set(s, { ...created, category: "refused", what });
    const gone = impacts.get(old);
    const notReached = `not reached: up stops at ${s.name}'s refused Create`;
    if (gone) impacts.set(old, { ...gone, category: "refused", what: notReached });
  }
}

/** Every task's impact, worst first, then by name. */
export function classify(steps: readonly TaskStep[]): Impact[] {
  const rank = (c: Category) => CATEGORIES.indexOf(c);
  const impacts = new Map<TaskStep, Impact>();
  for (const s of steps) {
    const i = classifyStep(s);
    if (i) impacts.set(s, i);
  }
  refusedPairs(steps, impacts);
  return [...impacts.values()].sort((a, b) => rank(a.category) - rank(b.category) || a.name.localeCompare(b.name));
}

/** Impacts at `threshold` or worse (for --fail-on). */
export function atOrWorse(impacts: readonly Impact[], threshold: Category): Impact[] {
  return impacts.filter((i) => CATEGORIES.indexOf(i.category) <= CATEGORIES.indexOf(threshold));
}
