// The task's shapes, in the user's lowerCamelCase (see schema/task.schema.json for every rule).

export type SourceType = "PullLivePushLive" | "PullVodPushLive" | "PullPicPushLive";
// Literal unions for the program's editor and compiler; schema/task.schema.json's enums are the
// source (test/package/types.test.ts holds each union equal to its enum).
export type BackupSourceType = Exclude<SourceType, "PullPicPushLive">;
export type VodRefreshType = "ImmediateNewSource" | "ContinueBreakPoint";
export type CallbackEvent =
  | "TaskStart" | "TaskExit" | "VodSourceFileStart" | "VodSourceFileFinish" | "ResetTaskConfig" | "TaskAlarm";

export interface Watermark {
  pictureUrl: string;
  xPosition: number;
  yPosition: number;
  width: number;
  height: number;
  location: 0 | 1 | 2 | 3;
}

/** A rolling window: durations such as "7d", "36h", "90m". */
export interface Schedule {
  window: string;
  renewBefore: string;
}

export interface TaskInputs {
  region?: string;
  sourceType: string;
  sourceUrls: string[];
  domainName?: string;
  appName?: string;
  streamName?: string;
  toUrl?: string;
  pushArgs?: string;
  startTime?: string;
  endTime?: string;
  schedule?: Schedule;
  status?: "enable" | "pause";
  operator?: string;
  callbackEvents?: string[];
  callbackUrl?: string;
  vodLoopTimes?: number;
  vodRefreshType?: string;
  fileIndex?: number;
  offsetTime?: number;
  comment?: string;
  backupSourceType?: string;
  backupSourceUrl?: string;
  backupToUrl?: string;
  /** Modify-only (not a Create field): set by a Modify right after the Create. */
  backupVodUrl?: string;
  watermarkList?: Watermark[];
  vodLocalMode?: 0 | 1;
  extraCmd?: string;
  recordTemplateId?: string;
  transcodeTemplateName?: string;
  /** Ours, not an API field: a change sends one RestartLivePullStreamTask. */
  restartTrigger?: string;
  /** Seconds to wait after a restart for RunStatus active (restart-wait.ts); ours, not the API's. */
  restartWaitSeconds?: number;
  /** Ours, not an API field: the TaskId Create adopts instead of creating a task (protocol/adopt.ts). */
  adoptTaskId?: string;
  /** Ours, not an API field: Create may push to a stream another task pushes to (protocol/shared.ts). */
  allowSharedDestination?: boolean;
}

export interface TaskOutputs extends TaskInputs {
  taskId: string;
  createTime?: string;
  updateTime?: string;
  createBy?: string;
  updateBy?: string;
}

/** One problem with one property. `property` is the display form of `path`: "watermarkList[1].location". */
export interface Failure {
  property: string;
  path: (string | number)[];
  reason: string;
}

export const LIVE: SourceType = "PullLivePushLive";
export const VOD: SourceType = "PullVodPushLive";

/** "watermarkList[1].location" from ["watermarkList", 1, "location"]. */
export function propertyOf(path: (string | number)[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out === "" ? part : `.${part}`;
  return out;
}
