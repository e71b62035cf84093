// Request building (inputs → API fields) and reading back (Describe → inputs).
// Removal rules in Modify ("only the fields sent change", so leaving a field out keeps it):
// - watermarkList removed   → WatermarkList: [] (the documented way to remove all watermarks)
// - backupSourceType removed → BackupSourceType: "" (documented reset of the backup source;
//   BackupSourceUrl goes with it and is not sent)
// - callbackEvents removed  → every event Modify lists (leaving it out of Create means all events;
//   Modify's list omits TaskAlarm, so it is not sent)
// - callbackUrl / comment removed → "" (an empty value is the API's "none")
// - backupVodUrl removed → "" (the API's empty value, as for BackupToUrl: no pad file)
// - backupToUrl removed → "" ("an empty value cancels the push to that address", Modify)
// - fileIndex / offsetTime removed → nothing to send (they only steer the first loop)
// - vodRefreshType removed  → nothing (diff.ts treats it as "keep what the task has")
// - status / vodLoopTimes / vodLocalMode never go missing: normaliseInputs fills their defaults.
import { API_NAME, FIELDS, MODIFY_CALLBACK_EVENTS, MODIFY_ONLY_FIELDS, WATERMARK_API_NAME } from "./fields";
import { DEFAULT_OPERATOR, DEFAULT_VOD_LOCAL_MODE, DEFAULT_VOD_LOOP_TIMES } from "./normalise";
import { sameField } from "./equality";
import { canonicalTime } from "./time";
import { VOD_ONLY_FIELDS } from "./rules";
import { TaskInputs, TaskOutputs, VOD, Watermark } from "./types";

export type ApiRequest = Record<string, unknown>;

/** The part of DescribeLivePullStreamTasks' PullStreamTaskInfo that maps to inputs. */
export interface TaskInfo {
  TaskId: string;
  SourceType: string;
  SourceUrls?: string[];
  DomainName?: string;
  AppName?: string;
  StreamName?: string;
  PushArgs?: string;
  StartTime?: string;
  EndTime?: string;
  Region?: string;
  VodLoopTimes?: number | string;
  VodRefreshType?: string;
  CreateTime?: string;
  UpdateTime?: string;
  CreateBy?: string;
  UpdateBy?: string;
  CallbackUrl?: string;
  CallbackEvents?: string[];
  Status?: string;
  Comment?: string;
  BackupSourceType?: string;
  BackupSourceUrl?: string;
  WatermarkList?: Record<string, unknown>[];
  VodLocalMode?: number;
  RecordTemplateId?: string;
  BackupToUrl?: string;
  TranscodeTemplateName?: string;
  [more: string]: unknown;
}

/** Fields Create takes in a fixed form, or not at all (Region is a header, Status is not a Create field). */
const CREATE_SPECIAL = new Set([
  "region",
  "status",
  "operator",
  "sourceType",
  "sourceUrls",
  "domainName",
  "appName",
  "streamName",
  "startTime",
  "endTime",
]);

function watermarksToApi(list: Watermark[]): Record<string, unknown>[] {
  return list.map((w) => {
    const out: Record<string, unknown> = {};
    for (const [name, api] of WATERMARK_API_NAME) {
      if ((w as unknown as Record<string, unknown>)[name] !== undefined) {
        out[api] = (w as unknown as Record<string, unknown>)[name];
      }
    }
    return out;
  });
}

function apiValue(name: string, value: unknown, action: "create" | "modify"): unknown {
  if (name === "watermarkList") return watermarksToApi(value as Watermark[]);
  // The API's own inconsistency: a string in Create, an integer in Modify and Describe.
  if (name === "vodLoopTimes") return action === "create" ? String(value) : Number(value);
  if (Array.isArray(value)) return [...value];
  return value;
}

