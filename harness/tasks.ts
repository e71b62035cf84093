// Task programs for the protocol tests and bench: valid by construction, times relative to now.
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "../emulator";
import type { Props } from "./host";
import { iso } from "./time";

export { iso };

const HOUR = 3600_000;

let counter = 0;
/** A stream name no other task of this process pushes to. */
export function uniqueStream(prefix = "s"): string {
  counter += 1;
  return `${prefix}${process.pid}x${counter}`;
}

/** A live relay: one live source, pushed to domain/app/stream, running from in an hour for two days. */
export function liveRelay(overrides: Props = {}): Props {
  const now = Date.now();
  return {
    sourceType: "PullLivePushLive",
    sourceUrls: ["rtmp://origin.example.com/live/cam1"],
    domainName: "push.example.com",
    appName: "live",
    streamName: uniqueStream("relay"),
    startTime: iso(now + HOUR),
    endTime: iso(now + 48 * HOUR),
    ...overrides,
  };
}

/** A VOD playlist of two files pushed to a full destination URL. */
export function vodPlaylist(overrides: Props = {}): Props {
  const now = Date.now();
  return {
    sourceType: "PullVodPushLive",
    sourceUrls: ["https://media.example.com/a.mp4", "https://media.example.com/b.mp4"],
    domainName: "push.example.com",
    appName: "vod",
    streamName: uniqueStream("vod"),
    startTime: iso(now + HOUR),
    endTime: iso(now + 24 * HOUR),
    ...overrides,
  };
}

/** Stack config pointing the provider at an emulator (as `pulumi config set tencentcloud:...`). */
export function emulatorConfig(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "tencentcloud:secretId": DEFAULT_SECRET_ID,
    "tencentcloud:secretKey": DEFAULT_SECRET_KEY,
    "tencentcloud:region": "ap-guangzhou",
    "tencentcloud:cssEndpoint": url,
    ...extra,
  };
}
