// The ids of the write protocol: the SpecifyTaskId a resource's task is created with, the one
// lookup by it, what a refusal saying it is in use looks like, and whether a task found holding it
// can be this resource's at all.
import { createHash, randomUUID } from "node:crypto";
import type { CssClient } from "../api/client";
import { CssApiError, isTaskNotExist } from "../api/errors";
import type { PullStreamTaskInfo } from "../api/types";
import { REPLACE_FIELDS } from "../task/fields";
import type { TaskInputs } from "../task/types";
import { parseUrl } from "../task/urls";

/**
 * SpecifyTaskId generations a create tries. Generation n+1 is used only when a task of this
 * resource, alive, holds generation n (create.ts supersedes it), or a deleted one keeps it
 * reserved; two suffice (they alternate), the rest is slack for lost answers.
 */
export const MAX_GENERATIONS = 4;

/** A fresh caller-chosen id, for a caller without a resource identity. */
export function newSpecifyTaskId(): string {
  return `pulumi-${randomUUID().replace(/-/g, "")}`;
}

/**
 * The SpecifyTaskId of a resource's task: a hash of the resource's identity (identity.ts), its
 * Create-only fields and a generation. The API refuses a second Create with an id in use, so every
 * task this resource's Creates ever made (an interrupted run's, the one being replaced) is found by
 * these ids, whichever process looks: create.ts supersedes it rather than pushing the stream twice.
 * Generation 0 keeps the form ids had before generations existed. Without an identity the id is
 * random: nothing found across runs, but never another resource's task. A hash, so a toUrl's auth
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

