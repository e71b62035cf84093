// Business rules of Create/Modify, each raising the error code Tencent documents for it.
// Pure functions: the caller passes the clock reading.
import { isIP } from "node:net";
import { ErrorCode, fail } from "./errors";

export const SOURCE_TYPES = ["PullLivePushLive", "PullVodPushLive", "PullPicPushLive"] as const;
export const BACKUP_SOURCE_TYPES = ["PullLivePushLive", "PullVodPushLive"];
export const CALLBACK_EVENTS = [
  "TaskStart",
  "TaskExit",
  "VodSourceFileStart",
  "VodSourceFileFinish",
  "ResetTaskConfig",
  "TaskAlarm",
];
export const VOD_REFRESH_TYPES = ["ImmediateNewSource", "ContinueBreakPoint"];
export const STATUSES = ["enable", "pause"];
/**
 * The seed page and Describe's text: start and end "must be less than seven days apart"; Create's
 * and Modify's EndTime in the newest model: "less than 30 days". Accounts differ, so the emulator
 * takes the limit as an option (--max-task-span-days), 30 by default (the newest model), at most 30.
 */
export const DEFAULT_MAX_TASK_SPAN_DAYS = 30;
export const MAX_TASK_SPAN_DAYS_LIMIT = 30;
const DAY = 86_400_000;
export const MAX_VOD_URLS = 30;
export const MAX_COMMENT_BYTES = 512;
export const MAX_WATERMARKS = 4;

const SOURCE_PROTOCOLS = ["http:", "https:", "rtmp:", "rtmps:", "rtsp:", "srt:"];
const TO_URL_PROTOCOLS = ["rtmp:", "rtmps:", "rtsp:", "rtp:", "srt:"];
const HTTP_PROTOCOLS = ["http:", "https:"];
/**
 * Create: "supported picture formats: png, jpg, gif, etc."; Modify: "png, jpg, etc.", "animated
 * watermarks are not supported yet" (newest model). Only Modify refuses a picture, and only an
 * animated one; "etc." refuses no other format.
 */
const ANIMATED_PICTURE_FORMATS = [".gif", ".apng"];
// Characters the watermark documentation forbids in PictureUrl.
const WATERMARK_FORBIDDEN = /[;(){}$>`#"'|]/;
const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export function oneOf(name: string, value: string, allowed: readonly string[]): void {
  if (!allowed.includes(value)) {
    fail(ErrorCode.InvalidParameterValue, `${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  }
}

function parseUrl(value: string): URL | undefined {
  if (/\s/.test(value)) return undefined;
  try {
    const u = new URL(value);
    return u.hostname ? u : undefined;
  } catch {
    return undefined;
  }
}

function privateIpv4(a: number, b: number): boolean {
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // shared address space (carrier-grade NAT)
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

/**
 * Private, loopback, link-local and unspecified hosts: Tencent's docs say pull addresses on internal
 * networks are refused. IPv4-mapped IPv6 (::ffff:10.0.0.1, which URL parsing writes as
 * ::ffff:a00:1) is judged by its IPv4 address so it cannot be used to slip past the check.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) {
    const [a, b] = host.split(".").map(Number);
    return privateIpv4(a, b);
  }
  if (isIP(host) === 6) {
    if (host === "::1" || host === "::") return true;
    const dotted = /^::ffff:(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
    if (dotted) return privateIpv4(Number(dotted[1]), Number(dotted[2]));
    const hex = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(host);
    if (hex) {
      const hi = parseInt(hex[1], 16);
      return privateIpv4(hi >> 8, hi & 255);
    }
    const first = parseInt(host.split(":")[0] || "0", 16);
    return (first & 0xfe00) === 0xfc00 /* fc00::/7 */ || (first & 0xffc0) === 0xfe80; /* fe80::/10 */
  }
  return false;
}

function extension(u: URL): string {
  const m = /\.[a-z0-9]+$/i.exec(u.pathname.slice(u.pathname.lastIndexOf("/") + 1));
  return m ? m[0].toLowerCase() : "";
}