export function toCreateRequest(inputs: TaskInputs, specifyTaskId?: string): ApiRequest {
  if (inputs.startTime === undefined || inputs.endTime === undefined) {
    throw new Error("toCreateRequest: startTime and endTime are required (run applySchedule for a schedule)");
  }
  const viaUrl = inputs.toUrl !== undefined;
  const req: ApiRequest = {
    SourceType: inputs.sourceType,
    SourceUrls: [...inputs.sourceUrls],
    // With ToUrl the API wants all three present and empty.
    DomainName: viaUrl ? "" : (inputs.domainName ?? ""),
    AppName: viaUrl ? "" : (inputs.appName ?? ""),
    StreamName: viaUrl ? "" : (inputs.streamName ?? ""),
    StartTime: inputs.startTime,
    EndTime: inputs.endTime,
    Operator: inputs.operator ?? DEFAULT_OPERATOR,
  };
  for (const f of FIELDS) {
    const value = (inputs as unknown as Record<string, unknown>)[f.name];
    if (!f.apiName || CREATE_SPECIAL.has(f.name) || f.modifyOnly || value === undefined) continue;
    req[f.apiName] = apiValue(f.name, value, "create");
  }
  if (specifyTaskId !== undefined) req.SpecifyTaskId = specifyTaskId;
  return req;
}

/**
 * The task as a Create leaves it: without the Modify-only fields (backupVodUrl). Comparing the
 * program with this makes the Modify after the Create carry them; and state recorded from it
 * after an interrupted create (or an adopted task, where a write-only value cannot be read back)
 * makes the next update send them again rather than assume they were applied.
 */
export function asCreated(inputs: TaskInputs): TaskInputs {
  const out = { ...inputs } as unknown as Record<string, unknown>;
  for (const name of MODIFY_ONLY_FIELDS) delete out[name];
  return out as unknown as TaskInputs;
}

/** What to send for a field the program no longer sets, or undefined for "nothing". */
function removalValue(name: string): unknown {
  switch (name) {
    case "watermarkList":
      return [];
    case "backupSourceType":
    case "backupToUrl":
    case "backupVodUrl":
    case "callbackUrl":
    case "comment":
      return "";
    case "callbackEvents":
      return [...MODIFY_CALLBACK_EVENTS];
    case "status":
      return "enable";
    case "vodLoopTimes":
      return DEFAULT_VOD_LOOP_TIMES;
    case "vodLocalMode":
      return DEFAULT_VOD_LOCAL_MODE;
    default:
      return undefined;
  }
}

