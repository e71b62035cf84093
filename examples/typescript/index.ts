// Two stream-pulling tasks managed as code.
//
//   pulumi config set --secret tencentcloud:secretId  AKID...
//   pulumi config set --secret tencentcloud:secretKey ...
//   pulumi config set tencentcloud:region ap-guangzhou
//   pulumi config set --secret playlistToUrl "rtmp://push.example.com/vod/playlist?txSecret=...&txTime=..."
//   pulumi up
//
// Against the local emulator instead of Tencent Cloud:
//   npx css-pull-tasks emulator --port 4566 &
//   pulumi config set tencentcloud:cssEndpoint http://127.0.0.1:4566
//   pulumi config set tencentcloud:secretId AKIDEMULATOR
//   pulumi config set --secret tencentcloud:secretKey emulator-secret-key
import * as pulumi from "@pulumi/pulumi";
import { LivePullStreamTask } from "pulumi-css-pull-tasks";

const config = new pulumi.Config();
const pushDomain = config.get("pushDomain") ?? "push.example.com";

// A live relay: pull the studio feed, push it to our CDN domain. If the studio feed drops, the
// backup feed takes over; a logo sits in the top-right corner. The rolling schedule keeps it
// running: a `pulumi up` within a day of the end extends it by up to three days without
// interrupting it (after 7 days from its start the API needs a fresh start: a brief restart).
export const relay = new LivePullStreamTask("studio-relay", {
  sourceType: "PullLivePushLive",
  sourceUrls: [config.get("studioFeed") ?? "rtmp://studio.example.com/live/main"],
  domainName: pushDomain,
  appName: "live",
  streamName: "studio",
  schedule: { window: "3d", renewBefore: "1d" },
  backupSourceType: "PullLivePushLive",
  backupSourceUrl: config.get("backupFeed") ?? "rtmp://backup.example.com/live/main",
  watermarkList: [{ pictureUrl: "https://static.example.com/logo.png", xPosition: 2, yPosition: 2, width: 12, height: 12, location: 1 }],
  callbackEvents: ["TaskStart", "TaskExit", "TaskAlarm"],
  callbackUrl: "https://hooks.example.com/css-events",
  comment: "studio feed relay",
  // A short slate pushed while the feeds cannot be pulled; after each play the primary is retried.
  backupVodUrl: "https://media.example.com/slate-60s.mp4",
  // `pulumi config set relayRestart "$(date)"` then `pulumi up`: one restart, shown in the preview.
  restartTrigger: config.get("relayRestart"),
});

// A VOD playlist pushed to a signed URL (a secret: it carries txSecret). Prepared but paused:
// set status to "enable" and run `pulumi up` to go live — one Modify, the task stays the same.
export const playlist = new LivePullStreamTask("weekend-playlist", {
  sourceType: "PullVodPushLive",
  sourceUrls: ["https://media.example.com/intro.mp4", "https://media.example.com/feature.mp4", "https://media.example.com/outro.mp4"],
  toUrl: config.getSecret("playlistToUrl") ?? `rtmp://${pushDomain}/vod/playlist`,
  schedule: { window: "3d", renewBefore: "12h" },
  status: "pause",
  vodLoopTimes: -1,
  vodRefreshType: "ContinueBreakPoint",
  comment: "weekend loop",
});

export const relayTaskId = relay.taskId;
export const playlistTaskId = playlist.taskId;
