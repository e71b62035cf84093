// Every documented rule the API applies that can be judged offline (the schema covers types,
// enums and counts). A rule is skipped when a value it depends on is not known yet (UNKNOWN) or
// has the wrong type (the schema already reported that).
//
// URL checks, per field:
// - sourceUrls / backupSourceUrl: scheme http, https, rtmp, rtmps, rtsp or srt; host not on a
//   private network (localhost, private/loopback/link-local IPv4, loopback/ULA/link-local IPv6:
//   the API refuses them). The API lists the formats it plays (flv, mp4, hls), not URL suffixes:
//   a video file whose name ends in another extension (`/play.php?id=1` may serve mp4) is a
//   warning, never a refusal. Live and picture URLs: no extension check.
// - toUrl / backupToUrl: rtmp, rtmps, rtsp, rtp or srt.
// - callbackUrl: http or https.
// - backupVodUrl: like a video-file source URL (a pad file).
// - watermark pictureUrl: http or https, none of ; ( ) { } $ > ` # " ' |. Create takes "png, jpg,
//   gif, etc."; only Modify says "no animated watermarks", so an animated format (.gif, .apng) is
//   refused where a Modify sends the list and warned of on a create (a later change of the list
//   would be refused); another format the documents do not list (.svg, .webp, ...) is a warning,
//   since "etc." refuses nothing. Any other name (no extension, a signed link) cannot be judged.
//
// Warnings (accepted, reported): a backup source on a non-live primary (the API ignores it); an
// endTime that has passed on a task judged as existing; a schedule window above the span limit; a
// span of 7 days or more under a higher limit (the international pages still say 7).
import { SOURCE_TYPES } from "./fields";
import { canonicalTime, parseDuration, parseTime } from "./time";
import { LIVE, VOD } from "./types";
import { extensionOf, parseUrl, privateHostReason } from "./urls";
import { UNKNOWN } from "./unknown";
import { DAY_MS, MAX_TASK_SPAN_MS, MAX_TASK_SPAN_SETTING, spanWarning } from "./span";

export { MAX_TASK_SPAN_MS } from "./span";
export const MAX_COMMENT_BYTES = 512;
/** What to change when a task has ended (validate's warning, check's error for a task to create). */
const ENDED_ADVICE =
  "move startTime and endTime into the future, use schedule for a rolling window, or remove the task";
export const MAX_VOD_URLS = 30;
export const SOURCE_SCHEMES = ["http", "https", "rtmp", "rtmps", "rtsp", "srt"];
export const DESTINATION_SCHEMES = ["rtmp", "rtmps", "rtsp", "rtp", "srt"];
export const VOD_EXTENSIONS = ["flv", "mp4", "m3u8"];
/** Animated picture formats: Create takes them ("png, jpg, gif, etc."), Modify does not ("no animated"). */
export const ANIMATED_PICTURE_EXTENSIONS = ["gif", "apng"];
/** Other picture formats: not listed, not refused by any text ("etc."), so only warned of. */
export const UNLISTED_PICTURE_EXTENSIONS = [
  "svg", "svgz", "webp", "bmp", "tif", "tiff", "ico", "heic", "heif", "avif", "jxl", "jp2", "psd",
];
export const PICTURE_FORBIDDEN = ";(){}$>`#\"'|";
/** Fields that only mean something for video-file sources. */
export const VOD_ONLY_FIELDS = ["vodLoopTimes", "vodRefreshType", "vodLocalMode", "fileIndex", "offsetTime"];

type Path = (string | number)[];
export interface RuleContext {
  now: number;
  sent?: ReadonlySet<string>;
  /** endTime − startTime must be less than this (span.ts; default 30 days). */
  maxSpanMs?: number;
  add: (path: Path, reason: string) => void;
  /** Accepted by the API but probably not what the user meant: reported, never refused. */
  warn: (path: Path, reason: string) => void;
  reported: ReadonlySet<string>;
}

/** A known string (not UNKNOWN), else undefined. */
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== UNKNOWN ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) ? v : undefined);
const present = (v: unknown): boolean => v !== undefined;
const known = (v: unknown): boolean => v !== undefined && v !== UNKNOWN;
// An unknown value may still turn out to be absent, so rules about which fields are present
// (pairs, exclusive choices) are skipped while any field they involve is UNKNOWN.
const anyUnknown = (...values: unknown[]): boolean => values.some((v) => v === UNKNOWN);

