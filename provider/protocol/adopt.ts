// Adopting a task created outside Pulumi: the `adoptTaskId` input (schema x-adopts). The engine's
// import (the `import` resource option, `pulumi import`) reads with the id alone, which the
// dynamic provider host cannot serve (pkg/resource/deploy/step.go ImportStep.Apply sends no
// inputs, so no `__provider`); an input reaches Create like any other, on both faces.
//
// Create adopts the task instead of creating one, once it is shown to be this resource's task:
// found in the resource's region, and every field a Modify cannot change (sourceType, the
// destination, pushArgs, templates, …: a change of one replaces a task) equal to the program's.
// Anything else fails the Create before any write. The caller (story.ts) then always writes to it,
// the Modify that brings it to the program or a no-op one: the read may lag a delete, and only a
// write the API accepts shows the task is there; the write also moves its UpdateTime past what the
// state of any earlier holder recorded, which is what the delete guard (story.ts deleteTask) asks.
import type { PullStreamTaskInfo } from "../api/types";
import { notThisTask } from "./ids";
import { diffTask } from "../task/diff";
import { ADOPT_FIELD, FIELDS, SECRET_FIELDS } from "../task/fields";
import { fromTaskInfo } from "../task/requests";
import type { TaskInputs } from "../task/types";

type Bag = Record<string, unknown>;

/**
 * Write-only fields that Modify can send (fileIndex, offsetTime, backupVodUrl): never shown, so an
 * adopted task is taken NOT to have the program's value and the Modify after the adoption sends it
 * when the program sets it (fileIndex/offsetTime restart VOD playback: only when set). The other
 * write-only fields (toUrl's query, extraCmd: create-only; operator: no change) cannot be sent
 * and are taken as the program says.
 */
const SENT_WHEN_SET = FIELDS.filter((f) => f.writeOnly && f.modifiable && !f.noChange).map((f) => f.name);

/** The task as the program would see it: Describe's fields, the rest as the program says (see above). */
export function asFound(info: PullStreamTaskInfo, inputs: TaskInputs): TaskInputs {
  const known: Bag = { ...(inputs as unknown as Bag) };
  for (const name of SENT_WHEN_SET) delete known[name];
  return fromTaskInfo(info, known as unknown as TaskInputs).inputs;
}

/** The TaskId the program asks Create to adopt, if any. */
export function adoptTaskIdOf(inputs: TaskInputs): string | undefined {
  const v = (inputs as unknown as Bag)[ADOPT_FIELD];
  return typeof v === "string" && v !== "" ? v : undefined;
}

export interface AdoptContext {
  read(taskId: string, region?: string): Promise<PullStreamTaskInfo | undefined>;
  /**
   * The task this resource's state holds, as this process's Diff saw it before a replacement: never
   * adopted again (adoptTaskId only matters at the first Create). It can only turn the refusal of a
   * task that pushes elsewhere into a new task: no write and no delete rests on it.
   */
  replacing?: string;
}

const show = (name: string, v: unknown): string =>
  SECRET_FIELDS.includes(name) ? "(secret)" : v === undefined || v === "" ? "unset" : JSON.stringify(v);

/**
 * The task Create adopts, as read; undefined when the program names none, or names the task this
 * resource is replacing. Throws, before any write, when the task is missing or cannot be this
 * resource's.
 */
export async function taskToAdopt(inputs: TaskInputs, ctx: AdoptContext): Promise<PullStreamTaskInfo | undefined> {
  const id = adoptTaskIdOf(inputs);
  if (!id || id === ctx.replacing) return undefined;
  const nothing = "Nothing was created or changed.";
  const info = await ctx.read(id, inputs.region);
  if (!info) {
    throw new Error(
      `${ADOPT_FIELD}: task ${id} was not found in region ${inputs.region}. Check the TaskId (\`css-pull-tasks ` +
        "export\` lists the account's tasks) and the region (set `region` to the task's), or remove " +
        `${ADOPT_FIELD} to create a new task. ${nothing}`,
    );
  }
  const found = asFound(info, inputs) as unknown as Bag;
  const wanted = inputs as unknown as Bag;
  const differ = diffTask(found as unknown as TaskInputs, inputs).replaces.map(
    (f) => `${f} is ${show(f, wanted[f])} here, ${show(f, found[f])} on the task`,
  );
  // toUrl is never shown: its path must at least name the task's stream.
  const destination = inputs.toUrl !== undefined ? notThisTask(info, inputs) : undefined;
  if (destination) differ.push(destination);
  if (differ.length > 0) {
    throw new Error(
      `${ADOPT_FIELD}: task ${id} cannot become this resource: ${differ.join("; ")}. These fields cannot be ` +
        "changed in place (a change replaces a task): set them to the task's values, or remove " +
        `${ADOPT_FIELD} to create a new task. ${nothing}`,
    );
  }
  return info;
}
