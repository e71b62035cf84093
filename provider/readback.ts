// Writes whose answer may be lost (timeout, reset, 5xx after sending) are resolved by reading the
// task back, never by blindly sending them again: a second Create would push a second copy of
// the stream, and the engine would know only one of them.
import { randomUUID } from "node:crypto";
import type { CssClient } from "./api/client";
import { CssApiError } from "./api/errors";
import type { CreateLivePullStreamTaskRequest, ModifyLivePullStreamTaskRequest, PullStreamTaskInfo } from "./api/types";
import { deepEqual } from "./task/equality";

/** Create attempts, counting re-sends after a read-back showed the previous one was not applied. */
export const MAX_CREATE_SENDS = 3;

/** The service said the task does not exist (Delete/Describe/Modify of an unknown id). */
export function isTaskGone(err: unknown): boolean {
  return err instanceof CssApiError && (err.code.endsWith(".TaskNotExist") || err.code === "ResourceNotFound.TaskNotExist");
}

/** Caller-chosen id the API uses to refuse a repeated Create; also how we find a task whose Create reply was lost. */
export function newSpecifyTaskId(): string {
  return `pulumi-${randomUUID()}`;
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

/**
 * CreateLivePullStreamTask exactly once. The request carries a SpecifyTaskId; after an ambiguous
 * failure the task is looked up by it, and the request is sent again only when it is not there.
 * A re-send refused because the id is taken (the first one landed after all) is resolved the
 * same way. Returns the TaskId.
 */
export async function createExactlyOnce(client: CssClient, req: CreateLivePullStreamTaskRequest, region?: string): Promise<string> {
  const specifyTaskId = req.SpecifyTaskId;
  if (!specifyTaskId) throw new Error("createExactlyOnce: the request must carry a SpecifyTaskId");
  let last: unknown;
  for (let send = 1; send <= MAX_CREATE_SENDS; send++) {
    try {
      const r = await client.createTask(req, { region });
      return r.TaskId;
    } catch (err) {
      last = err;
      const ambiguous = err instanceof CssApiError && err.ambiguous;
      // A definite refusal of the first send is the user's answer (bad field, quota...).
      if (!(err instanceof CssApiError) || (!ambiguous && send === 1)) throw err;
      const found = await findBySpecifyTaskId(client, specifyTaskId, region);
      if (found?.TaskId) return found.TaskId;
      if (!ambiguous) throw err;
    }
  }
  const reason = last instanceof Error ? last.message : String(last);
  throw new Error(
    `CreateLivePullStreamTask: no answer after ${MAX_CREATE_SENDS} sends and no task with SpecifyTaskId ${specifyTaskId} found; ` +
      `if one appears later, import it (pulumi import) rather than creating another. Last error: ${reason}`,
  );
}

/** Whether what a Modify sent is what Describe shows now. Fields Describe never returns cannot be confirmed. */
export function modifyApplied(req: ModifyLivePullStreamTaskRequest, info: PullStreamTaskInfo): boolean {
  const shown = info as unknown as Record<string, unknown>;
  for (const [key, sent] of Object.entries(req)) {
    if (key === "TaskId" || key === "Operator" || key === "SpecifyTaskId") continue;
    if (!(key in shown)) return false;
    const now = shown[key];
    // An emptied backup source or watermark list may come back as "" / [] / absent alike.
    if ((sent === "" || (Array.isArray(sent) && sent.length === 0)) && (now === undefined || now === null || now === "" || (Array.isArray(now) && now.length === 0))) continue;
    if (!deepEqual(sent, now)) return false;
  }
  return true;
}

/**
 * ModifyLivePullStreamTask once. The client already retries it (setting the same fields again is
 * harmless); if the outcome is still unknown, read the task: send again only if the change is not
 * there. Returns the task as read back when a read-back happened.
 */
export async function modifyConfirmed(client: CssClient, req: ModifyLivePullStreamTaskRequest, region?: string): Promise<PullStreamTaskInfo | undefined> {
  try {
    await client.modifyTask(req, { region });
    return undefined;
  } catch (err) {
    if (!(err instanceof CssApiError && err.ambiguous)) throw err;
    const info = await client.describeTask(req.TaskId, { region });
    if (!info) throw err;
    if (modifyApplied(req, info)) return info;
    await client.modifyTask(req, { region });
    return undefined;
  }
}
