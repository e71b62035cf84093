// The six pull-task actions over the TaskStore, following the documented rules.
import { ErrorCode, fail } from "./errors";
import type { Action, Params } from "./params";
import * as rules from "./rules";
import type { StoredTask, TaskStore } from "./store";
import { taskInfo, taskStatusInfo } from "./view";

export interface ActionContext {
  nowMs: number;
  region: string;
  taskLimit: number;
  /** End − Start must be less than this many days (default 30). */
  maxTaskSpanDays?: number;
}

export interface ActionResult {
  response: Record<string, unknown>;
  /** True when the store changed (the state file must be written). */
  changed: boolean;
}

const DESTINATION_FIELDS = ["DomainName", "AppName", "StreamName", "ToUrl", "PushArgs"];
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 20;

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + "Z";
}

const str = (p: Params, k: string): string | undefined => p[k] as string | undefined;
const int = (p: Params, k: string): number | undefined => p[k] as number | undefined;

function checkBackup(primaryType: string, backupType: string, backupUrl: string): void {
  if (backupType === "") {
    if (backupUrl !== "") fail(ErrorCode.InvalidParameter, "BackupSourceUrl needs a BackupSourceType");
    return;
  }
  rules.oneOf("BackupSourceType", backupType, rules.BACKUP_SOURCE_TYPES);
  // "Only takes effect when the primary source is live": stored for any primary, used by none
  // but a live one (the emulator pulls nothing either way).
  void primaryType;
  if (backupUrl === "") fail(ErrorCode.InvalidParameter, "BackupSourceUrl is required with BackupSourceType");
  rules.checkSourceUrl("BackupSourceUrl", backupUrl);
}

/** Rules shared by Create and Modify for fields that were sent. */
function checkCommonFields(p: Params, action: "Create" | "Modify"): void {
  if (p.VodRefreshType !== undefined) rules.oneOf("VodRefreshType", str(p, "VodRefreshType")!, rules.VOD_REFRESH_TYPES);
  if (p.CallbackEvents !== undefined) rules.checkCallbackEvents(p.CallbackEvents as string[]);
  if (p.CallbackUrl !== undefined) rules.checkCallbackUrl(str(p, "CallbackUrl")!);
  if (p.Comment !== undefined) rules.checkComment(str(p, "Comment")!);
  if (p.WatermarkList !== undefined) rules.checkWatermarks(p.WatermarkList as rules.WatermarkInfo[], action);
  if (p.VodLocalMode !== undefined && ![0, 1].includes(int(p, "VodLocalMode")!)) {
    fail(ErrorCode.InvalidParameterValue, `VodLocalMode must be 0 or 1, got ${int(p, "VodLocalMode")}`);
  }
  if (p.BackupToUrl !== undefined && p.BackupToUrl !== "") {
    rules.checkPushUrl("BackupToUrl", str(p, "BackupToUrl")!, ErrorCode.InvalidBackupToUrl);
  }
  if (p.OffsetTime !== undefined) rules.checkOffsetTime(int(p, "OffsetTime")!);
}

