// The policy pack's rules (policy/): pure functions of a task's inputs and the rule's config. Each
// rule is shown passing and failing; messages name the resource, the field and the fix, masked.
import { describe, expect, it } from "vitest";
import { BACKUP_DEFAULTS, checkBackup } from "../../policy/backup";
import { CALLBACKS_DEFAULTS, checkCallbacks, stackMatches } from "../../policy/callbacks";
import { checkHosts, hostAllowed, HOSTS_DEFAULTS } from "../../policy/hosts";
import { checkQuota } from "../../policy/quota";
import { checkWindow, WINDOW_DEFAULTS } from "../../policy/window";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const relay = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  sourceType: "PullLivePushLive",
  sourceUrls: ["rtmp://origin.example.com/live/a"],
  domainName: "push.example.com",
  appName: "live",
  streamName: "a",
  startTime: "2026-12-08T00:00:00Z",
  endTime: "2026-12-09T00:00:00Z",
  ...over,
});

describe("allowed-hosts", () => {
  it("matches exact hosts and *.domain subdomains only, case-insensitively", () => {
    expect(hostAllowed("Origin.Example.com", ["origin.example.com"])).toBe(true);
    expect(hostAllowed("a.cdn.example.com", ["*.cdn.example.com"])).toBe(true);
    expect(hostAllowed("cdn.example.com", ["*.cdn.example.com"])).toBe(false);
    expect(hostAllowed("evilcdn.example.com", ["*.cdn.example.com"])).toBe(false);
    expect(hostAllowed("origin.example.com.evil.net", ["origin.example.com"])).toBe(false);
  });

  it("empty lists restrict nothing", () => {
    expect(checkHosts("r", relay({ sourceUrls: ["rtmp://anything.net/x"] }), HOSTS_DEFAULTS)).toEqual([]);
  });

  it("passes allowed sources and destinations", () => {
    const config = { sourceHosts: ["origin.example.com", "cdn.example.com"], destinationDomains: ["push.example.com"] };
    const task = relay({ backupVodUrl: "https://cdn.example.com/pad.mp4", backupToUrl: "rtmp://push.example.com/live/b" });
    expect(checkHosts("r", task, config)).toEqual([]);
  });

  it("fails each source and destination field outside the lists, naming field, host and fix", () => {
    const config = { sourceHosts: ["origin.example.com"], destinationDomains: ["push.example.com"] };
    const task = relay({
      sourceUrls: ["rtmp://evil.net/live/a?txSecret=abc"],
      backupSourceUrl: "rtmp://evil2.net/x",
      backupVodUrl: "https://pad.net/p.mp4",
      domainName: "other.com",
      backupToUrl: "rtmp://other2.com/live/b",
    });
    const v = checkHosts("relay", task, config);
    expect(v.map((x) => x.field)).toEqual(["sourceUrls[0]", "backupSourceUrl", "backupVodUrl", "domainName", "backupToUrl"]);
    expect(v[0].message).toMatch(/^relay: sourceUrls\[0\] pulls from evil\.net, .*add evil\.net to sourceHosts/);
    expect(v[3].message).toMatch(/pushes to other\.com.*destinationDomains/);
    expect(checkHosts("r", relay({ toUrl: "rtmp://x.org/l/s", domainName: undefined }), config)[0].field).toBe("toUrl");
  });
});

describe("live-backup", () => {
  it("passes a live relay with a backup source, or a pad file when that suffices, and non-live tasks", () => {
    expect(checkBackup("r", relay({ backupSourceType: "PullLivePushLive", backupSourceUrl: "rtmp://b/x" }), BACKUP_DEFAULTS)).toEqual([]);
    expect(checkBackup("r", relay({ backupVodUrl: "https://cdn/pad.mp4" }), BACKUP_DEFAULTS)).toEqual([]);
    expect(checkBackup("r", relay({ sourceType: "PullVodPushLive" }), BACKUP_DEFAULTS)).toEqual([]);
  });

  it("fails a live relay without either, and a pad file alone when padFileSuffices is false", () => {
    const [v] = checkBackup("relay", relay(), BACKUP_DEFAULTS);
    expect(v.message).toMatch(/^relay: backupSourceUrl is not set on a live relay.*backupVodUrl \(a pad file\)$/);
    expect(checkBackup("r", relay({ backupVodUrl: "https://cdn/pad.mp4" }), { padFileSuffices: false })).toHaveLength(1);
    expect(checkBackup("r", relay({ backupVodUrl: "" }), BACKUP_DEFAULTS)).toHaveLength(1);
  });
});

