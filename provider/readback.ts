// Writes whose answer may be lost (timeout, reset, 5xx after sending) are resolved by reading the
// task back, never by blindly sending them again: a second Create would push a second copy of
// the stream, and the engine would know only one of them.
import { createHash, randomUUID } from "node:crypto";
import type { CssClient } from "./api/client";
import { CssApiError, isTaskNotExist, TASK_NOT_EXIST } from "./api/errors";
import { realSleep } from "./api/retry";
import type { CreateLivePullStreamTaskRequest, ModifyLivePullStreamTaskRequest, PullStreamTaskInfo } from "./api/types";
import { sameField } from "./task/equality";
import { INPUT_NAME, REPLACE_FIELDS, RESTARTS_PLAYBACK_FIELDS, WRITE_ONLY_FIELDS } from "./task/fields";
import { fromTaskInfo } from "./task/requests";
import type { TaskInputs } from "./task/types";
import { parseUrl } from "./task/urls";

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

/**
 * SpecifyTaskId generations a create tries. Generation n+1 is used only when generation n holds
 * the task this resource is replacing; two suffice (they alternate), the rest is slack.
 */
export const MAX_GENERATIONS = 4;

/** A fresh caller-chosen id, for a caller without a resource identity. */
export function newSpecifyTaskId(): string {
  return `pulumi-${randomUUID().replace(/-/g, "")}`;
}

/**
 * The SpecifyTaskId of a resource's task: a hash of the resource's identity (identity.ts), its
 * Create-only fields and a generation. The API refuses a second Create with an id in use, so a
 * Create repeated after an interrupted run is refused and the task found by this id is adopted
 * instead of duplicated. The generation tells a replacement apart from the task it replaces when
 * both have the same Create-only fields and Diff saw the old one (replaceOnChanges; a forced
 * `--replace` never calls Diff, and adopts: docs/engine.md): generation 0 keeps the form ids had
 * before generations existed. Without an identity the id is random: no adoption
 * across runs, but never the adoption of another resource's task. A hash, so a toUrl's auth
 * values are not revealed by it.
 */
export function specifyTaskIdFor(identity: string | undefined, inputs: TaskInputs, generation = 0): string {
  if (!identity) return newSpecifyTaskId();
  const createOnly = REPLACE_FIELDS.map((f) => [f, (inputs as unknown as Record<string, unknown>)[f] ?? null]);
  const key = generation === 0 ? [identity, createOnly] : [identity, createOnly, generation];
  return `pulumi-${createHash("sha256").update(JSON.stringify(key)).digest("hex").slice(0, 32)}`;
}

/** The package's one lookup by SpecifyTaskId: the task created with it, or undefined. */
export async function findBySpecifyTaskId(
  client: CssClient,
  specifyTaskId: string,
  region?: string,
): Promise<PullStreamTaskInfo | undefined> {
  try {
    const r = await client.describeTasks({ SpecifyTaskId: specifyTaskId }, { region });
    // Describe does not echo SpecifyTaskId, so the service's selection is trusted.
    return r.TaskInfos?.[0];
  } catch (err) {
    if (isTaskNotExist(err)) return undefined;
    throw err;
  }
}

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

/** Why a task found by this resource's SpecifyTaskId cannot be its task, or undefined if it can. */
export function notThisTask(info: PullStreamTaskInfo, inputs: TaskInputs): string | undefined {
  if (info.SourceType !== inputs.sourceType) return `its source type is ${info.SourceType}, not ${inputs.sourceType}`;
  const shown = [info.DomainName ?? "", info.AppName ?? "", info.StreamName ?? ""];
  if (inputs.toUrl !== undefined) {
    // Describe never returns ToUrl; a task pushing to a domain/app/stream must push to the URL's.
    const path = parseUrl(inputs.toUrl)?.path.replace(/\/+$/, "") ?? "";
    if (shown[2] !== "" && !path.endsWith(`/${shown[1]}/${shown[2]}`)) {
      return `it pushes to ${shown.join("/")}, not to the program's toUrl`;
    }
    return undefined;
  }
  const wanted = [inputs.domainName ?? "", inputs.appName ?? "", inputs.streamName ?? ""];
  if (shown[0].toLowerCase() !== wanted[0].toLowerCase() || shown[1] !== wanted[1] || shown[2] !== wanted[2]) {
    return `it pushes to ${shown.join("/")}, not ${wanted.join("/")}`;
  }
  return undefined;
}

export interface CreateOutcome {
  taskId: string;
  /** Set when the task already existed (a lost reply, or an earlier interrupted run): as read back. */
  existing?: PullStreamTaskInfo;
}

