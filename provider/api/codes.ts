// Every error code the models list for the six pull-task actions, and what each means for a caller:
// - "refusal": the service judged the request and did not apply it; sending it again cannot help.
// - "retryable": refused before any work (a throttle): the same request may be sent again.
// - "outcome-unknown": a server-side fault that may come after the write was applied: retried only
//   where a repeat is harmless (idempotent), otherwise surfaced as ambiguous so the caller reads back.
// Sources: the per-action lists of tencentcloud-sdk-go v1.3.166 `tencentcloud/live/v20180801/client.go`
// (their meanings in errors.go), the API pages' common codes (css-api.md §1). docs/api-rules.md
// cites them. The emulator keeps its own list (emulator/errors.ts), as an independent reading.
import type { Action } from "./types";

export type CodeClass = "refusal" | "retryable" | "outcome-unknown";

/** Codes each action's documentation lists (client.go v1.3.166, "可能返回的错误码"). */
export const ACTION_CODES: Readonly<Record<Action, readonly string[]>> = {
  CreateLivePullStreamTask: [
    "FailedOperation", "FailedOperation.CallOtherSvrFailed", "InvalidParameter", "InvalidParameter.InvalidBackupToUrl",
    "InvalidParameter.InvalidCallbackUrl", "InvalidParameter.InvalidMixInputParam",
    "InvalidParameter.InvalidOutputParam",
    "InvalidParameter.InvalidSourceUrl", "InvalidParameter.InvalidTaskTime", "InvalidParameter.InvalidToUrl",
    "InvalidParameter.InvalidWatermark", "InvalidParameter.TaskNotExist", "InvalidParameter.TaskNumMoreThanLimit",
    "InvalidParameter.ToUrlNoPermission", "InvalidParameterValue", "ResourceNotFound.ForbidService",
    "ResourceNotFound.FreezeService", "ResourceNotFound.StopService", "ResourceNotFound.UserDisableService",
    "ResourceNotFound.UserNotExist",
  ],
  ModifyLivePullStreamTask: [
    "FailedOperation", "FailedOperation.CallOtherSvrFailed", "InvalidParameter", "InvalidParameter.InvalidBackupToUrl",
    "InvalidParameter.InvalidCallbackUrl", "InvalidParameter.InvalidSourceUrl", "InvalidParameter.InvalidTaskTime",
    "InvalidParameter.InvalidToUrl", "InvalidParameter.InvalidWatermark", "InvalidParameter.TaskNotExist",
    "InvalidParameter.ToUrlNoPermission", "MissingParameter", "ResourceNotFound.ForbidService",
    "ResourceNotFound.FreezeService", "ResourceNotFound.StopService", "ResourceNotFound.UserDisableService",
    "ResourceNotFound.UserNotExist",
  ],
  DeleteLivePullStreamTask: [
    "FailedOperation", "FailedOperation.CallOtherSvrFailed", "InternalError", "InternalError.InvalidInput",
    "InvalidParameter.TaskNotExist", "ResourceNotFound.ForbidService", "ResourceNotFound.FreezeService",
    "ResourceNotFound.StopService", "ResourceNotFound.UserDisableService", "ResourceNotFound.UserNotExist",
  ],
  DescribeLivePullStreamTasks: [
    "FailedOperation", "FailedOperation.CallOtherSvrFailed", "InternalError", "ResourceNotFound.ForbidService",
    "ResourceNotFound.FreezeService", "ResourceNotFound.StopService", "ResourceNotFound.UserDisableService",
    "ResourceNotFound.UserNotExist",
  ],
  RestartLivePullStreamTask: [
    "FailedOperation", "InternalError", "InvalidParameter", "InvalidParameter.TaskNotExist",
    "ResourceNotFound.ForbidService", "ResourceNotFound.FreezeService", "ResourceNotFound.StopService",
    "ResourceNotFound.UserDisableService",
  ],
  DescribeLivePullStreamTaskStatus: [
    "ResourceNotFound.ForbidService", "ResourceNotFound.FreezeService", "ResourceNotFound.StopService",
    "ResourceNotFound.UserDisableService", "ResourceNotFound.UserNotExist",
  ],
};

/** Codes any action may answer (the API's common error codes). */
export const COMMON_CODES: readonly string[] = [
  "AuthFailure.InvalidAuthorization", "AuthFailure.SecretIdNotFound", "AuthFailure.InvalidSecretId",
  "AuthFailure.SignatureExpire", "AuthFailure.SignatureFailure", "AuthFailure.TokenFailure",
  "AuthFailure.UnauthorizedOperation", "FailedOperation", "InternalError", "InvalidAction", "InvalidParameter",
  "InvalidParameterValue", "LimitExceeded", "MissingParameter", "RequestLimitExceeded", "ResourceNotFound",
  "UnknownParameter", "UnsupportedOperation", "UnsupportedProtocol", "RequestSizeLimitExceeded",
];

/**
 * The codes that are not refusals. InternalError is a server fault after which a write may have
 * been applied; FailedOperation.CallOtherSvrFailed ("calling an internal service failed") likewise.
 * InternalError.InvalidInput ("the parameter check failed") is a refusal despite its category.
 */
const NOT_REFUSALS: Readonly<Record<string, CodeClass>> = {
  RequestLimitExceeded: "retryable",
  InternalError: "outcome-unknown",
  "FailedOperation.CallOtherSvrFailed": "outcome-unknown",
};
const REFUSALS_DESPITE_CATEGORY = new Set(["InternalError.InvalidInput"]);

/** The class of a service's code; codes no model lists follow their category (InternalError.x: unknown). */
export function classifyCode(code: string): CodeClass {
  if (REFUSALS_DESPITE_CATEGORY.has(code)) return "refusal";
  const listed = NOT_REFUSALS[code];
  if (listed) return listed;
  const category = code.split(".")[0];
  if (category === "RequestLimitExceeded") return "retryable";
  if (category === "InternalError") return "outcome-unknown";
  return "refusal";
}

/** Every code the models list, each once: for the table in docs/api-rules.md and its test. */
export function listedCodes(): string[] {
  return [...new Set([...Object.values(ACTION_CODES).flat(), ...COMMON_CODES])].sort();
}
