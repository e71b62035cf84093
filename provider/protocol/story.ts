// The write protocol as one story (docs/reliability.md tells it with its tests). Every decision rests
// on what the API durably shows: an answer to our own write, a write the API accepts or refuses,
// or a read provably not older than our last write (fresh.ts). None rests on what this provider
// process remembers: the engine runs Diff, Create and Delete of one resource in different
// processes (one per provider reference, per command), and a refresh's Diff runs in the same process
// as the deletes that follow it.
//
// Create (create.ts): the first generation of the resource's SpecifyTaskId no task holds; a task of
//   this resource found holding an earlier one (a lost answer's, an interrupted run's, the one being
//   replaced) is superseded: deleted once the new task exists. Never returned as the new task.
//   Before it, shared.ts refuses a stream another task of the account can still push to, unless
//   the program allows it (allowSharedDestination): this resource's own tasks never count.
// Adopt (adopt.ts): only a task the program names (adoptTaskId), and only after a write to it is
//   accepted (a lagging read may show a deleted task).
// Modify (modify.ts): sent after the second of the state it builds on; a lost answer is settled by
//   a read showing the task written since the send, never by an older one.
// Delete (deleteTask below): sent, unless the task shows a write after the outputs the state
//   recorded for the old object (another resource adopted it since, or a change outside Pulumi).
import type { CssClient } from "../api/client";
import { isTaskNotExist } from "../api/errors";
import type {
  CreateLivePullStreamTaskRequest,
  ModifyLivePullStreamTaskRequest,
  PullStreamTaskInfo,
} from "../api/types";
import { destinations } from "../task/destination";
import { diffTask } from "../task/diff";
import { ADOPT_FIELD, OUTPUT_ONLY_FIELDS } from "../task/fields";
import { asCreated, fromTaskInfo, toCreateRequest, toModifyRequest } from "../task/requests";
import type { TaskInputs, TaskOutputs } from "../task/types";
import { asFound, taskToAdopt } from "./adopt";
import { createExactlyOnce } from "./create";
import { apiTimeMs, latestUpdateTime, shownSince, writeMark } from "./fresh";
import { specifyTaskIdFor } from "./ids";
import { modifyConfirmed } from "./modify";
import { refuseSharedDestination } from "./shared";

type Bag = Record<string, unknown>;

/** What the story needs from the process: the API client and a reader of tasks just written. */
export interface Io {
  client: CssClient;
  /** A read of a task just written (the coalesced reader: reads/coalesce.ts). */
  readWritten(taskId: string, region?: string): Promise<PullStreamTaskInfo | undefined>;
  /** A read of any task (adoptTaskId). */
  read(taskId: string, region?: string): Promise<PullStreamTaskInfo | undefined>;
  /** A read of a task whose UpdateTime the state recorded: never an older answer. */
  readKnown(taskId: string, updateTime: string, region?: string): Promise<PullStreamTaskInfo | undefined>;
  /** Every task of the region, from a listing fresh for a Create to `streams` (reads/account.ts). */
  list(region: string | undefined, streams: readonly string[]): Promise<PullStreamTaskInfo[]>;
  /** This process's Create to `streams` was answered: later listings must be sent after it. */
  created(region: string | undefined, streams: readonly string[]): void;
  /** This process's Delete of the task was answered, or found it gone: no listing row stands for it. */
  deleted(region: string | undefined, taskId: string): void;
  /** The task the state held for this resource, when this process's Diff saw it (placement.ts). */
  stateTask?: string;
  operator: string;
}

/** Struct (what the host sends back to the engine) cannot hold undefined. */
export function plain<T>(value: T): T {
  // A JSON round trip, without one for the plain data every check returns (a tenth of its time).
  const copied = plainCopy(value);
  return (copied === NOT_PLAIN ? JSON.parse(JSON.stringify(value)) : copied) as T;
}

const NOT_PLAIN = Symbol("not plain");

/** What a JSON round trip gives, for strings, finite numbers, booleans, null, lists and plain objects. */
function plainCopy(value: unknown): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value + 0 : NOT_PLAIN; // -0 → 0, as JSON
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const c = v === undefined ? NOT_PLAIN : plainCopy(v);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      out.push(c);
    }
    return out;
  }
  if (typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue; // JSON drops it
    if (k === "__proto__" || k === "toJSON") return NOT_PLAIN;
    const c = plainCopy(v);
    if (c === NOT_PLAIN) return NOT_PLAIN;
    out[k] = c;
  }
  return out;
}

/** The task exists but the operation did not finish: the engine records it with these outputs. */
export class PartialCreate extends Error {
  constructor(
    readonly taskId: string,
    readonly outputs: Bag,
    readonly reason: string,
  ) {
    super(`task ${taskId} was created but not finished; the next update completes it: ${reason}`);
  }
}

