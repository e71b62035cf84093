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

/**
 * The emulator pulls nothing, so every video file is taken to last VOD_FILE_SECONDS: a clock-driven
 * stand-in for playback that lets LoopedTimes, FileUrl, OffsetTime and NextFileUrl move.
 */
export const VOD_FILE_SECONDS = 600;

interface Playback {
  fileIndex: number;
  offset: number;
  looped: number;
}

/** Where a VOD task's playlist stands `elapsed` ms after its start, or null once its loops are done. */
function playback(t: StoredTask, elapsedMs: number): Playback | null {
  const n = Math.max(1, t.SourceUrls.length);
  const first = t.FileIndex !== undefined ? Math.min(Math.max(t.FileIndex - 1, 0), n - 1) : 0;
  const files = Math.floor(elapsedMs / 1000 / VOD_FILE_SECONDS) + first;
  const looped = Math.floor(files / n);
  // VodLoopTimes: -1 forever, 0 play once, n > 0 loop n times.
  if (t.VodLoopTimes >= 0 && looped > t.VodLoopTimes) return null;
  return { fileIndex: files % n, offset: Math.floor(elapsedMs / 1000) % VOD_FILE_SECONDS, looped };
}

/**
 * TaskStatusInfo (newest model): RunStatus "active" while the task is enabled and now lies in
 * [StartTime, EndTime) (and, for video files, its loops are not used up), "inactive" otherwise.
 */
export function taskStatusInfo(t: StoredTask, nowMs: number): Record<string, unknown> {
  const base = { ReportTime: isoSeconds(nowMs), FileDuration: 0, OffsetTime: 0, NextFileUrl: "" };
  const running = isRunning(t, nowMs);
  if (t.SourceType !== "PullVodPushLive") {
    const fileUrl = running ? currentFile(t) : "";
    return { ...base, FileUrl: fileUrl, RunStatus: running ? "active" : "inactive", LoopedTimes: -1 };
  }
  const at = running ? playback(t, nowMs - Date.parse(t.StartTime)) : null;
  if (!at) return { ...base, FileUrl: "", RunStatus: "inactive", LoopedTimes: -1 };
  return {
    ...base,
    FileUrl: t.SourceUrls[at.fileIndex] ?? "",
    FileDuration: VOD_FILE_SECONDS,
    OffsetTime: at.offset,
    NextFileUrl: t.SourceUrls[(at.fileIndex + 1) % t.SourceUrls.length] ?? "",
    RunStatus: "active",
    LoopedTimes: at.looped,
  };
}