function create(store: TaskStore, p: Params, ctx: ActionContext): ActionResult {
  const sourceType = str(p, "SourceType")!;
  rules.oneOf("SourceType", sourceType, rules.SOURCE_TYPES);
  const urls = p.SourceUrls as string[];
  rules.checkSourceUrls(urls, sourceType);
  const [domain, app, stream, toUrl] = [
    str(p, "DomainName")!,
    str(p, "AppName")!,
    str(p, "StreamName")!,
    str(p, "ToUrl") ?? "",
  ];
  if (toUrl !== "") {
    if (domain !== "" || app !== "" || stream !== "") {
      fail(ErrorCode.InvalidToUrl, "with ToUrl, DomainName, AppName and StreamName must all be empty strings");
    }
    rules.checkPushUrl("ToUrl", toUrl, ErrorCode.InvalidToUrl);
  } else {
    for (const [k, v] of [["DomainName", domain], ["AppName", app], ["StreamName", stream]]) {
      if (v === "") fail(ErrorCode.InvalidParameter, `${k} must not be empty when ToUrl is not given`);
    }
  }
  rules.checkTaskTimes(str(p, "StartTime")!, str(p, "EndTime")!, ctx.nowMs, ["EndTime"], ctx.maxTaskSpanDays);
  const loops = p.VodLoopTimes === undefined ? -1 : rules.parseVodLoopTimesString(str(p, "VodLoopTimes")!);
  checkCommonFields(p, "Create");
  if (p.FileIndex !== undefined) rules.checkFileIndex(int(p, "FileIndex")!, urls.length);
  checkBackup(sourceType, str(p, "BackupSourceType") ?? "", str(p, "BackupSourceUrl") ?? "");
  const specify = str(p, "SpecifyTaskId") ?? "";
  if (specify !== "") {
    const existing = store.bySpecifyTaskId(specify);
    if (existing) {
      fail(
        ErrorCode.InvalidParameter,
        `SpecifyTaskId ${specify} is already used by task ${existing.TaskId}: a repeated create must not duplicate it`,
      );
    }
  }
  if (store.size >= ctx.taskLimit) {
    fail(
      ErrorCode.TaskNumMoreThanLimit,
      `task quota reached: the account already has ${store.size} pull tasks (LimitTaskNum ${ctx.taskLimit})`,
    );
  }
  const now = isoSeconds(ctx.nowMs);
  const operator = str(p, "Operator")!;
  const task: StoredTask = {
    TaskId: store.newId(),
    SpecifyTaskId: specify,
    Region: ctx.region,
    SourceType: sourceType,
    SourceUrls: [...urls],
    DomainName: domain,
    AppName: app,
    StreamName: stream,
    ToUrl: toUrl,
    PushArgs: str(p, "PushArgs") ?? "",
    StartTime: str(p, "StartTime")!,
    EndTime: str(p, "EndTime")!,
    Status: "enable",
    VodLoopTimes: loops,
    VodRefreshType: str(p, "VodRefreshType") ?? "",
    CallbackEvents: [...((p.CallbackEvents as string[] | undefined) ?? [])],
    CallbackUrl: str(p, "CallbackUrl") ?? "",
    ExtraCmd: str(p, "ExtraCmd") ?? "",
    Comment: str(p, "Comment") ?? "",
    FileIndex: int(p, "FileIndex"),
    OffsetTime: int(p, "OffsetTime"),
    BackupSourceType: str(p, "BackupSourceType") ?? "",
    BackupSourceUrl: str(p, "BackupSourceUrl") ?? "",
    BackupToUrl: str(p, "BackupToUrl") ?? "",
    BackupVodUrl: "",
    WatermarkList: structuredClone((p.WatermarkList as rules.WatermarkInfo[] | undefined) ?? []),
    VodLocalMode: int(p, "VodLocalMode") ?? 0,
    RecordTemplateId: str(p, "RecordTemplateId") ?? "",
    TranscodeTemplateName: str(p, "TranscodeTemplateName") ?? "",
    Operator: operator,
    CreateBy: operator,
    UpdateBy: operator,
    CreateTime: now,
    UpdateTime: now,
    UpdateSeq: store.nextSeq(),
    RestartCount: 0,
  };
  store.put(task);
  return { response: { TaskId: task.TaskId }, changed: true };
}

/** Selects the task by TaskId and/or SpecifyTaskId; both given must name the same task. */
function selectTask(store: TaskStore, p: Params): StoredTask {
  const taskId = str(p, "TaskId") ?? "";
  const specify = str(p, "SpecifyTaskId") ?? "";
  if (taskId === "" && specify === "") fail(ErrorCode.MissingParameter, "TaskId is required");
  const task = taskId !== "" ? store.get(taskId) : store.bySpecifyTaskId(specify);
  if (!task) fail(ErrorCode.TaskNotExist, `task ${taskId || `with SpecifyTaskId ${specify}`} does not exist`);
  if (taskId !== "" && specify !== "" && task.SpecifyTaskId !== specify) {
    fail(ErrorCode.TaskNotExist, `task ${taskId} does not exist with SpecifyTaskId ${specify}`);
  }
  return task;
}