/**
 * Outputs after a write: the task as a read shows it, when that read shows it written since our
 * write (`mark`, fresh.ts) and as the program says; else what was written, with an UpdateTime not
 * before the write's (fresh.ts latestUpdateTime), which the next write waits past.
 */
async function outputsAfterWrite(
  io: Io,
  taskId: string,
  inputs: TaskInputs,
  mark: number,
  known?: PullStreamTaskInfo,
): Promise<Bag> {
  let info = known;
  if (!info) {
    try {
      info = await io.readWritten(taskId, inputs.region);
    } catch {
      // The write succeeded; a failed read must not fail it. Refresh fills the read-only outputs.
      info = undefined;
    }
  }
  const written = (): Bag => {
    const updateTime = latestUpdateTime(io.client);
    return plain({ ...inputs, taskId, ...(updateTime ? { updateTime } : {}) });
  };
  if (!info || !shownSince(info, mark)) return written();
  const shown = fromTaskInfo(info, inputs);
  // Shown since the write yet different: another writer's change; the program's stays recorded,
  // and a refresh shows the drift.
  if (diffTask(shown.inputs, inputs).changes) return written();
  return plain(shown.outputs as unknown as Bag);
}

/** Deletes tasks this resource's Create superseded; TaskNotExist: gone already. */
async function retire(io: Io, tasks: PullStreamTaskInfo[], region?: string): Promise<void> {
  for (const t of tasks) {
    try {
      await io.client.deleteTask({ TaskId: t.TaskId, Operator: io.operator }, { region });
      io.deleted(region, t.TaskId);
    } catch (err) {
      if (isTaskNotExist(err)) {
        io.deleted(region, t.TaskId);
        continue;
      }
      throw new Error(
        `task ${t.TaskId}, an earlier task of this resource that the new one replaces, could not be deleted ` +
          `(${(err as Error).message}); it still pushes the stream: delete it (css-pull-tasks export lists it).`,
      );
    }
  }
}

/**
 * Create: a new task (or the adopted one) brought to the program; its id and outputs. `aliases`:
 * the identities of names the resource had, whose tasks are its own too (shared.ts).
 */
export async function createTask(
  io: Io,
  inputs: TaskInputs,
  identity: string | undefined,
  aliases: readonly string[] = [],
): Promise<{ id: string; outs: Bag }> {
  const { client } = io;
  // adoptTaskId naming the very task a Diff-decided replacement replaces: a new task. (Only this
  // process's Diff can tell; without it the Create refuses rather than writes: adopt.ts.)
  const adopting = await taskToAdopt(inputs, { read: io.read, replacing: io.stateTask });
  if (adopting) return adoptTask(io, adopting, inputs);
  const earlier = await refuseSharedDestination(io, inputs, identity ? [identity, ...aliases] : []);
  const req = toCreateRequest(inputs, specifyTaskIdFor(identity, inputs)) as unknown as CreateLivePullStreamTaskRequest;
  const plan = { specifyTaskId: (g: number) => specifyTaskIdFor(identity, inputs, g), inputs, operator: io.operator };
  const mark = writeMark(client);
  const { taskId, superseded } = await createExactlyOnce(client, req, plan, inputs.region, (own) =>
    retire(io, own, inputs.region),
  );
  io.created(inputs.region, [...(destinations(inputs) ?? [])]);
  // As created: Create has no Status, so enabled.
  const current = { ...asCreated(inputs), status: "enable" as const };
  try {
    const met = new Set([taskId, ...superseded.map((t) => t.TaskId)]);
    await retire(io, [...superseded, ...earlier.filter((t) => !met.has(t.TaskId))], inputs.region);
    // One Modify brings it to the program: Status=pause for a paused task, BackupVodUrl.
    const rest = toModifyRequest(taskId, current, inputs) as ModifyLivePullStreamTaskRequest | null;
    if (!rest) return { id: taskId, outs: await outputsAfterWrite(io, taskId, inputs, mark) };
    const done = await modifyConfirmed(client, rest, inputs, inputs.region);
    return { id: taskId, outs: await outputsAfterWrite(io, taskId, inputs, done.mark, done.shown) };
  } catch (err) {
    throw new PartialCreate(taskId, plain({ ...current, taskId }), (err as Error).message);
  }
}

/**
 * adoptTaskId: the named task, brought to the program by one Modify, sent even when nothing
 * differs (a no-op one): only an accepted write shows the task is there, a read may lag its delete.
 * Sent past every time recorded of the task so far, so that its UpdateTime shows the adoption to
 * the delete guard of an earlier holder (deleteTask).
 */