export function offlineRules(t: Record<string, unknown>, ctx: RuleContext): void {
  // A misspelt source type is reported by the schema; rules depending on it are skipped.
  const sourceType = SOURCE_TYPES.find((s) => s === t.sourceType);
  sourceRules(t, sourceType, ctx);
  destinationRules(t, ctx);
  timeRules(t, ctx);
  callbackRules(t, ctx);
  backupRules(t, sourceType, ctx);
  watermarkRules(t, ctx);
  vodRules(t, ctx);
  const comment = str(t.comment);
  if (comment !== undefined) {
    const bytes = Buffer.byteLength(comment, "utf8");
    if (bytes > MAX_COMMENT_BYTES)
      ctx.add(["comment"], `is ${bytes} bytes in UTF-8; at most ${MAX_COMMENT_BYTES} are allowed`);
    // eslint-disable-next-line no-control-regex
    else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udfff]/.test(comment))
      ctx.add(
        ["comment"],
        "must not contain control characters or emoji/other characters outside the Basic Multilingual Plane " +
          "(the API refuses special Unicode)",
      );
  }
}

function checkUrl(
  path: Path,
  text: string,
  schemes: string[],
  what: string,
  ctx: RuleContext,
): ReturnType<typeof parseUrl> {
  const url = parseUrl(text);
  if (!url) {
    ctx.add(path, `is not a valid URL (expected ${what})`);
    return null;
  }
  if (!schemes.includes(url.scheme)) {
    ctx.add(path, `uses ${url.scheme}://; ${what} must use ${schemes.join(", ")}`);
    return null;
  }
  return url;
}

function checkSourceUrl(path: Path, text: string, type: string | undefined, ctx: RuleContext): void {
  const url = checkUrl(path, text, SOURCE_SCHEMES, "a source URL", ctx);
  if (!url) return;
  const priv = privateHostReason(url.host);
  if (priv) return ctx.add(path, `host ${url.host} is ${priv}; the API pulls only from public hosts`);
  if (type === VOD) {
    const ext = extensionOf(url.path);
    if (ext && !VOD_EXTENSIONS.includes(ext))
      ctx.warn(path, `the name ends in .${ext}: the API plays flv, mp4 and HLS files; fine if this URL serves one`);
  }
}

function sourceRules(t: Record<string, unknown>, type: string | undefined, ctx: RuleContext): void {
  if (!Array.isArray(t.sourceUrls)) return;
  const urls = t.sourceUrls;
  if (type === LIVE && urls.length !== 1)
    ctx.add(["sourceUrls"], `a live source (PullLivePushLive) takes exactly 1 URL, not ${urls.length}`);
  // No model states a count for pictures (only "live: 1, VOD: up to 30"): a warning, not a refusal.
  else if (type === "PullPicPushLive" && urls.length > 1)
    ctx.warn(["sourceUrls"], `${urls.length} URLs for a picture source: the API documents no count for ` +
      "PullPicPushLive (live takes 1, video files up to 30); a picture task pushes one picture");
  else if (type === VOD && urls.length > MAX_VOD_URLS)
    ctx.add(["sourceUrls"], `video files (PullVodPushLive) take 1 to ${MAX_VOD_URLS} URLs, not ${urls.length}`);
  urls.forEach((u, i) => {
    const text = str(u);
    if (text !== undefined) checkSourceUrl(["sourceUrls", i], text, type, ctx);
  });
}

const TRIPLE = ["domainName", "appName", "streamName"] as const;

function destinationRules(t: Record<string, unknown>, ctx: RuleContext): void {
  const toUrl = t.toUrl;
  const given = TRIPLE.filter((k) => present(t[k]));
  if (anyUnknown(toUrl, ...TRIPLE.map((k) => t[k]))) {
    // decided once the values are known
  } else if (present(toUrl) && given.length > 0) {
    ctx.add(
      ["toUrl"],
      "give the destination either as toUrl or as domainName/appName/streamName, " +
        `not both (also set: ${given.join(", ")})`,
    );
  } else if (!present(toUrl) && given.length === 0) {
    ctx.add(["toUrl"], "a destination is required: set domainName, appName and streamName, or toUrl");
  } else if (!present(toUrl) && given.length < 3) {
    for (const k of TRIPLE)
      if (!given.includes(k))
        ctx.add([k], `is required with ${given.join(" and ")} (the destination is domainName/appName/streamName)`);
  }
  const to = str(toUrl);
  if (to !== undefined) checkUrl(["toUrl"], to, DESTINATION_SCHEMES, "the destination URL", ctx);
}

