// fast-check generators of task configs, written from the API reference (css-api.md), not from
// the validator: a valid base config, and one named mutation per documented rule that makes it
// invalid. Each mutation says which properties a correct rejection may name, so a test can check
// that the failure points at the right field, not just that something failed.
import fc from "fast-check";
import { iso } from "../../support/time";

export const LIVE = "PullLivePushLive";
export const VOD = "PullVodPushLive";
export const CALLBACK_EVENTS = ["TaskStart", "TaskExit", "VodSourceFileStart", "VodSourceFileFinish", "ResetTaskConfig", "TaskAlarm"];
const HOUR = 3600_000;
const DAY = 24 * HOUR;

export type Config = Record<string, any>;
export interface Mutation {
  rule: string;
  /** top-level properties a failure for this rule may be reported on */
  fields: string[];
  apply: (c: Config) => Config;
}

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const publicHost = fc.constantFrom("src.example.com", "cdn.example.net", "media.example.org", "live.example.com");

export const liveUrl = fc
  .tuple(fc.constantFrom("http", "https"), publicHost, word, fc.constantFrom("flv", "m3u8"))
  .map(([s, h, n, e]) => `${s}://${h}/live/${n}.${e}`);
export const vodUrl = fc
  .tuple(fc.constantFrom("http", "https"), publicHost, word)
  .map(([s, h, n]) => `${s}://${h}/vod/${n}.mp4`);
const pictureUrl = word.map((n) => `https://img.example.com/wm/${n}.png`);

const watermarks = fc
  .shuffledSubarray([0, 1, 2, 3], { minLength: 0, maxLength: 4 })
  .chain((locs) =>
    fc.tuple(...locs.map((location) =>
      fc.record({
        pictureUrl,
        xPosition: fc.integer({ min: 0, max: 100 }),
        yPosition: fc.integer({ min: 0, max: 100 }),
        width: fc.integer({ min: 0, max: 100 }),
        height: fc.integer({ min: 0, max: 100 }),
        location: fc.constant(location),
      }))),
  );

/** A destination: DomainName/AppName/StreamName, or a ToUrl with auth parameters. */
const destination = fc.oneof(
  word.map((s) => ({ domainName: "push.example.com", appName: "live", streamName: `s-${s}` })),
  word.map((s) => ({ toUrl: `rtmp://push.example.com/live/${s}?txSecret=0123abcd&txTime=7FFFFFFF` })),
);

/** A config every documented rule accepts, with times relative to `now`. */
export function validConfig(now: number): fc.Arbitrary<Config> {
  const times = fc
    .tuple(fc.integer({ min: 10, max: 48 * 60 }), fc.integer({ min: 60, max: 6 * 24 * 60 }))
    .map(([startMin, spanMin]) => {
      const start = now + startMin * 60_000;
      return { startTime: iso(start), endTime: iso(start + spanMin * 60_000) };
    });
  const common = {
    comment: fc.option(fc.stringMatching(/^[A-Za-z0-9 _.-]{0,80}$/), { nil: undefined }),
    callbackEvents: fc.option(fc.subarray(CALLBACK_EVENTS, { minLength: 1 }), { nil: undefined }),
    callbackUrl: fc.option(word.map((w) => `https://hooks.example.com/${w}`), { nil: undefined }),
    watermarkList: fc.option(watermarks, { nil: undefined }),
  };
  const live = fc.record({
    sourceType: fc.constant(LIVE),
    sourceUrls: fc.tuple(liveUrl),
    backup: fc.option(
      fc.oneof(
        liveUrl.map((u) => ({ backupSourceType: LIVE, backupSourceUrl: u })),
        vodUrl.map((u) => ({ backupSourceType: VOD, backupSourceUrl: u })),
      ),
      { nil: undefined },
    ),
    ...common,
  });
  const vod = fc
    .record({
      sourceType: fc.constant(VOD),
      sourceUrls: fc.array(vodUrl, { minLength: 1, maxLength: 30 }),
      vodLoopTimes: fc.option(fc.integer({ min: -1, max: 100 }), { nil: undefined }),
      vodRefreshType: fc.option(fc.constantFrom("ImmediateNewSource", "ContinueBreakPoint"), { nil: undefined }),
      pick: fc.option(fc.tuple(fc.nat(), fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined })), { nil: undefined }),
      ...common,
    })
    .map(({ pick, ...c }) => {
      if (!pick) return c;
      const fileIndex = (pick[0] % c.sourceUrls.length) + 1;
      return pick[1] === undefined ? { ...c, fileIndex } : { ...c, fileIndex, offsetTime: pick[1] };
    });
  return fc.tuple(fc.oneof(live, vod), destination, times).map(([src, dest, t]) => {
    const { backup, ...rest } = src as Config;
    return dropUndefined({ ...rest, ...(backup ?? {}), ...dest, ...t });
  });
}

