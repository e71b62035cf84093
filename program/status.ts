// Run status of a task (DescribeLivePullStreamTaskStatus), the data source Terraform offers as
// `tencentcloud_css_pull_stream_task_status`. A Promise, like Pulumi's own `get…` functions:
// `pulumi.output(getLivePullStreamTaskStatus({ taskId: "1000123" }))` for a known id, and for a
// task of the program `task.taskId.apply((taskId) => getLivePullStreamTaskStatus({ taskId }))`.
// Credentials, region and endpoint are resolved as the provider resolves them (provider/config.ts):
// the stack's `tencentcloud:*` config inside a program, then the environment, then ~/.tccli. The
// client is built per call and captured by nothing that is serialised.
import type * as pulumi from "@pulumi/pulumi";
import type { CssClient } from "../provider/api/client";
import type { TaskStatusInfo } from "../provider/api/types";
import { clientFor, tencentEntries } from "../provider/config";

export interface LivePullStreamTaskStatusArgs {
  /** The task's TaskId (a LivePullStreamTask's `taskId` / `id`). */
  taskId: string;
  /** The task's region; default the provider's (`tencentcloud:region`, TENCENTCLOUD_REGION, ...). */
  region?: string;
}

export interface LivePullStreamTaskStatus {
  taskId: string;
  /** The region asked. */
  region: string;
  /** `active` or `inactive` as the API reports it. */
  runStatus: string;
  /** runStatus === "active". */
  active: boolean;
  /** The source URL being pulled now ("" when inactive). May carry auth parameters: treat as a secret. */
  fileUrl: string;
  /** Video files: the current file's length and position, in seconds. */
  fileDuration?: number;
  offsetTime?: number;
  /** Video files: how many times the list has looped (-1 or absent otherwise). */
  loopedTimes?: number;
  /** The latest heartbeat, UTC `YYYY-MM-DDTHH:MM:SSZ`. */
  reportTime?: string;
  /** Video files: the next file to be played. May carry auth parameters. */
  nextFileUrl?: string;
}

export interface StatusOptions {
  /** Client to use (the CLI's, a test's); default one resolved as the provider resolves it. */
  client?: CssClient;
}

/** The stack's `tencentcloud:*` config when running inside a Pulumi program, else nothing. */
function stackConfig(): Record<string, string | undefined> {
  try {
    // Loaded only here: the CLI passes its own client and starts without the Pulumi SDK (~0.5 s).
    const runtime = (require("@pulumi/pulumi") as typeof pulumi).runtime;
    return tencentEntries(runtime.allConfig());
  } catch {
    return {};
  }
}

export function statusFromInfo(
  taskId: string,
  region: string,
  info: TaskStatusInfo | undefined,
): LivePullStreamTaskStatus {
  const i = info ?? {};
  const runStatus = typeof i.RunStatus === "string" && i.RunStatus !== "" ? i.RunStatus : "inactive";
  const active = runStatus === "active";
  const out: LivePullStreamTaskStatus = { taskId, region, runStatus, active, fileUrl: i.FileUrl ?? "" };
  if (typeof i.FileDuration === "number") out.fileDuration = i.FileDuration;
  if (typeof i.OffsetTime === "number") out.offsetTime = i.OffsetTime;
  if (typeof i.LoopedTimes === "number") out.loopedTimes = i.LoopedTimes;
  if (typeof i.ReportTime === "string" && i.ReportTime !== "") out.reportTime = i.ReportTime;
  if (typeof i.NextFileUrl === "string" && i.NextFileUrl !== "") out.nextFileUrl = i.NextFileUrl;
  return out;
}

/** One DescribeLivePullStreamTaskStatus call. Rejects with the API's error (e.g. InvalidParameter.TaskNotExist). */
export async function getLivePullStreamTaskStatus(
  args: LivePullStreamTaskStatusArgs,
  opts: StatusOptions = {},
): Promise<LivePullStreamTaskStatus> {
  if (!args || typeof args.taskId !== "string" || args.taskId === "") {
    throw new TypeError("getLivePullStreamTaskStatus: taskId must be a non-empty string (a task's TaskId)");
  }
  const client = opts.client ?? clientFor(stackConfig(), process.env);
  const region = args.region ?? client.region;
  const r = await client.describeTaskStatus({ TaskId: args.taskId }, { region });
  return statusFromInfo(args.taskId, region, r.TaskStatusInfo);
}