function timeRules(t: Record<string, unknown>, ctx: RuleContext): void {
  const hasSchedule = present(t.schedule);
  for (const key of ["startTime", "endTime"]) {
    if (anyUnknown(t.schedule, t[key])) continue;
    if (hasSchedule && present(t[key]))
      ctx.add([key], "cannot be set together with schedule (schedule sets startTime and endTime)");
    else if (!hasSchedule && !present(t[key])) ctx.add([key], "is required (or set schedule for a rolling window)");
  }
  if (hasSchedule && t.schedule !== UNKNOWN) return scheduleRules(t.schedule, ctx.maxSpanMs ?? MAX_TASK_SPAN_MS, ctx);
  const times: Record<string, number | undefined> = {};
  for (const key of ["startTime", "endTime"]) {
    const text = str(t[key]);
    if (text === undefined) continue;
    const ms = parseTime(text);
    if (ms === null) {
      ctx.add([key], "is not a valid date-time (check the month, day, hour and offset), e.g. 2026-01-08T10:00:00Z");
      continue;
    }
    times[key] = ms;
    // Create needs only EndTime after now (a task may start at once); Modify needs every time it
    // sends after now. `sent` is undefined for a new task and lists the changed fields otherwise.
    const mustBeFuture = ctx.sent ? ctx.sent.has(key) : key === "endTime";
    if (mustBeFuture && ms <= ctx.now)
      ctx.add(
        [key],
        `${canonicalTime(text)} is not in the future; the API needs ${key} later than now when it is sent` +
          (key === "endTime" ? `; ${ENDED_ADVICE}` : ""),
      );
    // A task judged as existing (an update sending other fields, `validate` without --assume-new)
    // may have ended: accepted, since nothing sends that time, but the task cannot come back as is.
    else if (key === "endTime" && ms <= ctx.now)
      ctx.warn(
        [key],
        `${canonicalTime(text)} has passed: the task has ended, and the API refuses to create a task ` +
          `whose endTime has passed (a new task, a replacement, or a re-creation after it expired); ${ENDED_ADVICE}`,
      );
  }
  const { startTime: start, endTime: end } = times;
  if (start === undefined || end === undefined) return;
  const maxSpan = ctx.maxSpanMs ?? MAX_TASK_SPAN_MS;
  const days = `${((end - start) / DAY_MS).toFixed(2)} days`;
  if (end <= start) ctx.add(["endTime"], "must be later than startTime");
  else if (end - start >= maxSpan)
    ctx.add(
      ["endTime"],
      `must be less than ${maxSpan / DAY_MS} days after startTime (it is ${days}; ` +
        `${MAX_TASK_SPAN_SETTING} sets the limit, 30 by default, at most 30); use schedule for a rolling window`,
    );
  else {
    const warning = spanWarning(end - start, maxSpan, `endTime is ${days} after startTime`);
    if (warning) ctx.warn(["endTime"], warning);
  }
}

function scheduleRules(schedule: unknown, maxSpan: number, ctx: RuleContext): void {
  if (schedule === null || typeof schedule !== "object") return;
  const s = schedule as Record<string, unknown>;
  const w = str(s.window);
  const r = str(s.renewBefore);
  const window = w === undefined ? null : parseDuration(w);
  const renew = r === undefined ? null : parseDuration(r);
  if (window !== null && window < 60_000) ctx.add(["schedule", "window"], "must be at least 1 minute");
  // Accepted (the rolling schedule caps it just under the limit), but not what the user asked for.
  else if (window !== null && window > maxSpan)
    ctx.warn(
      ["schedule", "window"],
      `${w} is above the span limit of ${maxSpan / DAY_MS} days: each window is capped just under it; ` +
        `shorten window, or raise the limit with ${MAX_TASK_SPAN_SETTING}, at most 30, ` +
        "if the account accepts longer tasks",
    );
  else if (window !== null) {
    const warning = spanWarning(window, maxSpan, `a window of ${w}`);
    if (warning) ctx.warn(["schedule", "window"], warning);
  }
  if (renew !== null && renew <= 0) ctx.add(["schedule", "renewBefore"], "must be longer than 0");
  else if (window !== null && renew !== null && renew >= Math.min(window, maxSpan))
    ctx.add(
      ["schedule", "renewBefore"],
      `must be shorter than window (and than ${maxSpan / DAY_MS} days), or every run would renew`,
    );
}

function callbackRules(t: Record<string, unknown>, ctx: RuleContext): void {
  const url = str(t.callbackUrl);
  if (url !== undefined) checkUrl(["callbackUrl"], url, ["http", "https"], "the callback URL", ctx);
}