export function dropUndefined(c: Config): Config {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
}

const without = (c: Config, ...keys: string[]) => Object.fromEntries(Object.entries(c).filter(([k]) => !keys.includes(k)));
const m = (rule: string, fields: string[], apply: (c: Config) => Config): Mutation => ({ rule, fields, apply });

/** Values of the wrong JSON type for each field, by the field's documented type. */
const WRONG_TYPES: Record<string, unknown[]> = {
  sourceType: [1, true, ["PullLivePushLive"], null],
  sourceUrls: ["https://src.example.com/a.flv", 1, { 0: "x" }, [1], [null]],
  domainName: [1, ["push.example.com"]],
  appName: [false, 2],
  streamName: [3, {}],
  toUrl: [4, ["rtmp://push.example.com/live/s"]],
  startTime: [1700000000, true],
  endTime: [1700000000, []],
  comment: [5, ["c"]],
  callbackEvents: ["TaskStart", [1], {}],
  callbackUrl: [6, true],
  vodLoopTimes: ["3", 1.5, true],
  fileIndex: ["1", 1.5],
  offsetTime: ["10", 2.5],
  watermarkList: [{}, "x", [1], [{ pictureUrl: 1, xPosition: 0, yPosition: 0, width: 10, height: 10, location: 0 }]],
  vodLocalMode: ["0", 0.5],
  status: [1, true],
};