function modify(store: TaskStore, p: Params, ctx: ActionContext): ActionResult {
  for (const k of ["SourceType", ...DESTINATION_FIELDS]) {
    if (p[k] !== undefined) {
      fail(
        ErrorCode.InvalidParameter,
        `ModifyLivePullStreamTask cannot change ${k}: the source type and destination are fixed; create a new task`,
      );
    }
  }
  const task = selectTask(store, p);
  const urls = (p.SourceUrls as string[] | undefined) ?? task.SourceUrls;
  if (p.SourceUrls !== undefined) rules.checkSourceUrls(urls, task.SourceType);
  if (p.StartTime !== undefined || p.EndTime !== undefined) {
    const sent = (["StartTime", "EndTime"] as const).filter((k) => p[k] !== undefined);
    const [start, end] = [str(p, "StartTime") ?? task.StartTime, str(p, "EndTime") ?? task.EndTime];
    rules.checkTaskTimes(start, end, ctx.nowMs, sent, ctx.maxTaskSpanDays);
  }
  if (p.VodLoopTimes !== undefined) rules.checkVodLoopTimes("VodLoopTimes", int(p, "VodLoopTimes")!);
  if (p.Status !== undefined) rules.oneOf("Status", str(p, "Status")!, rules.STATUSES);
  checkCommonFields(p, "Modify");
  if (p.FileIndex !== undefined) rules.checkFileIndex(int(p, "FileIndex")!, urls.length);
  const backupType = str(p, "BackupSourceType") ?? task.BackupSourceType;
  // An empty BackupSourceType removes the backup source, whatever URL was stored.
  const backupUrl = backupType === "" ? "" : (str(p, "BackupSourceUrl") ?? task.BackupSourceUrl);
  if (p.BackupSourceType !== undefined || p.BackupSourceUrl !== undefined) {
    checkBackup(task.SourceType, backupType, backupUrl);
  }
  // The pad file: a VOD file URL; "" removes it (as for BackupToUrl).
  if (p.BackupVodUrl !== undefined && p.BackupVodUrl !== "") {
    rules.checkSourceUrl("BackupVodUrl", str(p, "BackupVodUrl")!);
  }

  const next: StoredTask = structuredClone(task);
  const copy = ["SourceUrls", "StartTime", "EndTime", "VodLoopTimes", "VodRefreshType", "Status", "CallbackEvents",
    "CallbackUrl", "FileIndex", "OffsetTime", "Comment", "BackupToUrl", "BackupVodUrl", "WatermarkList",
    "VodLocalMode"] as const;
  const target = next as unknown as Record<string, unknown>;
  for (const k of copy) if (p[k] !== undefined) target[k] = structuredClone(p[k]);
  next.BackupSourceType = backupType;
  next.BackupSourceUrl = backupUrl;
  const operator = str(p, "Operator")!;
  next.Operator = operator;
  next.UpdateBy = operator;
  next.UpdateTime = isoSeconds(ctx.nowMs);
  next.UpdateSeq = store.nextSeq();
  store.put(next);
  return { response: {}, changed: true };
}

function describe(store: TaskStore, p: Params, ctx: ActionContext): ActionResult {
  const pageNum = int(p, "PageNum") ?? 1;
  const pageSize = int(p, "PageSize") ?? DEFAULT_PAGE_SIZE;
  if (pageNum < 1) fail(ErrorCode.InvalidParameterValue, `PageNum must be 1 or more, got ${pageNum}`);
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    fail(ErrorCode.InvalidParameterValue, `PageSize must be between 1 and ${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  const single = (str(p, "TaskId") ?? "") !== "" || (str(p, "SpecifyTaskId") ?? "") !== "";
  const selected = single ? [selectTask(store, p)] : store.newestFirst();
  const page = selected.slice((pageNum - 1) * pageSize, pageNum * pageSize);
  return {
    response: {
      TaskInfos: page.map((t) => taskInfo(t, single, ctx.nowMs)),
      PageNum: pageNum,
      PageSize: pageSize,
      TotalNum: selected.length,
      TotalPage: Math.ceil(selected.length / pageSize),
      LimitTaskNum: ctx.taskLimit,
    },
    changed: false,
  };
}

export function handleAction(store: TaskStore, action: Action, p: Params, ctx: ActionContext): ActionResult {
  switch (action) {
    case "CreateLivePullStreamTask":
      return create(store, p, ctx);
    case "ModifyLivePullStreamTask":
      return modify(store, p, ctx);
    case "DeleteLivePullStreamTask":
      store.delete(selectTask(store, p).TaskId);
      return { response: {}, changed: true };
    case "DescribeLivePullStreamTasks":
      return describe(store, p, ctx);
    case "RestartLivePullStreamTask": {
      const task = selectTask(store, p);
      task.RestartCount += 1;
      task.Restarts = [...(task.Restarts ?? []), { Time: isoSeconds(ctx.nowMs), Operator: str(p, "Operator")! }];
      return { response: {}, changed: true };
    }
    case "DescribeLivePullStreamTaskStatus":
      return { response: { TaskStatusInfo: taskStatusInfo(selectTask(store, p), ctx.nowMs) }, changed: false };
  }
}
