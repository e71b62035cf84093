// Near-valid task configs for the differential check: a valid base with one value pushed to, or
// just over, a documented boundary, or into a corner the documentation leaves to interpretation
// (URL extensions, IP ranges, empty lists, VOD-only fields on a live source...). Each carries a
// label so a disagreement reads as "which rule", not just "which config".
import fc from "fast-check";
import { LIVE, VOD, validConfig, type Config } from "./configs";
import { iso } from "../../support/time";

const DAY = 86400_000;
const without = (c: Config, ...keys: string[]) => Object.fromEntries(Object.entries(c).filter(([k]) => !keys.includes(k)));
const wm = (i: number, over: Config = {}) => ({ pictureUrl: `https://img.example.com/w${i}.png`, xPosition: 10, yPosition: 10, width: 20, height: 20, location: i % 4, ...over });

export interface Labelled { label: string; config: Config }
type Tweak = [string, (c: Config) => Config];
const t = (label: string, f: (c: Config) => Config): Tweak => [label, f];

const asLive = (c: Config): Config => ({ ...without(c, "fileIndex", "offsetTime", "vodLoopTimes", "vodRefreshType", "vodLocalMode"), sourceType: LIVE, sourceUrls: ["https://src.example.com/live/a.flv"] });
const asVod = (c: Config, urls = ["https://src.example.com/vod/a.mp4"]): Config => ({ ...without(c, "backupSourceType", "backupSourceUrl", "fileIndex", "offsetTime"), sourceType: VOD, sourceUrls: urls });
const src = (url: string, type = LIVE) => (c: Config): Config => (type === LIVE ? { ...asLive(c), sourceUrls: [url] } : asVod(c, [url]));