/** TaskId, Operator and only the changed modifiable fields; null when there is nothing to send. */
export function toModifyRequest(taskId: string, olds: TaskInputs, news: TaskInputs): ApiRequest | null {
  const req: ApiRequest = {};
  const n = news as unknown as Record<string, unknown>;
  for (const f of FIELDS) {
    if (!f.modifiable || f.noChange || !f.apiName || sameField(f.name, olds, news)) continue;
    const value =
      n[f.name] === undefined || n[f.name] === ""
        ? removalValue(f.name) ?? n[f.name]
        : apiValue(f.name, n[f.name], "modify");
    if (value !== undefined) req[f.apiName] = value;
  }
  // Paired fields travel together, so the API never sees half of a pair.
  if (req.BackupSourceUrl !== undefined && req.BackupSourceType === undefined && news.backupSourceType) {
    req.BackupSourceType = news.backupSourceType;
  }
  if (req.BackupSourceType && req.BackupSourceUrl === undefined && news.backupSourceUrl) {
    req.BackupSourceUrl = news.backupSourceUrl;
  }
  if (req.OffsetTime !== undefined && req.FileIndex === undefined && news.fileIndex !== undefined) {
    req.FileIndex = news.fileIndex;
  }
  if (req.FileIndex !== undefined && req.OffsetTime === undefined && news.offsetTime !== undefined) {
    req.OffsetTime = news.offsetTime;
  }
  if (Object.keys(req).length === 0) return null;
  return { TaskId: taskId, Operator: news.operator ?? olds.operator ?? DEFAULT_OPERATOR, ...req };
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * Describe's PullStreamTaskInfo → inputs (as a user would write them) and outputs. Write-only
 * fields (toUrl, extraCmd, fileIndex, offsetTime, operator, backupVodUrl) and our own inputs
 * (schedule, restartTrigger, adoptTaskId) come from oldInputs, since Describe never returns them.
 */
export function fromTaskInfo(info: TaskInfo, oldInputs?: TaskInputs): { inputs: TaskInputs; outputs: TaskOutputs } {
  const inputs: Record<string, unknown> = {
    // The previous inputs' region, else the one Describe reports: check always fills the region
    // in (the provider's, when the program names none), so inputs read back must name it too, or
    // an imported task would look moved and its rolling schedule start afresh.
    region: oldInputs?.region ?? text(info.Region),
    sourceType: info.SourceType,
    sourceUrls: [...(info.SourceUrls ?? [])],
  };
  if (oldInputs?.toUrl !== undefined) inputs.toUrl = oldInputs.toUrl;
  else if (text(info.DomainName) || text(info.AppName) || text(info.StreamName)) {
    inputs.domainName = text(info.DomainName);
    inputs.appName = text(info.AppName);
    inputs.streamName = text(info.StreamName);
  }
  inputs.pushArgs = text(info.PushArgs);
  inputs.startTime = info.StartTime ? canonicalTime(info.StartTime) ?? info.StartTime : undefined;
  inputs.endTime = info.EndTime ? canonicalTime(info.EndTime) ?? info.EndTime : undefined;
  inputs.status = info.Status === "pause" ? "pause" : "enable";
  inputs.operator = oldInputs?.operator ?? DEFAULT_OPERATOR;
  inputs.callbackEvents = info.CallbackEvents && info.CallbackEvents.length > 0 ? [...info.CallbackEvents] : undefined;
  inputs.callbackUrl = text(info.CallbackUrl);
  if (info.SourceType === VOD) {
    const loops = Number(info.VodLoopTimes);
    inputs.vodLoopTimes =
      info.VodLoopTimes === undefined || info.VodLoopTimes === "" || !Number.isInteger(loops)
        ? DEFAULT_VOD_LOOP_TIMES
        : loops;
    inputs.vodRefreshType = text(info.VodRefreshType);
    inputs.vodLocalMode = info.VodLocalMode === 1 ? 1 : DEFAULT_VOD_LOCAL_MODE;
    inputs.fileIndex = oldInputs?.fileIndex;
    inputs.offsetTime = oldInputs?.offsetTime;
  } else {
    // Live and picture sources accept the VOD-only fields and ignore them, so whatever Describe
    // reports for them is no change of the task: keep what the program said.
    for (const k of VOD_ONLY_FIELDS) inputs[k] = (oldInputs as Record<string, unknown> | undefined)?.[k];
  }
  inputs.comment = text(info.Comment);
  inputs.backupSourceType = text(info.BackupSourceType);
  inputs.backupSourceUrl = inputs.backupSourceType ? text(info.BackupSourceUrl) : undefined;
  inputs.backupToUrl = text(info.BackupToUrl);
  inputs.watermarkList =
    info.WatermarkList && info.WatermarkList.length > 0 ? info.WatermarkList.map(watermarkFromApi) : undefined;
  inputs.extraCmd = oldInputs?.extraCmd;
  // Never returned by Describe: what the program last said (an import has none).
  inputs.backupVodUrl = oldInputs?.backupVodUrl;
  // Ours, not the API's (schedule, restartTrigger, adoptTaskId): what the program last said.
  for (const f of FIELDS) if (!f.apiName) inputs[f.name] = (oldInputs as Record<string, unknown> | undefined)?.[f.name];
  inputs.recordTemplateId = text(info.RecordTemplateId);
  inputs.transcodeTemplateName = text(info.TranscodeTemplateName);
  for (const k of Object.keys(inputs)) if (inputs[k] === undefined) delete inputs[k];
  const result = inputs as unknown as TaskInputs;
  const outputs: Record<string, unknown> = {
    ...result,
    // Outputs always name the region (the inputs may leave it to the provider's default).
    region: result.region ?? text(info.Region),
    taskId: info.TaskId,
    createTime: info.CreateTime ? canonicalTime(info.CreateTime) ?? info.CreateTime : undefined,
    updateTime: info.UpdateTime ? canonicalTime(info.UpdateTime) ?? info.UpdateTime : undefined,
    createBy: text(info.CreateBy),
    updateBy: text(info.UpdateBy),
  };
  for (const k of Object.keys(outputs)) if (outputs[k] === undefined) delete outputs[k];
  return { inputs: result, outputs: outputs as unknown as TaskOutputs };
}

function watermarkFromApi(w: Record<string, unknown>): Watermark {
  const out: Record<string, unknown> = {};
  for (const [name, api] of WATERMARK_API_NAME) if (w[api] !== undefined) out[name] = w[api];
  return out as unknown as Watermark;
}
