// ModifyLivePullStreamTask confirmed. A Modify whose answer is lost is resolved by reading the task
// back, and the read is believed only when it provably shows the task after the send (fresh.ts):
// a read lagging the write shows the task as it was, and "as it was" may be exactly what the
// Modify asked for (A→B→A). Sent again only when the change is not there.
import type { CssClient } from "../api/client";
import { CssApiError, TASK_NOT_EXIST } from "../api/errors";
import type { ModifyLivePullStreamTaskRequest, PullStreamTaskInfo } from "../api/types";
import { sameField } from "../task/equality";
import { INPUT_NAME, RESTARTS_PLAYBACK_FIELDS, WRITE_ONLY_FIELDS } from "../task/fields";
import { fromTaskInfo } from "../task/requests";
import type { TaskInputs } from "../task/types";
import { lookUpPatiently } from "./create";
import { knowTheClock, sendAfter, shownSince, writeMark } from "./fresh";

/** Keys of a Modify request that say which task and who, not what changes. */
const NOT_FIELDS = new Set(["TaskId", "Operator", "SpecifyTaskId"]);

/** What a read-back says of a Modify whose answer was lost. */
export type ModifyVerdict = "applied" | "absent" | "unknowable";

/**
 * Whether what a Modify sent is what the task shows now, judged per field with the core's notion
 * of equality (callback events as a set, watermarks in any order, removals as absence). Fields
 * Describe never returns (FileIndex, OffsetTime) cannot be confirmed; a Modify is applied whole
 * or not at all, so the fields it also carried decide, and with none the outcome is unknowable.
 */
export function modifyVerdict(
  req: ModifyLivePullStreamTaskRequest,
  info: PullStreamTaskInfo,
  wanted: TaskInputs,
): ModifyVerdict {
  const shown = fromTaskInfo(info, wanted).inputs;
  let confirmable = 0;
  for (const apiName of Object.keys(req)) {
    if (NOT_FIELDS.has(apiName)) continue;
    const name = INPUT_NAME.get(apiName);
    if (name && WRITE_ONLY_FIELDS.includes(name)) continue;
    if (!name || !sameField(name, shown, wanted)) return "absent";
    confirmable++;
  }
  return confirmable > 0 ? "applied" : "unknowable";
}

/** Modify sends, counting re-sends after a read-back showed the previous one was not applied. */
export const MAX_MODIFY_SENDS = 5;
/**
 * Sends of a Modify carrying a field whose every send restarts VOD playback (FileIndex, OffsetTime):
 * Describe never shows them, so an unknown outcome stays unknown; it is re-sent once, then reported.
 */
export const MAX_RESTARTING_SENDS = 2;

/** The fields (input names) a Modify carries that restart VOD playback when sent. */
function restartingFieldsOf(req: ModifyLivePullStreamTaskRequest): string[] {
  const fields = Object.keys(req).filter((k) => !NOT_FIELDS.has(k));
  return fields.map((k) => INPUT_NAME.get(k)).filter((n): n is string => !!n && RESTARTS_PLAYBACK_FIELDS.includes(n));
}

/** What a confirmed Modify came to: the task as read back when that happened, and the write's mark. */
export interface ModifyOutcome {
  shown?: PullStreamTaskInfo;
  /** fresh.ts writeMark before the first send: a read showing the write is not older. */
  mark: number;
}

/**
 * ModifyLivePullStreamTask once. Sent as non-idempotent: the client retries only failures known
 * not to have been applied (throttling, refused connections); any other unknown outcome comes
 * back here and is resolved by reading the task: sent again only if the change is not there.
 * `basis` is the UpdateTime of the state the Modify was computed from (the old outputs'): the send
 * waits until the API's clock is past its second (fresh.ts). Errors: the Modify's own when the
 * read-back fails too; a TaskNotExist CssApiError when the task is gone.
 */
export async function modifyConfirmed(
  client: CssClient,
  req: ModifyLivePullStreamTaskRequest,
  wanted: TaskInputs,
  region?: string,
  basis?: string,
): Promise<ModifyOutcome> {
  const restarting = restartingFieldsOf(req);
  const maxSends = restarting.length > 0 ? MAX_RESTARTING_SENDS : MAX_MODIFY_SENDS;
  await knowTheClock(client);
  await sendAfter(client, basis);
  const mark = writeMark(client);
  let last: CssApiError | undefined;
  let send = 0;
  while (send < maxSends) {
    send++;
    try {
      await client.modifyTask(req, { region, idempotent: false });
      return { mark };
    } catch (err) {
      if (!(err instanceof CssApiError && err.ambiguous)) throw err;
      last = err;
      let seen: PullStreamTaskInfo | undefined;
      let info: PullStreamTaskInfo | undefined;
      try {
        // Only a read showing the task written since the first send can say what the send did.
        info = await lookUpPatiently(async () => {
          const shown = await client.describeTask(req.TaskId, { region });
          seen = shown ?? seen;
          return shown && shownSince(shown, mark) ? shown : undefined;
        });
      } catch (readErr) {
        const reason = (readErr as Error).message;
        err.message += `; the outcome is unknown: reading task ${req.TaskId} back failed too (${reason})`;
        throw err;
      }
      if (!seen) {
        const message = `task ${req.TaskId} not found when read back after: ${err.message}`;
        throw new CssApiError({ code: TASK_NOT_EXIST, action: "ModifyLivePullStreamTask", message });
      }
      // Seen, but never as written since our send: the Modify did not arrive. Sent again.
      if (info && modifyVerdict(req, info, wanted) === "applied") return { shown: info, mark };
    }
  }
  if (restarting.length === 0) throw last;
  throw new Error(
    `${last!.message}; this Modify carried ${restarting.join(", ")}, which Describe never shows, so whether ` +
      `it was applied cannot be read back. It was sent ${send} time(s) and not again, since each send restarts ` +
      "VOD playback: it may have been applied. Check the stream; the next `pulumi up` sends it once more.",
  );
}
