// CreateLivePullStreamTask exactly once, whichever process sends it and whatever the reads show.
//
// A Create whose answer is lost (timeout, reset, 5xx after sending) is resolved by the API's own
// refusal of a second Create with the same SpecifyTaskId, never by a blind second id. A task found
// holding this resource's id is one of its own earlier tasks: one its own unanswered send just made,
// one an interrupted run left, or the one the engine is replacing (`--replace`, replacementTrigger,
// taint: Create cannot tell them apart and sees no state). It is never returned as the new task:
// the Create moves to the next generation's id and, once its own task exists, deletes the one it
// superseded (story.ts). So the id Create returns is always a task it made and got an answer for,
// and the engine's Delete of any old object never hits a task the state still holds.
//
// A task shown by a read may have been deleted already (a read lagging a destroy, or the
// delete-first half of a replacement, in any process): it is believed only once a write to it is
// accepted. A deleted task refuses a Modify with TaskNotExist; the no-op Modify below sets the
// comment to the program's, which the superseded task is about to lose anyway.
import type { CssClient } from "../api/client";
import { CssApiError, isTaskNotExist } from "../api/errors";
import { realSleep } from "../api/retry";
import type { CreateLivePullStreamTaskRequest, PullStreamTaskInfo } from "../api/types";
import type { TaskInputs } from "../task/types";
import { findBySpecifyTaskId, isIdInUse, MAX_GENERATIONS, notThisTask } from "./ids";

/**
 * Create sends of one SpecifyTaskId while the answers are lost. Re-sending the same id is safe
 * (the API refuses a duplicate); with 5, a 10% rate of lost answers fails a create about once in
 * 100,000.
 */
export const MAX_CREATE_SENDS = 5;

/**
 * Waits between look-ups of a task just written that the API does not show yet: reads may lag
 * writes by seconds, so "not found" is believed only after about 8 s of looking.
 */
export const LOOKUP_WAITS_MS: readonly number[] = [250, 500, 1000, 2000, 4000];

/** Looks again, with backoff, while the task is not there: a just-written task may not show yet. */
export async function lookUpPatiently<T>(
  find: () => Promise<T | undefined>,
  waits: readonly number[] = LOOKUP_WAITS_MS,
): Promise<T | undefined> {
  for (let i = 0; ; i++) {
    const found = await find();
    if (found !== undefined || i >= waits.length) return found;
    await realSleep(waits[i]);
  }
}

export interface CreatePlan {
  /** The SpecifyTaskId of each generation (ids.ts specifyTaskIdFor). */
  specifyTaskId(generation: number): string;
  /** What the program wants: a task found by the id must push its stream (notThisTask). */
  inputs: TaskInputs;
  operator: string;
}

export interface CreateOutcome {
  taskId: string;
  /** Earlier tasks of this resource that held its ids, alive when found: to be deleted (story.ts). */
  superseded: PullStreamTaskInfo[];
}

/** A task holds this resource's SpecifyTaskId but pushes elsewhere: nothing may be written. */
class NotThisTask extends Error {}

/**
 * Whether the task exists, asked of the API's write path (reads may lag; a write never does): the
 * no-op Modify is accepted by a task that exists and refused with TaskNotExist by a deleted one.
 */
export async function existsByWrite(
  client: CssClient,
  taskId: string,
  comment: string,
  operator: string,
  region?: string,
): Promise<boolean> {
  try {
    await client.modifyTask({ TaskId: taskId, Operator: operator, Comment: comment }, { region, idempotent: true });
    return true;
  } catch (err) {
    if (isTaskNotExist(err)) return false;
    throw err;
  }
}

/** What one SpecifyTaskId came to. */
type Attempt =
  | { created: string }
  /**
   * An earlier task of this resource holds the id, alive (a write to it was accepted). `afterOwnSend`:
   * found after a send of ours with this id went unanswered, so most likely made by that very send.
   */
  | { holder: PullStreamTaskInfo; afterOwnSend: boolean }
  /** The id is in use, and the only tasks shown holding it were deleted: the API keeps it reserved. */
  | { reserved: true };