/**
 * One source URL; `name` is the parameter path for the message.
 * The docs list the protocols; the file formats (flv, mp4, hls) are what the service plays, which
 * a URL's suffix does not show (`/play.php?id=1` may serve mp4), so no suffix is refused.
 */
export function checkSourceUrl(name: string, value: string): void {
  const bad = (why: string): never => fail(ErrorCode.InvalidSourceUrl, `${name} ${why}`);
  const u = parseUrl(value);
  if (!u) bad("is not an absolute URL with a host");
  const url = u as URL;
  if (!SOURCE_PROTOCOLS.includes(url.protocol)) {
    bad(`uses protocol ${url.protocol} (allowed: http, https, rtmp, rtmps, rtsp, srt)`);
  }
  if (isPrivateHost(url.hostname)) bad(`points at private-network host ${url.hostname}`);
}

export function checkSourceUrls(urls: string[], sourceType: string): void {
  const count = urls.length;
  if (sourceType === "PullVodPushLive") {
    if (count < 1 || count > MAX_VOD_URLS) {
      fail(
        ErrorCode.InvalidSourceUrl,
        `SourceUrls must hold 1..${MAX_VOD_URLS} URLs for PullVodPushLive, got ${count}`,
      );
    }
  } else if (sourceType === "PullLivePushLive" ? count !== 1 : count < 1 || count > MAX_VOD_URLS) {
    // Live: "only 1"; pictures: no count documented, so only the field's own bounds apply.
    const allowed = sourceType === "PullLivePushLive" ? "exactly 1 URL" : `1..${MAX_VOD_URLS} URLs`;
    fail(ErrorCode.InvalidSourceUrl, `SourceUrls must hold ${allowed} for ${sourceType}, got ${count}`);
  }
  urls.forEach((u, i) => checkSourceUrl(`SourceUrls.${i}`, u));
}

export function checkPushUrl(
  name: string,
  value: string,
  code: typeof ErrorCode.InvalidToUrl | typeof ErrorCode.InvalidBackupToUrl,
): void {
  const u = parseUrl(value);
  if (!u) fail(code, `${name} is not an absolute URL with a host`);
  if (!TO_URL_PROTOCOLS.includes(u.protocol)) {
    fail(code, `${name} uses protocol ${u.protocol} (allowed: rtmp, rtmps, rtsp, rtp, srt)`);
  }
}

export function checkCallbackUrl(value: string): void {
  if (value === "") return;
  const u = parseUrl(value);
  if (!u || !HTTP_PROTOCOLS.includes(u.protocol)) {
    fail(ErrorCode.InvalidCallbackUrl, "CallbackUrl must be an http or https URL");
  }
}

export function checkCallbackEvents(events: string[]): void {
  events.forEach((e, i) => oneOf(`CallbackEvents.${i}`, e, CALLBACK_EVENTS));
}