describe("task-window", () => {
  it("passes a window within maxDays that has not ended, and a short schedule", () => {
    expect(checkWindow("r", relay(), WINDOW_DEFAULTS, NOW)).toEqual([]);
    expect(checkWindow("r", relay({ schedule: { window: "2d", renewBefore: "1d" } }), { maxDays: 2 }, NOW)).toEqual([]);
  });

  it("fails a window longer than maxDays (fixed or a schedule's) and one that has ended", () => {
    const long = checkWindow("relay", relay({ endTime: "2026-12-11T12:00:00Z" }), { maxDays: 2 }, NOW);
    expect(long.map((v) => v.message)).toEqual([expect.stringMatching(/^relay: endTime is 3\.5 days after startTime, longer than task-window\.maxDays \(2\)/)]);
    const sched = checkWindow("r", relay({ schedule: { window: "3d", renewBefore: "1d" } }), { maxDays: 2 }, NOW);
    expect(sched[0].field).toBe("schedule.window");
    const ended = checkWindow("r", relay({ startTime: "2026-12-01T00:00:00Z", endTime: "2026-12-07T11:59:59Z" }), WINDOW_DEFAULTS, NOW);
    expect(ended.map((v) => v.message)).toEqual([expect.stringMatching(/endTime 2026-12-07T11:59:59Z has passed.*move startTime and endTime/)]);
  });
});

describe("production-callbacks", () => {
  it("knows production stacks by pattern", () => {
    expect(stackMatches("prod", CALLBACKS_DEFAULTS.productionStacks)).toBe(true);
    expect(stackMatches("prod-eu", CALLBACKS_DEFAULTS.productionStacks)).toBe(true);
    expect(stackMatches("eu-prod", CALLBACKS_DEFAULTS.productionStacks)).toBe(true);
    expect(stackMatches("product", CALLBACKS_DEFAULTS.productionStacks)).toBe(false);
    expect(stackMatches("dev", CALLBACKS_DEFAULTS.productionStacks)).toBe(false);
  });

  it("passes off production, and on production with callbackUrl and the required events", () => {
    expect(checkCallbacks("r", relay(), CALLBACKS_DEFAULTS, "dev")).toEqual([]);
    const c = { ...CALLBACKS_DEFAULTS, requiredEvents: ["TaskExit"] };
    expect(checkCallbacks("r", relay({ callbackUrl: "https://h/x" }), c, "prod")).toEqual([]);
    expect(checkCallbacks("r", relay({ callbackUrl: "https://h/x", callbackEvents: ["TaskExit"] }), c, "prod")).toEqual([]);
  });

  it("fails production without callbackUrl, or with callbackEvents leaving out a required event", () => {
    expect(checkCallbacks("relay", relay(), CALLBACKS_DEFAULTS, "prod")[0].message)
      .toMatch(/^relay: callbackUrl is not set on production stack prod; set callbackUrl/);
    const c = { ...CALLBACKS_DEFAULTS, requiredEvents: ["TaskExit", "TaskAlarm"] };
    const [v] = checkCallbacks("r", relay({ callbackUrl: "https://h/x", callbackEvents: ["TaskExit"] }), c, "prod");
    expect(v.field).toBe("callbackEvents");
    expect(v.message).toMatch(/leaves out TaskAlarm/);
  });
});

describe("max-tasks", () => {
  it("passes up to maxTasks and fails beyond, saying how many to remove", () => {
    expect(checkQuota(["a", "b"], { maxTasks: 2 })).toEqual([]);
    expect(checkQuota(["a", "b", "c"], { maxTasks: 2 })[0].message).toMatch(/declares 3 tasks, more than max-tasks\.maxTasks \(2\); remove 1/);
  });
});