async function createWithId(
  client: CssClient,
  req: CreateLivePullStreamTaskRequest,
  plan: CreatePlan,
  region?: string,
): Promise<Attempt> {
  const id = req.SpecifyTaskId!;
  let unanswered: CssApiError | undefined;
  /** Tasks shown holding the id that a write proved deleted (in this call: a fact, not a memory). */
  const ghosts = new Set<string>();
  const find = async (): Promise<PullStreamTaskInfo | undefined> => {
    const info = await findBySpecifyTaskId(client, id, region);
    if (!info || ghosts.has(info.TaskId)) return undefined;
    const why = notThisTask(info, plan.inputs);
    if (why) {
      throw new NotThisTask(
        `CreateLivePullStreamTask: task ${info.TaskId} holds this resource's SpecifyTaskId ${id} but is not this ` +
          `resource's task (${why}); it was not adopted. Delete it or rename the resource.`,
      );
    }
    if (await existsByWrite(client, info.TaskId, plan.inputs.comment ?? "", plan.operator, region)) return info;
    ghosts.add(info.TaskId);
    return undefined;
  };
  // A quick look after a lost answer: a failed read is only "not found yet", unless it is a refusal.
  const glance = () => find().catch((e: unknown) => {
    if (e instanceof NotThisTask) throw e;
    return undefined;
  });
  const lookUp = async (why: CssApiError): Promise<PullStreamTaskInfo | undefined> => {
    try {
      return await lookUpPatiently(find);
    } catch (readErr) {
      if (readErr instanceof NotThisTask) throw readErr;
      const reason = (readErr as Error).message;
      if (!unanswered) throw new Error(`${why.message} (looking it up by SpecifyTaskId ${id} failed too: ${reason})`);
      throw new Error(
        `CreateLivePullStreamTask: the outcome is unknown (${unanswered.message}) and looking the task up by ` +
          `SpecifyTaskId ${id} failed too (${reason}); the next \`pulumi up\` finds the task if it was created ` +
          "and replaces it with one of its own.",
      );
    }
  };
  for (let send = 1; send <= MAX_CREATE_SENDS; send++) {
    try {
      return { created: (await client.createTask(req, { region })).TaskId };
    } catch (err) {
      if (!(err instanceof CssApiError)) throw err;
      // Unanswered: a task holding the id, if one shows, is superseded; else the same id again, so
      // that the API itself refuses a duplicate.
      if (err.ambiguous) {
        unanswered = err;
        const found = await glance();
        if (found) return { holder: found, afterOwnSend: true };
        continue;
      }
      // Refused. After an unanswered send, or in words that may name the id, the task may exist
      // and simply not show yet: look until it does. Any other refusal is the user's answer.
      if (!unanswered && !isIdInUse(err)) {
        const found = await glance();
        if (found) return { holder: found, afterOwnSend: false };
        throw err;
      }
      const found = await lookUp(err);
      if (found) return { holder: found, afterOwnSend: unanswered !== undefined };
      // In use, never shown alive. Only a deleted task shown holding it, and no send of ours that
      // could have made the holder: the API keeps a deleted task's id; the next generation is free.
      if (!unanswered && isIdInUse(err) && ghosts.size > 0) return { reserved: true };
      // Otherwise a task still settling may hold it (the next run finds it): another id now could
      // push a second copy of the stream.
      const reserved = isIdInUse(err)
        ? " If it keeps saying so, a deleted task may still hold the id: renaming the resource gives it another."
        : "";
      throw new Error(
        `${err.message}; no task with SpecifyTaskId ${id} can be found, so nothing was adopted or created under ` +
          `another id; the next \`pulumi up\` tries again.${reserved}`,
      );
    }
  }
  const found = await lookUp(unanswered!);
  if (found) return { holder: found, afterOwnSend: true };
  throw new Error(
    `CreateLivePullStreamTask: no answer after ${MAX_CREATE_SENDS} sends and no task with SpecifyTaskId ${id} found; ` +
      "the next `pulumi up` finds it if it appears and replaces it with one of its own. " +
      `Last error: ${unanswered!.message}`,
  );
}

/**
 * Creates this resource's task under the first generation of its SpecifyTaskId no task holds; the
 * earlier tasks of this resource found holding the generations before it are returned to be deleted.
 * A task holding the id but pushing elsewhere stops the Create before anything is written.
 */
export async function createExactlyOnce(
  client: CssClient,
  request: CreateLivePullStreamTaskRequest,
  plan: CreatePlan,
  region?: string,
  retire: (tasks: PullStreamTaskInfo[]) => Promise<void> = async () => undefined,
): Promise<CreateOutcome> {
  const superseded: PullStreamTaskInfo[] = [];
  // Two passes: answers lost on every generation (each send's task found, so superseded) fill them
  // all with this very Create's own tasks. Those found after a send of ours (past generation 0, the
  // id an un-replaced task holds) are deleted and the generations tried again, instead of failing
  // every later run on the same full set (the soak saw it at 60% lost answers). Should one be the
  // state's task of an earlier replacement after all, its stream pauses until this Create's task runs.
  for (let pass = 0; pass < 2; pass++) {
    const ownTasks: PullStreamTaskInfo[] = [];
    for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
      const req = { ...request, SpecifyTaskId: plan.specifyTaskId(generation) };
      const attempt = await createWithId(client, req, plan, region);
      if ("created" in attempt) return { taskId: attempt.created, superseded: [...superseded, ...ownTasks] };
      if ("holder" in attempt && !superseded.some((t) => t.TaskId === attempt.holder.TaskId)) {
        (attempt.afterOwnSend && generation > 0 ? ownTasks : superseded).push(attempt.holder);
      }
    }
    if (ownTasks.length === 0) break;
    await retire(ownTasks);
  }
  throw new Error(
    `CreateLivePullStreamTask: SpecifyTaskId generations 0..${MAX_GENERATIONS - 1} of this resource are all in use` +
      (superseded.length > 0 ? ` (by tasks ${superseded.map((t) => t.TaskId).join(", ")})` : "") + ".",
  );
}
