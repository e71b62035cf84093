// The field-by-field cases of the protocol tests: for every modifiable field the one Modify it
// must produce, for every Create-only field the replacement order. The tests check that these
// tables cover every field the schema lists, so a new field cannot go untested.
import type { Props } from "./host";
import { iso, liveRelay, uniqueStream, vodPlaylist } from "./tasks";

export interface FieldCase {
  field: string;
  base: () => Props;
  /** The program change; applied to the base program. */
  change: (base: Props) => Props;
  /** API fields the single Modify must carry besides TaskId and Operator. */
  sends: string[];
}

const later = (h: number) => iso(Date.now() + h * 3600_000);

export const UPDATE_CASES: FieldCase[] = [
  { field: "sourceUrls", base: liveRelay, change: () => ({ sourceUrls: ["rtmp://origin2.example.com/live/cam2"] }), sends: ["SourceUrls"] },
  { field: "startTime", base: liveRelay, change: () => ({ startTime: later(2) }), sends: ["StartTime"] },
  { field: "endTime", base: liveRelay, change: () => ({ endTime: later(60) }), sends: ["EndTime"] },
  { field: "status", base: liveRelay, change: () => ({ status: "pause" }), sends: ["Status"] },
  { field: "callbackEvents", base: liveRelay, change: () => ({ callbackEvents: ["TaskStart", "TaskExit"] }), sends: ["CallbackEvents"] },
  { field: "callbackUrl", base: liveRelay, change: () => ({ callbackUrl: "https://hooks.example.com/css" }), sends: ["CallbackUrl"] },
  { field: "comment", base: liveRelay, change: () => ({ comment: "night shift" }), sends: ["Comment"] },
  {
    field: "backupSourceType",
    base: liveRelay,
    change: () => ({ backupSourceType: "PullLivePushLive", backupSourceUrl: "rtmp://backup.example.com/live/cam1" }),
    sends: ["BackupSourceType", "BackupSourceUrl"],
  },
  {
    field: "backupSourceUrl",
    base: () => liveRelay({ backupSourceType: "PullLivePushLive", backupSourceUrl: "rtmp://backup.example.com/live/cam1" }),
    change: () => ({ backupSourceUrl: "rtmp://backup2.example.com/live/cam1" }),
    // The pair travels together so the API never sees half of it.
    sends: ["BackupSourceType", "BackupSourceUrl"],
  },
  {
    field: "watermarkList",
    base: liveRelay,
    change: () => ({ watermarkList: [{ pictureUrl: "https://img.example.com/logo.png", xPosition: 5, yPosition: 5, width: 10, height: 10, location: 1 }] }),
    sends: ["WatermarkList"],
  },
  { field: "vodLoopTimes", base: vodPlaylist, change: () => ({ vodLoopTimes: 3 }), sends: ["VodLoopTimes"] },
  { field: "vodRefreshType", base: vodPlaylist, change: () => ({ vodRefreshType: "ContinueBreakPoint" }), sends: ["VodRefreshType"] },
  { field: "fileIndex", base: vodPlaylist, change: () => ({ fileIndex: 2 }), sends: ["FileIndex"] },
  { field: "offsetTime", base: () => vodPlaylist({ fileIndex: 2 }), change: () => ({ offsetTime: 30 }), sends: ["OffsetTime", "FileIndex"] },
  { field: "vodLocalMode", base: vodPlaylist, change: () => ({ vodLocalMode: 1 }), sends: ["VodLocalMode"] },
  { field: "backupVodUrl", base: liveRelay, change: () => ({ backupVodUrl: "https://cdn.example.com/pad.mp4" }), sends: ["BackupVodUrl"] },
  // Modify: a new value replaces the second push, so the main push is never cut for it.
  { field: "backupToUrl", base: liveRelay, change: () => ({ backupToUrl: `rtmp://backup.example.com/live/${uniqueStream("bk")}` }), sends: ["BackupToUrl"] },
];

export interface ReplaceCase {
  field: string;
  base: () => Props;
  change: (base: Props) => Props;
  deleteBeforeReplace: boolean;
}

export const signedUrl = (stream: string, secret: string) => `rtmp://push.example.com/live/${stream}?txSecret=${secret}&txTime=7FFFFFFF`;

export const REPLACE_CASES: ReplaceCase[] = [
  { field: "region", base: liveRelay, change: () => ({ region: "ap-shanghai" }), deleteBeforeReplace: true },
  {
    field: "sourceType",
    base: liveRelay,
    change: () => ({ sourceType: "PullVodPushLive", sourceUrls: ["https://media.example.com/a.mp4"] }),
    deleteBeforeReplace: true,
  },
  { field: "domainName", base: liveRelay, change: () => ({ domainName: "push2.example.com" }), deleteBeforeReplace: false },
  { field: "appName", base: liveRelay, change: () => ({ appName: "live2" }), deleteBeforeReplace: false },
  { field: "streamName", base: liveRelay, change: () => ({ streamName: uniqueStream("moved") }), deleteBeforeReplace: false },
  {
    field: "toUrl",
    base: () => {
      const { domainName: _d, appName: _a, streamName: _s, ...rest } = liveRelay();
      return { ...rest, toUrl: signedUrl(uniqueStream("url"), "aaaa1111") };
    },
    // A renewed signature still pushes the same stream.
    change: (b) => ({ toUrl: String(b.toUrl).replace("aaaa1111", "bbbb2222") }),
    deleteBeforeReplace: true,
  },
  { field: "pushArgs", base: liveRelay, change: () => ({ pushArgs: "bak=1" }), deleteBeforeReplace: true },
  { field: "extraCmd", base: liveRelay, change: () => ({ extraCmd: "ignore_region" }), deleteBeforeReplace: true },
  { field: "recordTemplateId", base: liveRelay, change: () => ({ recordTemplateId: "1001" }), deleteBeforeReplace: true },
  { field: "transcodeTemplateName", base: liveRelay, change: () => ({ transcodeTemplateName: "hd" }), deleteBeforeReplace: true },
];