function tweaks(now: number): Tweak[] {
  const start = (c: Config) => Date.parse(c.startTime);
  return [
    t("comment exactly 512 ASCII bytes", (c) => ({ ...c, comment: "a".repeat(512) })),
    t("comment 513 ASCII bytes", (c) => ({ ...c, comment: "a".repeat(513) })),
    t("comment 510 bytes of 3-byte chars", (c) => ({ ...c, comment: "流".repeat(170) })),
    t("comment 513 bytes of 3-byte chars", (c) => ({ ...c, comment: "流".repeat(171) })),
    t("comment with an emoji", (c) => ({ ...c, comment: "live 🎥" })),
    t("empty comment", (c) => ({ ...c, comment: "" })),
    t("span 7 d minus 1 s", (c) => ({ ...c, endTime: iso(start(c) + 7 * DAY - 1000) })),
    t("span exactly 7 d", (c) => ({ ...c, endTime: iso(start(c) + 7 * DAY) })),
    t("span 7 d plus 1 s", (c) => ({ ...c, endTime: iso(start(c) + 7 * DAY + 1000) })),
    t("span 1 s", (c) => ({ ...c, endTime: iso(start(c) + 1000) })),
    t("start in the past, end in the future", (c) => ({ ...c, startTime: iso(now - 3600_000), endTime: iso(now + 3600_000) })),
    t("start 6 d 23 h in the future", (c) => ({ ...c, startTime: iso(now + 7 * DAY - 3600_000), endTime: iso(now + 7 * DAY) })),
    t("start 30 d in the future", (c) => ({ ...c, startTime: iso(now + 30 * DAY), endTime: iso(now + 31 * DAY) })),
    t("times with an offset", (c) => ({ ...c, startTime: iso(start(c)).replace("Z", "+00:00") })),
    t("times with milliseconds", (c) => ({ ...c, endTime: iso(Date.parse(c.endTime)).replace("Z", ".500Z") })),
    t("VOD with 30 URLs", (c) => asVod(c, Array.from({ length: 30 }, (_, i) => `https://src.example.com/vod/f${i}.mp4`))),
    t("VOD with 31 URLs", (c) => asVod(c, Array.from({ length: 31 }, (_, i) => `https://src.example.com/vod/f${i}.mp4`))),
    t("picture source with 1 URL", (c) => ({ ...asLive(c), sourceType: "PullPicPushLive", sourceUrls: ["https://img.example.com/still.png"] })),
    t("picture source with 2 URLs", (c) => ({ ...asLive(c), sourceType: "PullPicPushLive", sourceUrls: ["https://img.example.com/a.png", "https://img.example.com/b.png"] })),
    t("live source rtmp without extension", src("rtmp://src.example.com/live/stream")),
    t("live source srt", src("srt://src.example.com:9000?streamid=abc")),
    t("live source rtsp", src("rtsp://src.example.com/cam1")),
    t("live source rtmps", src("rtmps://src.example.com/live/x")),
    t("live source .mp4", src("https://src.example.com/live/a.mp4")),
    t("live source .ts", src("https://src.example.com/live/a.ts")),
    t("live source .avi", src("https://src.example.com/live/a.avi")),
    t("VOD source .flv", src("https://src.example.com/vod/a.flv", VOD)),
    t("VOD source .m3u8", src("https://src.example.com/vod/a.m3u8", VOD)),
    t("VOD source .mkv", src("https://src.example.com/vod/a.mkv", VOD)),
    t("VOD source .MP4 upper case", src("https://src.example.com/vod/a.MP4", VOD)),
    t("VOD source without extension", src("https://src.example.com/vod/signed-link", VOD)),
    t("VOD source with a query", src("https://src.example.com/vod/a.mp4?sign=x", VOD)),
    t("source host public IP", src("http://8.8.8.8/live/a.flv")),
    t("source host 100.64.0.1 (shared NAT space)", src("http://100.64.0.1/live/a.flv")),
    t("source host 172.15.0.1 (public)", src("http://172.15.0.1/live/a.flv")),
    t("source host 172.32.0.1 (public)", src("http://172.32.0.1/live/a.flv")),
    t("source host 0.0.0.0", src("http://0.0.0.0/live/a.flv")),
    t("source host [::ffff:10.0.0.1]", src("http://[::ffff:10.0.0.1]/live/a.flv")),
    t("source host [fc00::1]", src("http://[fc00::1]/live/a.flv")),
    t("source host [2001:db8::1]", src("http://[2001:db8::1]/live/a.flv")),
    t("source host sub.localhost", src("http://cam.localhost/live/a.flv")),
    t("source URL with spaces", src("https://src.example.com/live/a b.flv")),
    t("source URL without host", src("https:///live/a.flv")),
    t("source URL relative", src("/live/a.flv")),
    t("source URL with credentials", src("rtmp://user:pw@src.example.com/live/a")),
    t("empty source URL string", src("")),
    ...["rtmp", "rtmps", "rtsp", "rtp", "srt", "http", "https", "webrtc"].map((s) =>
      t(`toUrl ${s}`, (c) => ({ ...without(c, "domainName", "appName", "streamName"), toUrl: `${s}://push.example.com/live/x` }))),
    t("toUrl without host", (c) => ({ ...without(c, "domainName", "appName", "streamName"), toUrl: "rtmp:///live/x" })),
    t("empty domainName", (c) => ({ ...without(c, "toUrl"), domainName: "", appName: "live", streamName: "x" })),
    t("empty toUrl with a push destination", (c) => ({ ...c, domainName: "push.example.com", appName: "live", streamName: "x", toUrl: "" })),
    t("pushArgs", (c) => ({ ...c, pushArgs: "bak=1&test=2" })),
    t("4 watermarks at distinct locations", (c) => ({ ...c, watermarkList: [0, 1, 2, 3].map((i) => wm(i)) })),
    t("empty watermark list", (c) => ({ ...c, watermarkList: [] })),
    t("watermark at 100%", (c) => ({ ...c, watermarkList: [wm(0, { xPosition: 100, yPosition: 100, width: 100, height: 100 })] })),
    t("watermark past 100%", (c) => ({ ...c, watermarkList: [wm(0, { xPosition: 101 })] })),
    t("watermark negative position", (c) => ({ ...c, watermarkList: [wm(0, { yPosition: -1 })] })),
    t("watermark zero size", (c) => ({ ...c, watermarkList: [wm(0, { width: 0, height: 0 })] })),
    t("watermark fractional position", (c) => ({ ...c, watermarkList: [wm(0, { xPosition: 12.5 })] })),
    t("watermark .jpg", (c) => ({ ...c, watermarkList: [wm(0, { pictureUrl: "https://img.example.com/w.jpg" })] })),
    t("watermark .gif", (c) => ({ ...c, watermarkList: [wm(0, { pictureUrl: "https://img.example.com/w.gif" })] })),
    t("watermark private host", (c) => ({ ...c, watermarkList: [wm(0, { pictureUrl: "http://192.168.1.1/w.png" })] })),
    t("watermark ftp URL", (c) => ({ ...c, watermarkList: [wm(0, { pictureUrl: "ftp://img.example.com/w.png" })] })),
    t("watermark missing location", (c) => ({ ...c, watermarkList: [without(wm(0), "location")] })),
    t("backup VOD source for a live primary", (c) => ({ ...asLive(c), backupSourceType: VOD, backupSourceUrl: "https://src.example.com/vod/b.mp4" })),
    t("backup URL without a backup type", (c) => ({ ...without(asLive(c), "backupSourceType"), backupSourceUrl: "https://src.example.com/live/b.flv" })),
    t("backup type without a URL", (c) => ({ ...without(asLive(c), "backupSourceUrl"), backupSourceType: LIVE })),
    t("backup private host", (c) => ({ ...asLive(c), backupSourceType: LIVE, backupSourceUrl: "http://10.1.1.1/live/b.flv" })),
    t("backup ftp URL", (c) => ({ ...asLive(c), backupSourceType: LIVE, backupSourceUrl: "ftp://src.example.com/live/b.flv" })),
    t("backupToUrl rtmp", (c) => ({ ...c, backupToUrl: "rtmp://push2.example.com/live/x" })),
    t("backupToUrl http", (c) => ({ ...c, backupToUrl: "http://push2.example.com/live/x" })),
    t("fileIndex = number of URLs", (c) => { const v = asVod(c, ["https://s.example.com/a.mp4", "https://s.example.com/b.mp4"]); return { ...v, fileIndex: 2 }; }),
    t("fileIndex = number of URLs + 1", (c) => { const v = asVod(c, ["https://s.example.com/a.mp4", "https://s.example.com/b.mp4"]); return { ...v, fileIndex: 3 }; }),
    t("fileIndex on a live source", (c) => ({ ...asLive(c), fileIndex: 1 })),
    t("offsetTime with fileIndex", (c) => ({ ...asVod(c), fileIndex: 1, offsetTime: 60 })),
    t("offsetTime 0 with fileIndex", (c) => ({ ...asVod(c), fileIndex: 1, offsetTime: 0 })),
    t("vodLoopTimes -1", (c) => ({ ...asVod(c), vodLoopTimes: -1 })),
    t("vodLoopTimes -2", (c) => ({ ...asVod(c), vodLoopTimes: -2 })),
    t("vodLoopTimes 0", (c) => ({ ...asVod(c), vodLoopTimes: 0 })),
    t("vodLoopTimes huge", (c) => ({ ...asVod(c), vodLoopTimes: 2_000_000_000 })),
    t("vodLoopTimes on a live source", (c) => ({ ...asLive(c), vodLoopTimes: 3 })),
    t("vodRefreshType on a live source", (c) => ({ ...asLive(c), vodRefreshType: "ImmediateNewSource" })),
    t("vodLocalMode 1 on VOD", (c) => ({ ...asVod(c), vodLocalMode: 1 })),
    t("vodLocalMode 1 on live", (c) => ({ ...asLive(c), vodLocalMode: 1 })),
    t("all callback events", (c) => ({ ...c, callbackEvents: ["TaskStart", "TaskExit", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig", "TaskAlarm"] })),
    t("empty callback events", (c) => ({ ...c, callbackEvents: [] })),
    t("repeated callback event", (c) => ({ ...c, callbackEvents: ["TaskStart", "TaskStart"] })),
    t("callbackUrl http", (c) => ({ ...c, callbackUrl: "http://hooks.example.com/cb" })),
    t("callbackUrl ftp", (c) => ({ ...c, callbackUrl: "ftp://hooks.example.com/cb" })),
    t("callbackUrl private host", (c) => ({ ...c, callbackUrl: "http://10.0.0.2/cb" })),
    t("callbackUrl not a URL", (c) => ({ ...c, callbackUrl: "hooks.example.com/cb" })),
    t("region ap-singapore", (c) => ({ ...c, region: "ap-singapore" })),
    t("extraCmd ignore_region", (c) => ({ ...c, extraCmd: "ignore_region" })),
    t("recordTemplateId", (c) => ({ ...c, recordTemplateId: "1001" })),
    t("transcodeTemplateName", (c) => ({ ...c, transcodeTemplateName: "hd" })),
  ];
}

export const TWEAK_COUNT = (now: number) => tweaks(now).length;

/** Valid configs (label "valid") and near-valid ones, in roughly equal parts. */
export function nearValidConfig(now: number): fc.Arbitrary<Labelled> {
  const all = tweaks(now);
  return fc.oneof(
    { weight: 1, arbitrary: validConfig(now).map((config) => ({ label: "valid", config })) },
    { weight: 4, arbitrary: fc.tuple(validConfig(now), fc.integer({ min: 0, max: all.length - 1 })).map(([c, i]) => ({ label: all[i][0], config: all[i][1](c) })) },
  );
}

/** Every tweak applied once to one base: the census the test always covers, whatever the seed. */
export function everyTweak(now: number, base: Config): Labelled[] {
  return tweaks(now).map(([label, f]) => ({ label, config: f(base) }));
}