export interface CreatePlan {
  /** The SpecifyTaskId of each generation (specifyTaskIdFor). */
  specifyTaskId(generation: number): string;
  /** What the program wants: a task found by the id is adopted only if it matches (notThisTask). */
  inputs: TaskInputs;
  /** The task the state holds for this resource, being replaced: never adopted. */
  replacing?: string;
  /** Tasks known deleted: a lookup showing one is a read lagging the delete, so "not there yet". */
  isDeleted?: (taskId: string) => boolean;
}

// What a generic refusal says when the id is taken, in English (X-TC-Language) or Chinese.
const IN_USE_WORDS = new RegExp(
  [
    String.raw`\balready (used|exists?|in use|taken)\b`,
    String.raw`\bin use\b`,
    String.raw`\bduplicat`,
    String.raw`\b(not available|unavailable|occupied)\b`,
    "已存在|已被使用|被占用|重复",
  ].join("|"),
  "i",
);

/**
 * Whether a refused Create says its SpecifyTaskId is in use. CreateLivePullStreamTask has no error
 * code for it (the SDKs' list: FailedOperation, InvalidParameter and its named sub-codes,
 * InvalidParameterValue, ResourceNotFound.*), so a generic code is read with its message (the
 * client asks for English: X-TC-Language en-US): "already used/exists", "in use", "duplicate",
 * "not available", "occupied".
 * Never "exist" alone, which "does not exist" matches; never a named sub-code (TaskNotExist,
 * InvalidSourceUrl, ...), which says what it is.
 */
export function isIdInUse(err: CssApiError): boolean {
  if (err.code === "ResourceInUse" || err.code.startsWith("ResourceInUse.")) return true;
  if (!["InvalidParameter", "InvalidParameterValue", "FailedOperation"].includes(err.code)) return false;
  return IN_USE_WORDS.test(err.detail);
}

/** `unanswered`: a send with this id went unanswered, so the task holding it may be our own. */
type Attempt = { created: string } | { found: PullStreamTaskInfo } | { unseen: CssApiError; unanswered: boolean };

/**
 * Creates with one SpecifyTaskId: the task created, the task found holding the id, or a refusal
 * saying the id is in use while no task with it can be found.
 */
async function createWithId(
  client: CssClient,
  req: CreateLivePullStreamTaskRequest,
  plan: CreatePlan,
  region?: string,
): Promise<Attempt> {
  const id = req.SpecifyTaskId!;
  let unanswered: CssApiError | undefined;
  const find = async () => {
    const info = await findBySpecifyTaskId(client, id, region);
    return info && plan.isDeleted?.(info.TaskId) ? undefined : info;
  };
  const lookUp = async (why: CssApiError): Promise<PullStreamTaskInfo | undefined> => {
    try {
      return await lookUpPatiently(find);
    } catch (readErr) {
      const reason = (readErr as Error).message;
      if (!unanswered) throw new Error(`${why.message} (looking it up by SpecifyTaskId ${id} failed too: ${reason})`);
      throw new Error(
        `CreateLivePullStreamTask: the outcome is unknown (${unanswered.message}) and looking the task up by ` +
          `SpecifyTaskId ${id} failed too (${reason}); the next \`pulumi up\` adopts the task if it was created.`,
      );
    }
  };
  for (let send = 1; send <= MAX_CREATE_SENDS; send++) {
    try {
      return { created: (await client.createTask(req, { region })).TaskId };
    } catch (err) {
      if (!(err instanceof CssApiError)) throw err;
      // Unanswered: adopt the task if it shows already, else the same id again, so that the API
      // itself refuses a duplicate.
      if (err.ambiguous) {
        unanswered = err;
        const found = await find().catch(() => undefined);
        if (found) return { found };
        continue;
      }
      // Refused. After an unanswered send, or in words that may name the id, the task may exist
      // and simply not show yet: look until it does. Any other refusal is the user's answer.
      if (!unanswered && !isIdInUse(err)) {
        const found = await find().catch(() => undefined);
        if (found) return { found };
        throw err;
      }
      const found = await lookUp(err);
      return found ? { found } : { unseen: err, unanswered: unanswered !== undefined };
    }
  }
  const found = await lookUp(unanswered!);
  if (found) return { found };
  throw new Error(
    `CreateLivePullStreamTask: no answer after ${MAX_CREATE_SENDS} sends and no task with SpecifyTaskId ${id} found; ` +
      `the next \`pulumi up\` adopts it if it appears. Last error: ${unanswered!.message}`,
  );
}

