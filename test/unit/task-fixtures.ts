// Shared fixtures for the pure-core tests: a fixed clock and typical tasks relative to it.
import { TaskInputs } from "../../provider/task";
import { iso } from "../support/time";

export { iso };

export const NOW = new Date("2026-03-01T00:00:00Z");
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
export const at = (offsetMs: number): string => iso(NOW.getTime() + offsetMs);

/** A live relay pushing to domain/app/stream, one hour from now for a day. */
export function liveTask(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sourceType: "PullLivePushLive",
    sourceUrls: ["rtmp://origin.example.com/live/source"],
    domainName: "push.example.com",
    appName: "live",
    streamName: "relay",
    startTime: at(HOUR),
    endTime: at(DAY),
    ...over,
  };
}

/** A playlist of video files pushing to a toUrl. */
export function vodTask(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sourceType: "PullVodPushLive",
    sourceUrls: ["https://cdn.example.com/a.mp4", "https://cdn.example.com/b.flv", "https://cdn.example.com/c/index.m3u8"],
    toUrl: "rtmp://push.example.com/live/playlist?txSecret=abc123&txTime=6A000000",
    startTime: at(HOUR),
    endTime: at(DAY),
    ...over,
  };
}

export const asInputs = (t: Record<string, unknown>): TaskInputs => t as unknown as TaskInputs;
