// Valid request bodies for the emulator's tests; each test breaks exactly the rule it is about.
import { iso } from "../support/time";

export { iso };
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function liveTask(overrides: Record<string, unknown> = {}, now = Date.now()): Record<string, unknown> {
  return {
    SourceType: "PullLivePushLive",
    SourceUrls: ["rtmp://source.example.com/live/in"],
    DomainName: "push.example.com",
    AppName: "live",
    StreamName: "out",
    StartTime: iso(now + MINUTE),
    EndTime: iso(now + HOUR),
    Operator: "tester",
    ...overrides,
  };
}

export function vodTask(overrides: Record<string, unknown> = {}, now = Date.now()): Record<string, unknown> {
  return liveTask(
    {
      SourceType: "PullVodPushLive",
      SourceUrls: ["https://media.example.com/a.mp4", "https://media.example.com/b.flv", "https://media.example.com/c.m3u8"],
      ...overrides,
    },
    now,
  );
}

export function watermark(location: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { PictureUrl: "https://img.example.com/logo.png", XPosition: 5, YPosition: 5, Width: 10, Height: 10, Location: location, ...overrides };
}