/**
 * CreateLivePullStreamTask exactly once. The identity-derived SpecifyTaskId is kept while a send's
 * outcome is unknown or the API says the id is in use; a task found holding it is adopted after
 * checking it pushes the program's stream from the program's source type. Only the task being
 * replaced moves the create on to the next generation's id, deterministic too, so a re-run after
 * an interrupted replacement finds and adopts what that run created.
 */
export async function createExactlyOnce(
  client: CssClient,
  request: CreateLivePullStreamTaskRequest,
  plan: CreatePlan,
  region?: string,
): Promise<CreateOutcome> {
  for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
    const specifyTaskId = plan.specifyTaskId(generation);
    const attempt = await createWithId(client, { ...request, SpecifyTaskId: specifyTaskId }, plan, region);
    if ("created" in attempt) return { taskId: attempt.created };
    if ("found" in attempt) {
      const info = attempt.found;
      if (info.TaskId === plan.replacing) continue;
      const why = notThisTask(info, plan.inputs);
      if (why) {
        throw new Error(
          `CreateLivePullStreamTask: task ${info.TaskId} holds this resource's SpecifyTaskId ${specifyTaskId} ` +
            `but is not this resource's task (${why}); it was not adopted. Delete it or rename the resource.`,
        );
      }
      return { taskId: info.TaskId, existing: info };
    }
    // In use, and after seconds of looking still not shown. While replacing, that is the id of
    // the task being replaced, deleted first and still reserved: the next generation is free.
    // Any other refusal (throttled after an unanswered send, the retry budget spent) says nothing
    // of who holds the id: the unanswered send may have created this resource's task, and the
    // next generation would create a second one.
    // After our own unanswered send with this id, the holder is most likely the task that send
    // created, merely not shown yet: another generation would push a second copy of the stream.
    if (plan.replacing === undefined || attempt.unanswered || !isIdInUse(attempt.unseen)) {
      // The id in use yet never shown: a task still settling (the next run adopts it), or a deleted
      // task whose id the API keeps reserved, which only another id gets past.
      const reserved = isIdInUse(attempt.unseen)
        ? " If it keeps saying so, a deleted task may still hold the id: renaming the resource gives it another."
        : "";
      throw new Error(
        `${attempt.unseen.message}; no task with SpecifyTaskId ${specifyTaskId} can be found, so nothing was ` +
          `adopted or created under another id; the next \`pulumi up\` tries again.${reserved}`,
      );
    }
  }
  throw new Error(
    `CreateLivePullStreamTask: SpecifyTaskId generations 0..${MAX_GENERATIONS - 1} of this resource are all in use.`,
  );
}

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

/**
 * ModifyLivePullStreamTask once. Sent as non-idempotent: the client retries only failures known
 * not to have been applied (throttling, refused connections); any other unknown outcome comes
 * back here and is resolved by reading the task: sent again only if the change is not there.
 * Returns the task as read back when a read-back happened. Errors: the Modify's own when the
 * read-back fails too; a TaskNotExist CssApiError when the task is gone.
 */
export async function modifyConfirmed(
  client: CssClient,
  req: ModifyLivePullStreamTaskRequest,
  wanted: TaskInputs,
  region?: string,
): Promise<PullStreamTaskInfo | undefined> {
  const restarting = restartingFieldsOf(req);
  const maxSends = restarting.length > 0 ? MAX_RESTARTING_SENDS : MAX_MODIFY_SENDS;
  let last: CssApiError | undefined;
  let send = 0;
  while (send < maxSends) {
    send++;
    try {
      await client.modifyTask(req, { region, idempotent: false });
      return undefined;
    } catch (err) {
      if (!(err instanceof CssApiError && err.ambiguous)) throw err;
      last = err;
      let info: PullStreamTaskInfo | undefined;
      try {
        info = await lookUpPatiently(() => client.describeTask(req.TaskId, { region }));
      } catch (readErr) {
        const reason = (readErr as Error).message;
        err.message += `; the outcome is unknown: reading task ${req.TaskId} back failed too (${reason})`;
        throw err;
      }
      if (!info) {
        const message = `task ${req.TaskId} not found when read back after: ${err.message}`;
        throw new CssApiError({ code: TASK_NOT_EXIST, action: "ModifyLivePullStreamTask", message });
      }
      const verdict = modifyVerdict(req, info, wanted);
      if (verdict === "applied") return info;
    }
  }
  if (restarting.length === 0) throw last;
  throw new Error(
    `${last!.message}; this Modify carried ${restarting.join(", ")}, which Describe never shows, so whether ` +
      `it was applied cannot be read back. It was sent ${send} time(s) and not again, since each send restarts ` +
      "VOD playback: it may have been applied. Check the stream; the next `pulumi up` sends it once more.",
  );
}
