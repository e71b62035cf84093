// The soak's desired sets: N task configs of four shapes (push destination, auth-bearing ToUrl with
// a backup source, a VOD playlist with watermarks, a paused task), and for each an in-place change
// of several modifiable fields at once. Deterministic for a given seed and start time.
import { mulberry32 } from "../../emulator/faults";
import type { Props } from "../../harness/host";
import { iso } from "../../harness/time";

export { mulberry32 };



function hex(rand: () => number, n: number): string {
  let s = "";
  while (s.length < n) s += Math.floor(rand() * 16).toString(16);
  return s;
}

export function taskName(i: number): string {
  return `soak-${String(i).padStart(4, "0")}`;
}

export function desiredSet(n: number, seed: number, now: number): Map<string, Props> {
  const rand = mulberry32(seed);
  const start = iso(now + 15 * 60_000);
  const end = iso(now + 15 * 60_000 + 2 * 86400_000);
  const out = new Map<string, Props>();
  for (let i = 0; i < n; i++) {
    const base: Props = { startTime: start, endTime: end, comment: `soak ${i}` };
    let c: Props;
    switch (i % 4) {
      case 0:
        c = { ...base, sourceType: "PullLivePushLive", sourceUrls: [`https://src.example.com/live/s${i}.flv`], domainName: "push.example.com", appName: "live", streamName: `soak-${i}` };
        break;
      case 1:
        c = {
          ...base, sourceType: "PullLivePushLive", sourceUrls: [`https://src.example.com/live/s${i}.m3u8?sign=${hex(rand, 16)}`],
          toUrl: `rtmp://push.example.com/live/soak-${i}?txSecret=${hex(rand, 32)}&txTime=${(0x7f000000 + i).toString(16)}`,
          backupSourceType: "PullLivePushLive", backupSourceUrl: `https://backup.example.com/live/s${i}.flv?token=${hex(rand, 12)}`,
          callbackUrl: `https://hooks.example.com/css?sign=${hex(rand, 16)}`,
        };
        break;
      case 2:
        c = {
          ...base, sourceType: "PullVodPushLive",
          sourceUrls: [1, 2, 3].map((k) => `https://vod.example.com/v${i}/part${k}.mp4`),
          domainName: "push.example.com", appName: "vod", streamName: `soak-${i}`,
          fileIndex: 2, offsetTime: 30, vodLoopTimes: 2, vodRefreshType: "ContinueBreakPoint",
          watermarkList: [
            { pictureUrl: "https://img.example.com/logo.png", xPosition: 1, yPosition: 1, width: 10, height: 10, location: 0 },
            { pictureUrl: "https://img.example.com/badge.png", xPosition: 2, yPosition: 2, width: 8, height: 8, location: 2 },
          ],
        };
        break;
      default:
        c = {
          ...base, sourceType: "PullLivePushLive", sourceUrls: [`rtmp://src.example.com/live/s${i}`],
          domainName: "push.example.com", appName: "live", streamName: `soak-${i}`, status: "pause",
          callbackEvents: ["TaskStart", "TaskExit"],
        };
    }
    out.set(taskName(i), c);
  }
  return out;
}

/** Each task changes several modifiable fields at once; none of them forces a replacement. */
export function modifiedSet(desired: Map<string, Props>): Map<string, Props> {
  const out = new Map<string, Props>();
  for (const [name, c] of desired) {
    const m: Props = { ...c, comment: `${c.comment} modified`, endTime: iso(Date.parse(String(c.endTime)) + 3600_000) };
    const urls = c.sourceUrls as string[];
    if (c.sourceType === "PullVodPushLive") {
      m.sourceUrls = [...urls, urls[0].replace(/part1/, "encore")];
      m.watermarkList = (c.watermarkList as Props[]).slice(0, 1);
      m.vodLoopTimes = -1;
    } else {
      m.sourceUrls = [urls[0].replace("/live/", "/live2/")];
    }
    if (c.status === "pause") m.status = "enable";
    if (c.callbackUrl) m.callbackUrl = `${c.callbackUrl}&v=2`;
    if (c.backupSourceUrl) m.backupSourceUrl = String(c.backupSourceUrl).replace("/live/", "/live2/");
    out.set(name, m);
  }
  return out;
}
