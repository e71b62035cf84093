// Request and response shapes of the six CSS pull-task actions (API product `live`, 2018-08-01).
// Field names are the API's own (PascalCase) so a request object can be sent as-is.
import type { TaskInfo } from "../task/requests";

export const API_VERSION = "2018-08-01";
export const API_SERVICE = "live";

export const ACTIONS = [
  "CreateLivePullStreamTask",
  "ModifyLivePullStreamTask",
  "DeleteLivePullStreamTask",
  "DescribeLivePullStreamTasks",
  "RestartLivePullStreamTask",
  "DescribeLivePullStreamTaskStatus",
] as const;
export type Action = (typeof ACTIONS)[number];

export type SourceType = "PullLivePushLive" | "PullVodPushLive" | "PullPicPushLive";

export interface PullPushWatermarkInfo {
  PictureUrl: string;
  XPosition: number;
  YPosition: number;
  Width: number;
  Height: number;
  /** 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left. */
  Location: number;
}

export interface CreateLivePullStreamTaskRequest {
  SourceType: string;
  SourceUrls: string[];
  DomainName: string;
  AppName: string;
  StreamName: string;
  StartTime: string;
  EndTime: string;
  Operator: string;
  PushArgs?: string;
  CallbackEvents?: string[];
  /** A string in Create (an integer in Modify and Describe): that is the API's own inconsistency. */
  VodLoopTimes?: string;
  VodRefreshType?: string;
  CallbackUrl?: string;
  ExtraCmd?: string;
  SpecifyTaskId?: string;
  Comment?: string;
  ToUrl?: string;
  FileIndex?: number;
  OffsetTime?: number;
  BackupSourceType?: string;
  BackupSourceUrl?: string;
  WatermarkList?: PullPushWatermarkInfo[];
  VodLocalMode?: number;
  RecordTemplateId?: string;
  BackupToUrl?: string;
  TranscodeTemplateName?: string;
}

export interface CreateLivePullStreamTaskResponse {
  TaskId: string;
  RequestId: string;
}

export interface ModifyLivePullStreamTaskRequest {
  TaskId: string;
  Operator: string;
  SourceUrls?: string[];
  StartTime?: string;
  EndTime?: string;
  VodLoopTimes?: number;
  VodRefreshType?: string;
  Status?: "enable" | "pause" | string;
  CallbackEvents?: string[];
  CallbackUrl?: string;
  FileIndex?: number;
  OffsetTime?: number;
  Comment?: string;
  BackupSourceType?: string;
  BackupSourceUrl?: string;
  WatermarkList?: PullPushWatermarkInfo[];
  VodLocalMode?: number;
  RecordTemplateId?: string;
  BackupToUrl?: string;
  TranscodeTemplateName?: string;
  SpecifyTaskId?: string;
}

export interface RequestIdResponse {
  RequestId: string;
}
export type ModifyLivePullStreamTaskResponse = RequestIdResponse;

export interface DeleteLivePullStreamTaskRequest {
  TaskId: string;
  Operator: string;
  SpecifyTaskId?: string;
}
export type DeleteLivePullStreamTaskResponse = RequestIdResponse;

export interface DescribeLivePullStreamTasksRequest {
  /** Omit to list every task of the account in the region. */
  TaskId?: string;
  PageNum?: number;
  /** 1..20, default 10. */
  PageSize?: number;
  SpecifyTaskId?: string;
}

export interface RecentPullInfo {
  FileUrl?: string;
  OffsetTime?: number;
  ReportTime?: string;
  LoopedTimes?: number;
}

/**
 * One task as DescribeLivePullStreamTasks returns it: the fields the core maps back to inputs
 * (provider/task/requests.ts TaskInfo, the one description of them) plus those only shown.
 */
export interface PullStreamTaskInfo extends TaskInfo {
  SourceUrls: string[];
  DomainName: string;
  AppName: string;
  StreamName: string;
  StartTime: string;
  EndTime: string;
  VodLoopTimes?: number;
  CallbackInfo?: string;
  ErrorInfo?: string;
  /** Only in single-task queries. */
  RecentPullInfo?: RecentPullInfo;
  WatermarkList?: (PullPushWatermarkInfo & Record<string, unknown>)[];
}

export interface DescribeLivePullStreamTasksResponse {
  TaskInfos: PullStreamTaskInfo[];
  PageNum: number;
  PageSize: number;
  TotalNum: number;
  TotalPage: number;
  LimitTaskNum?: number;
  RequestId: string;
}

export interface RestartLivePullStreamTaskRequest {
  TaskId: string;
  Operator: string;
}
export type RestartLivePullStreamTaskResponse = RequestIdResponse;

export interface DescribeLivePullStreamTaskStatusRequest {
  TaskId: string;
}

/** Run state of a task; every field optional because the service omits what it has not measured yet. */
export interface TaskStatusInfo {
  FileUrl?: string;
  FileDuration?: number;
  OffsetTime?: number;
  ReportTime?: string;
  RunStatus?: string;
  [extra: string]: unknown;
}

export interface DescribeLivePullStreamTaskStatusResponse {
  TaskStatusInfo?: TaskStatusInfo;
  RequestId: string;
}

export interface ActionResponses {
  CreateLivePullStreamTask: CreateLivePullStreamTaskResponse;
  ModifyLivePullStreamTask: ModifyLivePullStreamTaskResponse;
  DeleteLivePullStreamTask: DeleteLivePullStreamTaskResponse;
  DescribeLivePullStreamTasks: DescribeLivePullStreamTasksResponse;
  RestartLivePullStreamTask: RestartLivePullStreamTaskResponse;
  DescribeLivePullStreamTaskStatus: DescribeLivePullStreamTaskStatusResponse;
}