function mutations(now: number): fc.Arbitrary<Mutation>[] {
  const farPast = iso(now - 3 * HOUR);
  return [
    fc.constantFrom(...Object.keys(WRONG_TYPES)).chain((f) =>
      fc.constantFrom(...WRONG_TYPES[f]).map((v) => m(`wrong type for ${f}`, [f], (c) => ({ ...c, [f]: v })))),
    fc.tuple(fc.constantFrom("sourceType", "status", "vodRefreshType", "vodLocalMode", "backupSourceType"), word).map(([f, w]) =>
      m(`value outside the enum for ${f}`, f === "backupSourceType" ? [f, "backupSourceUrl", "sourceType"] : [f], (c) => ({
        ...c,
        [f]: f === "vodLocalMode" ? 2 + w.length : `Bad${w}`,
        ...(f === "backupSourceType" && c.sourceType === LIVE ? { backupSourceUrl: "https://src.example.com/b.flv" } : {}),
      }))),
    word.map((w) => m("callback event outside the list", ["callbackEvents"], (c) => ({ ...c, callbackEvents: ["TaskStart", `On${w}`] }))),
    fc.integer({ min: 2, max: 5 }).map((n) => m("live source with more than one URL", ["sourceUrls"], (c) => ({
      ...without(c, "fileIndex", "offsetTime", "vodLoopTimes", "vodRefreshType"), sourceType: LIVE,
      sourceUrls: Array.from({ length: n }, (_, i) => `https://src.example.com/live/s${i}.flv`),
    }))),
    fc.integer({ min: 31, max: 40 }).map((n) => m("VOD source with more than 30 URLs", ["sourceUrls"], (c) => ({
      ...without(c, "backupSourceType", "backupSourceUrl", "fileIndex", "offsetTime"), sourceType: VOD,
      sourceUrls: Array.from({ length: n }, (_, i) => `https://src.example.com/vod/f${i}.mp4`),
    }))),
    fc.constant(m("no source URL", ["sourceUrls"], (c) => ({ ...without(c, "fileIndex", "offsetTime"), sourceUrls: [] }))),
    fc.constantFrom("ftp", "file", "ws", "gopher", "mailto").map((s) => m(`source URL scheme ${s}`, ["sourceUrls"], (c) => ({
      ...c, sourceUrls: [`${s}://src.example.com/live/a.flv`, ...c.sourceUrls.slice(1)],
    }))),
    fc.constantFrom("10.1.2.3", "192.168.0.10", "172.16.5.4", "172.31.255.1", "127.0.0.1", "localhost", "169.254.169.254", "[::1]")
      .map((h) => m(`private source host ${h}`, ["sourceUrls"], (c) => ({
        ...c, sourceUrls: [`http://${h}/live/a.flv`, ...c.sourceUrls.slice(1)],
      }))),
    fc.constantFrom("http", "https", "ftp", "file").map((s) => m(`toUrl scheme ${s}`, ["toUrl"], (c) => ({
      ...without(c, "domainName", "appName", "streamName"), toUrl: `${s}://push.example.com/live/x`,
    }))),
    fc.constant(m("both destinations", ["toUrl", "domainName", "appName", "streamName"], (c) => ({
      ...c, domainName: "push.example.com", appName: "live", streamName: "both", toUrl: "rtmp://push.example.com/live/both",
    }))),
    fc.constantFrom("domainName", "appName", "streamName").map((drop) =>
      m(`no destination (${drop} missing, no toUrl)`, ["toUrl", "domainName", "appName", "streamName"], (c) => ({
        ...without(c, "toUrl", drop),
        ...Object.fromEntries(["domainName", "appName", "streamName"].filter((k) => k !== drop).map((k) => [k, c[k] ?? `v-${k}`])),
      }))),
    fc.constantFrom("2026-13-01T00:00:00Z", "yesterday", "2026-01-01 10:00", "", "2026-02-30T10:00:00Z").chain((bad) =>
      fc.constantFrom("startTime", "endTime").map((f) => m(`unparsable ${f}`, [f], (c) => ({ ...c, [f]: bad })))),
    fc.integer({ min: 0, max: 9 }).map((back) => m("end not after start", ["endTime", "startTime"], (c) => ({
      ...c, endTime: iso(Date.parse(c.startTime) - back * 60_000),
    }))),
    fc.integer({ min: 0, max: 30 * 24 * 60 }).map((extra) => m("span of 30 days or more", ["endTime", "startTime"], (c) => ({
      ...c, endTime: iso(Date.parse(c.startTime) + 30 * DAY + extra * 60_000),
    }))),
    fc.constant(m("end in the past", ["endTime", "startTime"], (c) => ({ ...c, startTime: iso(now - 5 * HOUR), endTime: farPast }))),
    // (A backup source on a VOD primary is no longer here: the API accepts it, check only warns.)
    // (A .gif/.webp/.svg watermark is no longer here: Create takes gif and "etc."; check warns.)
    fc.integer({ min: 5, max: 8 }).map((n) => m("more than 4 watermarks", ["watermarkList"], (c) => ({
      ...c, watermarkList: Array.from({ length: n }, (_, i) => ({ pictureUrl: `https://img.example.com/w${i}.png`, xPosition: 1, yPosition: 1, width: 10, height: 10, location: i % 4 })),
    }))),
    fc.integer({ min: 0, max: 3 }).map((loc) => m("two watermarks at one location", ["watermarkList"], (c) => ({
      ...c, watermarkList: [0, 1].map((i) => ({ pictureUrl: `https://img.example.com/w${i}.png`, xPosition: 1, yPosition: 1, width: 10, height: 10, location: loc })),
    }))),
    fc.constantFrom(4, 5, -1, 9).map((loc) => m(`watermark location ${loc}`, ["watermarkList"], (c) => ({
      ...c, watermarkList: [{ pictureUrl: "https://img.example.com/w.png", xPosition: 1, yPosition: 1, width: 10, height: 10, location: loc }],
    }))),
    fc.constantFrom(..."`;(){}$>#\"'|").map((ch) => m(`watermark URL with ${ch}`, ["watermarkList"], (c) => ({
      ...c, watermarkList: [{ pictureUrl: `https://img.example.com/w${ch}x.png`, xPosition: 1, yPosition: 1, width: 10, height: 10, location: 0 }],
    }))),
    fc.oneof(fc.constant(0), fc.integer({ min: -5, max: -1 }), fc.integer({ min: 1, max: 10 })).map((d) =>
      m("fileIndex outside sourceUrls", ["fileIndex"], (c) => ({
        ...without(c, "offsetTime"), fileIndex: d <= 0 ? d : c.sourceUrls.length + d,
      }))),
    // (offsetTime without fileIndex is no longer here: "used together with FileIndex" refuses nothing; check warns.)
    fc.oneof(
      fc.integer({ min: 513, max: 700 }).map((n) => "a".repeat(n)),
      fc.integer({ min: 172, max: 250 }).map((n) => "流".repeat(n)), // 3 bytes each: ≤ 512 characters, > 512 bytes
    ).map((s) => m("comment over 512 bytes", ["comment"], (c) => ({ ...c, comment: s }))),
    fc.constantFrom("sourceUrl", "toURL", "taskId2", "endtime", "SourceUrls", "watermarks").map((k) =>
      m(`unknown property ${k}`, [k], (c) => ({ ...c, [k]: "x" }))),
    fc.constantFrom("sourceType", "sourceUrls").map((k) => m(`missing ${k}`, [k], (c) => without(c, k))),
  ];
}

/** An invalid config: a valid one with one documented rule broken. */
export function invalidConfig(now: number): fc.Arbitrary<{ config: Config; mutation: Mutation }> {
  return fc.tuple(validConfig(now), fc.oneof(...mutations(now))).map(([c, mu]) => ({ config: mu.apply(c), mutation: mu }));
}

export const MUTATION_COUNT = (now: number) => mutations(now).length;
