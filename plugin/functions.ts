// The native provider's functions (Invoke): `getLivePullStreamTaskStatus`, the run status of a task
// as the bridged packages' `tencentcloud_css_pull_stream_task_status` data source gives it, usable
// from Pulumi YAML (`fn::invoke`), Python and every other language. The call itself is the
// program's getLivePullStreamTaskStatus (program/status.ts), with this provider's client.
import type { CssClient } from "../provider/api/client";
import { getLivePullStreamTaskStatus } from "../program/status";
import { secret } from "./secrets";

export const STATUS_FUNCTION = "tencentcloud-css:index:getLivePullStreamTaskStatus";

type Bag = Record<string, unknown>;

/** Outputs that may carry auth parameters (the URL being pulled). */
const SECRET_OUTPUTS = ["fileUrl", "nextFileUrl"];

const str = (description: string) => ({ type: "string", description });
const int = (description: string) => ({ type: "integer", description });

export const FUNCTIONS_SCHEMA = {
  [STATUS_FUNCTION]: {
    description:
      "Run status of a task (DescribeLivePullStreamTaskStatus), like Terraform's " +
      "tencentcloud_css_pull_stream_task_status data source.",
    inputs: {
      properties: {
        taskId: str("The task's TaskId (a LivePullStreamTask's taskId)."),
        region: str("The task's region; default the provider's."),
      },
      required: ["taskId"],
    },
    outputs: {
      properties: {
        taskId: str("The TaskId asked."),
        region: str("The region asked."),
        runStatus: str("`active` or `inactive`, as the API reports it."),
        active: { type: "boolean", description: "runStatus is `active`." },
        fileUrl: { ...str("The source URL being pulled now (\"\" when inactive)."), secret: true },
        fileDuration: int("Video files: the current file's length in seconds."),
        offsetTime: int("Video files: the position in the current file, in seconds."),
        loopedTimes: int("Video files: how many times the list has looped."),
        reportTime: str("The latest heartbeat, UTC."),
        nextFileUrl: { ...str("Video files: the next file to be played."), secret: true },
      },
      required: ["taskId", "region", "runStatus", "active", "fileUrl"],
    },
  },
};

/** One Invoke; an unknown token is an error naming the function offered. */
export async function invokeFunction(token: string, inputs: Bag, client: () => CssClient): Promise<Bag> {
  if (token !== STATUS_FUNCTION) throw new Error(`unknown function ${token}; this provider offers ${STATUS_FUNCTION}`);
  const region = typeof inputs.region === "string" && inputs.region !== "" ? inputs.region : undefined;
  const status = await getLivePullStreamTaskStatus({ taskId: inputs.taskId as string, region }, { client: client() });
  const out: Bag = { ...status };
  for (const key of SECRET_OUTPUTS) if (out[key] !== undefined) out[key] = secret(out[key]);
  return out;
}
