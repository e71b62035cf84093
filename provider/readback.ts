// Writes whose answer may be lost (timeout, reset, 5xx after sending) are resolved by reading the
// task back, never by blindly sending them again: a second Create would push a second copy of
// the stream, and the engine would know only one of them.
import { createHash, randomUUID } from "node:crypto";
import type { CssClient } from "./api/client";
import { CssApiError } from "./api/errors";
import type { CreateLivePullStreamTaskRequest, ModifyLivePullStreamTaskRequest, PullStreamTaskInfo } from "./api/types";
import { sameField } from "./task/equality";
import { INPUT_NAME, REPLACE_FIELDS, WRITE_ONLY_FIELDS } from "./task/fields";
import { fromTaskInfo } from "./task/requests";
import type { TaskInputs } from "./task/types";

/**
 * Create sends, counting re-sends after a read-back showed the previous one was not applied. Every
 * ambiguous send is followed by a read-back, so more sends never risk a duplicate; with 5, a 10%
 * rate of ambiguous faults fails a create about once in 100,000.
 */
export const MAX_CREATE_SENDS = 5;

/** The service said the task does not exist (Delete/Describe/Modify of an unknown id). */
export function isTaskGone(err: unknown): boolean {
  return err instanceof CssApiError && (err.code.endsWith(".TaskNotExist") || err.code === "ResourceNotFound.TaskNotExist");
}

/** A fresh caller-chosen id, for when the service refuses the identity-derived one. */
export function newSpecifyTaskId(): string {
  return `pulumi-${randomUUID().replace(/-/g, "")}`;
}

/**
 * The SpecifyTaskId of a resource's task: a hash of the resource's identity (project/stack/name)
 * and its Create-only fields (a change to any of them is a new task, possibly created before the
 * old one is deleted). The API refuses a second Create with an id in use, so a Create repeated
 * after an interrupted run (the task was created, the engine never heard of it) is refused and
 * the task found by this id is adopted instead of duplicated. Without an identity (a caller not
 * going through LivePullStreamTask) the id is random: no adoption across runs, but never the
 * adoption of another resource's task. A hash, so a toUrl's auth values are not revealed by it.
 */
export function specifyTaskIdFor(identity: string | undefined, inputs: TaskInputs): string {
  if (!identity) return newSpecifyTaskId();
  const createOnly = REPLACE_FIELDS.map((f) => [f, (inputs as unknown as Record<string, unknown>)[f] ?? null]);
  return `pulumi-${createHash("sha256").update(JSON.stringify([identity, createOnly])).digest("hex").slice(0, 32)}`;
}

export async function findBySpecifyTaskId(client: CssClient, specifyTaskId: string, region?: string): Promise<PullStreamTaskInfo | undefined> {
  try {
    const r = await client.describeTasks({ SpecifyTaskId: specifyTaskId }, { region });
    return r.TaskInfos?.[0];
  } catch (err) {
    if (isTaskGone(err)) return undefined;
    throw err;
  }
}

export interface CreateOutcome {
  taskId: string;
  /** Set when the task already existed (a lost reply, or an earlier interrupted run): as read back. */
  existing?: PullStreamTaskInfo;
}

/**
 * CreateLivePullStreamTask exactly once. After any failure the task is looked up by the request's
 * SpecifyTaskId and adopted if there; otherwise an ambiguous failure is sent again (same id, so
 * the service can refuse a duplicate) and a definite refusal is tried once more with a fresh id
 * (ids of deleted tasks may stay reserved) before it becomes the user's answer.
 */
export async function createExactlyOnce(client: CssClient, request: CreateLivePullStreamTaskRequest, region?: string): Promise<CreateOutcome> {
  let req = request;
  if (!req.SpecifyTaskId) throw new Error("createExactlyOnce: the request must carry a SpecifyTaskId");
  let freshTried = false;
  let last: unknown;
  for (let send = 1; send <= MAX_CREATE_SENDS; send++) {
    try {
      const r = await client.createTask(req, { region });
      return { taskId: r.TaskId };
    } catch (err) {
      last = err;
      if (!(err instanceof CssApiError)) throw err;
      let found: PullStreamTaskInfo | undefined;
      try {
        found = await findBySpecifyTaskId(client, req.SpecifyTaskId!, region);
      } catch (readErr) {
        // A refusal stays the answer the user needs; the failed look-up is only a footnote.
        if (!err.ambiguous) throw err;
        throw new Error(
          `CreateLivePullStreamTask: the outcome is unknown (${err.message}) and looking the task up by SpecifyTaskId ` +
            `${req.SpecifyTaskId} failed too (${(readErr as Error).message}); the next \`pulumi up\` adopts the task if it was created.`,
        );
      }
      if (found?.TaskId) return { taskId: found.TaskId, existing: found };
      if (err.ambiguous) continue;
      // Refused, and no task holds the id. The id itself may be what is refused (an earlier task
      // of this resource was deleted and its id stays reserved), in words we cannot rely on:
      // try a fresh id once; a refusal of anything else simply comes back the same.
      if (!freshTried) {
        freshTried = true;
        req = { ...req, SpecifyTaskId: newSpecifyTaskId() };
        continue;
      }
      throw err;
    }
  }
  const reason = last instanceof Error ? last.message : String(last);
  throw new Error(
    `CreateLivePullStreamTask: no answer after ${MAX_CREATE_SENDS} sends and no task with SpecifyTaskId ${req.SpecifyTaskId} found; ` +
      `the next \`pulumi up\` adopts it if it appears. Last error: ${reason}`,
  );
}

/**
 * Whether what a Modify sent is what the task shows now, judged per field with the core's notion
 * of equality (callback events as a set, watermarks in any order, removals as absence). Fields
 * Describe never returns (FileIndex, OffsetTime) cannot be confirmed: they count as not applied.
 */
export function modifyApplied(req: ModifyLivePullStreamTaskRequest, info: PullStreamTaskInfo, wanted: TaskInputs): boolean {
  const shown = fromTaskInfo(info, wanted).inputs;
  for (const apiName of Object.keys(req)) {
    if (apiName === "TaskId" || apiName === "Operator" || apiName === "SpecifyTaskId") continue;
    const name = INPUT_NAME.get(apiName);
    if (!name || WRITE_ONLY_FIELDS.includes(name)) return false;
    if (!sameField(name, shown, wanted)) return false;
  }
  return true;
}

/** Modify sends, counting re-sends after a read-back showed the previous one was not applied. */
export const MAX_MODIFY_SENDS = 5;

/**
 * ModifyLivePullStreamTask once. Sent as non-idempotent: the client retries only failures known
 * not to have been applied (throttling, refused connections); any other unknown outcome comes
 * back here and is resolved by reading the task: sent again only if the change is not there.
 * Returns the task as read back when a read-back happened.
 */
export async function modifyConfirmed(
  client: CssClient,
  req: ModifyLivePullStreamTaskRequest,
  wanted: TaskInputs,
  region?: string,
): Promise<PullStreamTaskInfo | undefined> {
  let last: unknown;
  for (let send = 1; send <= MAX_MODIFY_SENDS; send++) {
    try {
      await client.modifyTask(req, { region, idempotent: false });
      return undefined;
    } catch (err) {
      if (!(err instanceof CssApiError && err.ambiguous)) throw err;
      last = err;
      const info = await client.describeTask(req.TaskId, { region });
      if (!info) throw err;
      if (modifyApplied(req, info, wanted)) return info;
    }
  }
  throw last;
}