/** Parses `YYYY-MM-DDTHH:MM:SSZ` (UTC); anything else is InvalidTaskTime. */
export function parseTaskTime(name: string, value: string): number {
  const m = TIME_PATTERN.exec(value);
  const ms = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) + "Z" !== value) {
    fail(
      ErrorCode.InvalidTaskTime,
      `${name} must be a UTC time like 2019-01-08T10:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/**
 * `start`/`end` are the task's effective times; `mustBeFuture` names the ones that have to be
 * later than now (Create: EndTime; Modify: the times sent).
 */
export function checkTaskTimes(
  start: string,
  end: string,
  nowMs: number,
  mustBeFuture: ("StartTime" | "EndTime")[],
  maxSpanDays = DEFAULT_MAX_TASK_SPAN_DAYS,
): void {
  const startMs = parseTaskTime("StartTime", start);
  const endMs = parseTaskTime("EndTime", end);
  if (endMs <= startMs) fail(ErrorCode.InvalidTaskTime, `EndTime ${end} must be later than StartTime ${start}`);
  const now = new Date(nowMs).toISOString().slice(0, 19) + "Z";
  for (const name of mustBeFuture) {
    const ms = name === "StartTime" ? startMs : endMs;
    if (ms <= nowMs) {
      fail(ErrorCode.InvalidTaskTime, `${name} ${name === "StartTime" ? start : end} must be later than now (${now})`);
    }
  }
  if (endMs - startMs >= maxSpanDays * DAY) {
    fail(ErrorCode.InvalidTaskTime, `EndTime must be less than ${maxSpanDays} days after StartTime`);
  }
}

export function checkVodLoopTimes(name: string, value: number): void {
  if (value < -1) {
    fail(ErrorCode.InvalidParameterValue, `${name} must be -1 (forever), 0 (once) or a positive count, got ${value}`);
  }
}

const INT64_MAX = 2n ** 63n - 1n;

/** Create sends VodLoopTimes as a string holding an integer (Int64 in Modify and Describe). */
export function parseVodLoopTimesString(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || BigInt(value) > INT64_MAX) {
    fail(
      ErrorCode.InvalidParameterValue,
      `VodLoopTimes must be a string holding an integer, got ${JSON.stringify(value)}`,
    );
  }
  checkVodLoopTimes("VodLoopTimes", n);
  return n;
}

/** Control characters and characters outside the Basic Multilingual Plane (emoji): "no special Unicode". */
// eslint-disable-next-line no-control-regex
const SPECIAL_UNICODE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udfff]/;

export function checkComment(value: string): void {
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > MAX_COMMENT_BYTES) {
    fail(ErrorCode.InvalidParameterValue, `Comment must be at most ${MAX_COMMENT_BYTES} bytes, got ${bytes}`);
  }
  if (SPECIAL_UNICODE.test(value)) {
    fail(
      ErrorCode.InvalidParameterValue,
      "Comment must not contain control characters or characters outside the Basic Multilingual Plane",
    );
  }
}

export function checkFileIndex(fileIndex: number, urlCount: number): void {
  if (fileIndex < 1 || fileIndex > urlCount) {
    fail(
      ErrorCode.InvalidParameterValue,
      `FileIndex must be between 1 and the number of SourceUrls (${urlCount}), got ${fileIndex}`,
    );
  }
}

// "Used together with FileIndex" (Create and Modify) describes it; no text refuses it alone.
export function checkOffsetTime(offset: number): void {
  if (offset < 0) fail(ErrorCode.InvalidParameterValue, `OffsetTime must be 0 or more seconds, got ${offset}`);
}

export interface WatermarkInfo {
  PictureUrl: string;
  XPosition: number;
  YPosition: number;
  Width: number;
  Height: number;
  Location: number;
}

export function checkWatermarks(list: WatermarkInfo[], action: "Create" | "Modify"): void {
  const bad = (why: string): never => fail(ErrorCode.InvalidWatermark, why);
  if (list.length > MAX_WATERMARKS) bad(`WatermarkList holds at most ${MAX_WATERMARKS} watermarks, got ${list.length}`);
  const seen = new Set<number>();
  list.forEach((w, i) => {
    const name = `WatermarkList.${i}`;
    const u = parseUrl(w.PictureUrl);
    if (!u || !HTTP_PROTOCOLS.includes(u.protocol)) bad(`${name}.PictureUrl must be an http or https URL`);
    if (WATERMARK_FORBIDDEN.test(w.PictureUrl)) bad(`${name}.PictureUrl must not contain any of ;(){}$>\`#"'|`);
    if (action === "Modify" && u && ANIMATED_PICTURE_FORMATS.includes(extension(u))) {
      bad(`${name}.PictureUrl: animated watermarks (${extension(u)}) are not supported by Modify`);
    }
    if (![0, 1, 2, 3].includes(w.Location)) bad(`${name}.Location must be 0, 1, 2 or 3, got ${w.Location}`);
    if (seen.has(w.Location)) bad(`${name}.Location ${w.Location} is already used by another watermark`);
    seen.add(w.Location);
    for (const k of ["XPosition", "YPosition"] as const) {
      if (w[k] < 0 || w[k] > 100) bad(`${name}.${k} is a percentage 0..100, got ${w[k]}`);
    }
    // Width and Height are percent of the live video's frame; the documents set no upper bound.
    for (const k of ["Width", "Height"] as const) {
      if (w[k] < 0) bad(`${name}.${k} must be 0 or more percent, got ${w[k]}`);
    }
  });
}