async function adoptTask(io: Io, found: PullStreamTaskInfo, inputs: TaskInputs): Promise<{ id: string; outs: Bag }> {
  const taskId = found.TaskId;
  const current = fromTaskInfo(found, asFound(found, inputs)).inputs;
  const noop = { TaskId: taskId, Operator: io.operator, Comment: inputs.comment ?? "" };
  const change = toModifyRequest(taskId, current, inputs) as ModifyLivePullStreamTaskRequest | null;
  // Signed as an adoption (UpdateBy), so that the delete guard tells it from a change made outside.
  const req = { ...(change ?? noop), Operator: adoptionOperator(io.operator) };
  try {
    const done = await modifyConfirmed(io.client, req, inputs, inputs.region, latestUpdateTime(io.client));
    if (change) return { id: taskId, outs: await outputsAfterWrite(io, taskId, inputs, done.mark, done.shown) };
    // The no-op changed nothing but who and when: the task as found, written now by us (no read-back,
    // whose listing pages would only say the same).
    const updateTime = latestUpdateTime(io.client);
    const outs = { ...fromTaskInfo(found, inputs).outputs, updateBy: req.Operator, ...(updateTime && { updateTime }) };
    return { id: taskId, outs: plain(outs as unknown as Bag) };
  } catch (err) {
    if (!isTaskNotExist(err)) throw err;
    throw new Error(
      `${ADOPT_FIELD}: task ${taskId} was not found: it no longer exists (a read showed it after its delete). ` +
        `Remove ${ADOPT_FIELD} to create a new task. Nothing was created.`,
    );
  }
}

/** The one Modify that brings task `id` from `old` (outputs) to `inputs`; the outputs after it. */
export async function updateTask(io: Io, id: string, old: TaskOutputs, inputs: TaskInputs): Promise<Bag> {
  const req = toModifyRequest(id, old, inputs) as ModifyLivePullStreamTaskRequest | null;
  // Nothing the API can change (diff reported no change worth a request, e.g. fileIndex removed):
  // the outputs are the new inputs plus what only Describe knows. Spreading the old outputs
  // instead would keep a removed field in state and diff again on every preview.
  if (!req) {
    const known: Bag = {};
    const previous = old as unknown as Bag;
    for (const key of OUTPUT_ONLY_FIELDS) if (previous[key] !== undefined) known[key] = previous[key];
    return plain({ ...inputs, ...known, taskId: id });
  }
  try {
    const { shown, mark } = await modifyConfirmed(io.client, req, inputs, inputs.region, old.updateTime);
    return await outputsAfterWrite(io, id, inputs, mark, shown);
  } catch (err) {
    if (!isTaskNotExist(err)) throw err;
    throw new Error(
      `task ${id} no longer exists (deleted outside Pulumi, or expired and cleaned up): run \`pulumi refresh\` ` +
        `to drop it from the state, then \`pulumi up\` creates it again. ${(err as Error).message}`,
    );
  }
}


/** How an adopting write signs (the API shows it as UpdateBy): the resource's operator, marked. */
export function adoptionOperator(operator: string): string {
  return operator.endsWith(ADOPTED_MARK) ? operator : `${operator}${ADOPTED_MARK}`;
}
const ADOPTED_MARK = " (adoptTaskId)";

/**
 * Delete: sent whichever process the engine sends it to and whatever that process saw (a refresh's
 * Diff, a Create); TaskNotExist is success. Skipped only on what the task itself shows: an
 * adoption by another resource (adoptTaskId on a renamed resource: adopt always writes, signed by
 * adoptionOperator) after the outputs the state recorded for this old object (its UpdateTime later
 * than their updateTime; our own writes all record the UpdateTime they leave, fresh.ts). Create
 * never returns a task that existed before it, so nothing else of ours adopts. A change made
 * outside Pulumi (the console, another tool) signs otherwise: the task is still deleted (the real
 * CLI's destroy after a console edit left it running before UpdateBy was asked).
 */
export async function deleteTask(io: Io, id: string, old: Bag, region?: string): Promise<"deleted" | "gone" | "kept"> {
  const recorded = apiTimeMs(typeof old.updateTime === "string" ? old.updateTime : undefined);
  if (recorded !== undefined) {
    // Through the listing cache (reads/cache.ts): a destroy of many tasks pays listing pages, and
    // the answer is never older than the recorded UpdateTime.
    const now = await io.readKnown(id, old.updateTime as string, region);
    const written = apiTimeMs(now?.UpdateTime);
    if (written !== undefined && written > recorded && now?.UpdateBy?.endsWith(ADOPTED_MARK)) return "kept";
  }
  try {
    await io.client.deleteTask({ TaskId: id, Operator: io.operator }, { region });
    io.deleted(region, id);
    return "deleted";
  } catch (err) {
    // Already gone (deleted outside, expired, superseded by a Create, or our own earlier attempt).
    if (!isTaskNotExist(err)) throw err;
    io.deleted(region, id);
    return "gone";
  }
}