function backupRules(t: Record<string, unknown>, type: string | undefined, ctx: RuleContext): void {
  const hasType = present(t.backupSourceType);
  const hasUrl = present(t.backupSourceUrl);
  if (anyUnknown(t.backupSourceType, t.backupSourceUrl)) {
    // decided once the values are known
  } else if (hasType && !hasUrl) ctx.add(["backupSourceUrl"], "is required with backupSourceType");
  else if (hasUrl && !hasType)
    ctx.add(["backupSourceType"], "is required with backupSourceUrl (PullLivePushLive or PullVodPushLive)");
  // The API accepts it and documents that it "only takes effect when the primary is live".
  if ((hasType || hasUrl) && type !== undefined && type !== LIVE && !anyUnknown(t.backupSourceType, t.backupSourceUrl))
    ctx.warn(
      [hasType ? "backupSourceType" : "backupSourceUrl"],
      "has no effect: the API uses a backup source only with a live primary source " +
        `(sourceType PullLivePushLive), not ${type}`,
    );
  const url = str(t.backupSourceUrl);
  if (url !== undefined) checkSourceUrl(["backupSourceUrl"], url, str(t.backupSourceType), ctx);
  const to = str(t.backupToUrl);
  if (to !== undefined) checkUrl(["backupToUrl"], to, DESTINATION_SCHEMES, "the backup destination URL", ctx);
  // "" is the API's "no pad file".
  const pad = str(t.backupVodUrl);
  if (pad !== undefined && pad !== "") checkSourceUrl(["backupVodUrl"], pad, VOD, ctx);
}

function watermarkRules(t: Record<string, unknown>, ctx: RuleContext): void {
  if (!Array.isArray(t.watermarkList)) return;
  const usedAt = new Map<number, number>();
  t.watermarkList.forEach((w, i) => {
    if (w === null || typeof w !== "object") return;
    const wm = w as Record<string, unknown>;
    const location = int(wm.location);
    if (location !== undefined) {
      const first = usedAt.get(location);
      if (first !== undefined)
        ctx.add(
          ["watermarkList", i, "location"],
          `location ${location} is already used by watermarkList[${first}]; each watermark needs its own location`,
        );
      else usedAt.set(location, i);
    }
    const pic = str(wm.pictureUrl);
    if (pic === undefined) return;
    const path = ["watermarkList", i, "pictureUrl"];
    const bad = [...PICTURE_FORBIDDEN].filter((c) => pic.includes(c));
    if (bad.length)
      return ctx.add(path, `must not contain ${bad.join(" ")} (the API refuses ${[...PICTURE_FORBIDDEN].join(" ")})`);
    const url = checkUrl(path, pic, ["http", "https"], "a watermark picture URL", ctx);
    pictureFormatRule(path, url ? extensionOf(url.path) : "", ctx);
  });
}

/** `sent` lists what an update's Modify sends; without it the task is created (Create takes gif). */
function pictureFormatRule(path: Path, ext: string, ctx: RuleContext): void {
  if (ANIMATED_PICTURE_EXTENSIONS.includes(ext)) {
    if (ctx.sent?.has("watermarkList"))
      ctx.add(path, `must not be an animated picture (.${ext}) in an update: ModifyLivePullStreamTask takes no ` +
        "animated watermarks (Create does); use a PNG or JPG, or replace the task");
    else if (!ctx.sent)
      ctx.warn(path, `.${ext}: Create takes animated pictures, but a later change of watermarkList (a Modify) ` +
        "refuses them while this one stays in the list");
  } else if (UNLISTED_PICTURE_EXTENSIONS.includes(ext))
    ctx.warn(path, `.${ext} is not a format the API lists (png, jpg; Create also gif): it may be refused at apply`);
}

// The VOD-only fields are accepted for live and picture sources too: the API documents them as
// "valid only if the source is video files" (ignored otherwise), not as an error, and refusing
// them would make check stricter than the API it guards (see the differential test).
function vodRules(t: Record<string, unknown>, ctx: RuleContext): void {
  const fileIndex = int(t.fileIndex);
  if (fileIndex !== undefined && Array.isArray(t.sourceUrls) && fileIndex > t.sourceUrls.length)
    ctx.add(["fileIndex"], `is ${fileIndex} but sourceUrls has only ${t.sourceUrls.length} URL(s)`);
  // "Used together with FileIndex" says what it means, not that the API refuses it alone.
  if (known(t.offsetTime) && !present(t.fileIndex))
    ctx.warn(["offsetTime"], "is used with fileIndex (the file the offset applies to): without it the API " +
      "documents no effect");
}
