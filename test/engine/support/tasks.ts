// Task entries for the engine tests' tasks files: valid by construction, times relative to now.
import { iso } from "../../../harness/time";

const HOUR = 3600_000;

/** A live relay pushing to push.example.com/live/STREAM, from in an hour for two days. */
export function relay(stream: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sourceType: "PullLivePushLive",
    sourceUrls: [`rtmp://origin.example.com/live/${stream}`],
    domainName: "push.example.com",
    appName: "live",
    streamName: stream,
    startTime: iso(Date.now() + HOUR),
    endTime: iso(Date.now() + 48 * HOUR),
    ...over,
  };
}
