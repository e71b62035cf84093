// What Describe and DescribeLivePullStreamTaskStatus return for a stored task. Write-only fields
// (ToUrl, ExtraCmd, Operator, FileIndex, OffsetTime, SpecifyTaskId) are never part of the answer.
import type { StoredTask } from "./store";

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + "Z";
}

/** A task runs when it is enabled and now lies within [StartTime, EndTime). */
function isRunning(t: StoredTask, nowMs: number): boolean {
  return t.Status === "enable" && Date.parse(t.StartTime) <= nowMs && nowMs < Date.parse(t.EndTime);
}

function currentFile(t: StoredTask): string {
  const index = t.FileIndex !== undefined ? t.FileIndex - 1 : 0;
  return t.SourceUrls[index] ?? t.SourceUrls[0] ?? "";
}

/** PullStreamTaskInfo; RecentPullInfo only in single-task queries, as documented. */
export function taskInfo(t: StoredTask, single: boolean, nowMs: number): Record<string, unknown> {
  const info: Record<string, unknown> = {
    TaskId: t.TaskId,
    SourceType: t.SourceType,
    SourceUrls: [...t.SourceUrls],
    DomainName: t.DomainName,
    AppName: t.AppName,
    StreamName: t.StreamName,
    PushArgs: t.PushArgs,
    StartTime: t.StartTime,
    EndTime: t.EndTime,
    Region: t.Region,
    VodLoopTimes: t.VodLoopTimes,
    VodRefreshType: t.VodRefreshType,
    CreateTime: t.CreateTime,
    UpdateTime: t.UpdateTime,
    CreateBy: t.CreateBy,
    UpdateBy: t.UpdateBy,
    CallbackUrl: t.CallbackUrl,
    CallbackEvents: [...t.CallbackEvents],
    CallbackInfo: "",
    ErrorInfo: "",
    Status: t.Status,
    Comment: t.Comment,
    BackupSourceType: t.BackupSourceType,
    BackupSourceUrl: t.BackupSourceUrl,
    WatermarkList: structuredClone(t.WatermarkList),
    VodLocalMode: t.VodLocalMode,
    RecordTemplateId: t.RecordTemplateId,
    BackupToUrl: t.BackupToUrl,
    TranscodeTemplateName: t.TranscodeTemplateName,
  };
  if (single) {
    info.RecentPullInfo = {
      FileUrl: isRunning(t, nowMs) ? currentFile(t) : "",
      OffsetTime: 0,
      ReportTime: isoSeconds(nowMs),
      LoopedTimes: 0,
    };
  }
  return info;
}

/** TaskStatusInfo: the emulator pulls nothing, so the run state follows Status and the schedule. */
export function taskStatusInfo(t: StoredTask, nowMs: number): Record<string, unknown> {
  const running = isRunning(t, nowMs);
  return {
    FileUrl: running ? currentFile(t) : "",
    FileDuration: 0,
    OffsetTime: 0,
    ReportTime: isoSeconds(nowMs),
    RunStatus: running ? "active" : "inactive",
    LoopedTimes: 0,
  };
}
