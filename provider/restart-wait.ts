// After a restart, waiting for the task to run again (restartWaitSeconds): Terraform's
// tencentcloud_css_pull_stream_task_restart polls DescribeLivePullStreamTaskStatus until RunStatus
// is "active"; this does the same, bounded, so a pipeline's `up` ends only once the stream is back.
import type { CssClient } from "./api/client";

export const RESTART_POLL_MS = 2000;

export interface WaitClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const realClock: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** "active", or the last RunStatus seen (or "unknown") once `seconds` have passed. */
export async function waitUntilActive(
  client: CssClient,
  taskId: string,
  region: string | undefined,
  seconds: number,
  clock: WaitClock = realClock,
): Promise<string> {
  const deadline = clock.now() + seconds * 1000;
  let last = "unknown";
  for (;;) {
    const r = await client.describeTaskStatus({ TaskId: taskId }, { region });
    last = r.TaskStatusInfo?.RunStatus ?? "unknown";
    if (last === "active") return last;
    const left = deadline - clock.now();
    if (left <= 0) return last;
    await clock.sleep(Math.min(RESTART_POLL_MS, left));
  }
}
