// Request parameter shapes of the six actions, as documented for live 2018-08-01. Checking happens in
// the order Tencent reports problems: unknown field, then missing field, then wrong type.
import { ErrorCode, fail } from "./errors";

export type ParamType = "string" | "string[]" | "int" | "watermark[]";
interface ParamSpec {
  type: ParamType;
  required?: boolean;
}
type ActionSpec = Record<string, ParamSpec>;

export const ACTIONS = [
  "CreateLivePullStreamTask",
  "ModifyLivePullStreamTask",
  "DeleteLivePullStreamTask",
  "DescribeLivePullStreamTasks",
  "RestartLivePullStreamTask",
  "DescribeLivePullStreamTaskStatus",
] as const;
export type Action = (typeof ACTIONS)[number];

export function isAction(name: string): name is Action {
  return (ACTIONS as readonly string[]).includes(name);
}

const s: ParamSpec = { type: "string" };
const req: ParamSpec = { type: "string", required: true };
const list: ParamSpec = { type: "string[]" };
const int: ParamSpec = { type: "int" };

const SPECS: Record<Action, ActionSpec> = {
  CreateLivePullStreamTask: {
    SourceType: req,
    SourceUrls: { type: "string[]", required: true },
    DomainName: req,
    AppName: req,
    StreamName: req,
    StartTime: req,
    EndTime: req,
    Operator: req,
    PushArgs: s,
    CallbackEvents: list,
    // Create documents VodLoopTimes as a string; Modify and Describe use an integer.
    VodLoopTimes: s,
    VodRefreshType: s,
    CallbackUrl: s,
    ExtraCmd: s,
    SpecifyTaskId: s,
    Comment: s,
    ToUrl: s,
    BackupSourceType: s,
    BackupSourceUrl: s,
    WatermarkList: { type: "watermark[]" },
    VodLocalMode: int,
    RecordTemplateId: s,
    BackupToUrl: s,
    TranscodeTemplateName: s,
    FileIndex: int,
    OffsetTime: int,
  },
  ModifyLivePullStreamTask: {
    // TaskId is required unless SpecifyTaskId selects the task (checked in models).
    TaskId: s,
    Operator: req,
    SpecifyTaskId: s,
    SourceUrls: list,
    StartTime: s,
    EndTime: s,
    VodLoopTimes: int,
    VodRefreshType: s,
    Status: s,
    CallbackEvents: list,
    CallbackUrl: s,
    FileIndex: int,
    OffsetTime: int,
    Comment: s,
    BackupSourceType: s,
    BackupSourceUrl: s,
    BackupToUrl: s,
    // Newest model: Modify only (Create refuses it as an unknown parameter).
    BackupVodUrl: s,
    WatermarkList: { type: "watermark[]" },
    VodLocalMode: int,
    // Accepted only to be refused with a clear message: the seed forbids changing them.
    SourceType: s,
    DomainName: s,
    AppName: s,
    StreamName: s,
    ToUrl: s,
    PushArgs: s,
  },
  DeleteLivePullStreamTask: { TaskId: s, Operator: req, SpecifyTaskId: s },
  DescribeLivePullStreamTasks: { TaskId: s, PageNum: int, PageSize: int, SpecifyTaskId: s },
  RestartLivePullStreamTask: { TaskId: req, Operator: req },
  DescribeLivePullStreamTaskStatus: { TaskId: req },
};

const WATERMARK_SPEC: ActionSpec = {
  PictureUrl: req,
  XPosition: { type: "int", required: true },
  YPosition: { type: "int", required: true },
  Width: { type: "int", required: true },
  Height: { type: "int", required: true },
  Location: { type: "int", required: true },
};

export type Params = Record<string, unknown>;

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number" && !Number.isInteger(v)) return "non-integer number";
  return typeof v;
}

function checkObject(obj: Record<string, unknown>, spec: ActionSpec, prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!Object.prototype.hasOwnProperty.call(spec, key)) {
      fail(ErrorCode.UnknownParameter, `${prefix}${key} is not a parameter of this action`);
    }
  }
  for (const [key, p] of Object.entries(spec)) {
    if (p.required && obj[key] === undefined) fail(ErrorCode.MissingParameter, `${prefix}${key} is required`);
  }
  for (const [key, value] of Object.entries(obj)) {
    checkType(value, spec[key].type, `${prefix}${key}`);
  }
}

function checkType(value: unknown, type: ParamType, name: string): void {
  const wrong = (expected: string): never =>
    fail(ErrorCode.InvalidParameterValue, `${name} must be ${expected}, got ${typeName(value)}`);
  switch (type) {
    case "string":
      if (typeof value !== "string") wrong("a string");
      return;
    case "int":
      if (typeof value !== "number" || !Number.isSafeInteger(value)) wrong("an integer");
      return;
    case "string[]":
      if (!Array.isArray(value)) wrong("an array of strings");
      (value as unknown[]).forEach((v, i) => {
        if (typeof v !== "string") {
          fail(ErrorCode.InvalidParameterValue, `${name}.${i} must be a string, got ${typeName(v)}`);
        }
      });
      return;
    case "watermark[]":
      if (!Array.isArray(value)) wrong("an array of PullPushWatermarkInfo");
      (value as unknown[]).forEach((v, i) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) {
          fail(
            ErrorCode.InvalidParameterValue,
            `${name}.${i} must be a PullPushWatermarkInfo object, got ${typeName(v)}`,
          );
        }
        checkObject(v as Record<string, unknown>, WATERMARK_SPEC, `${name}.${i}.`);
      });
      return;
  }
}

/** Throws the documented protocol error for the first problem; returns the body as Params. */
export function checkParams(action: Action, body: unknown): Params {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    fail(ErrorCode.InvalidParameter, `request body must be a JSON object, got ${typeName(body)}`);
  }
  checkObject(body as Record<string, unknown>, SPECS[action], "");
  return body as Params;
}
