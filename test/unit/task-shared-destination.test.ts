// The pure decision behind Create's shared-destination refusal (provider/task/shared-destination.ts):
// which listed tasks push a stream of the program's and can still push, and what the refusal says.
import { describe, expect, it } from "vitest";
import type { TaskInfo } from "../../provider/task/requests";
import { canStillPush, refusal, rivals, rowDestinations, sharesDestination } from "../../provider/task/shared-destination";
import type { TaskInputs } from "../../provider/task/types";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const program: TaskInputs = {
  sourceType: "PullLivePushLive",
  sourceUrls: ["rtmp://origin.example.com/live/cam1"],
  domainName: "push.example.com",
  appName: "live",
  streamName: "studio",
  startTime: "2026-12-07T13:00:00Z",
  endTime: "2026-12-09T13:00:00Z",
};
const row = (over: Partial<TaskInfo> = {}): TaskInfo => ({
  TaskId: "t1",
  SourceType: "PullLivePushLive",
  DomainName: "push.example.com",
  AppName: "live",
  StreamName: "studio",
  StartTime: "2026-12-07T10:00:00Z",
  EndTime: "2026-12-08T10:00:00Z",
  Status: "enable",
  CreateBy: "pulumi",
  UpdateBy: "pulumi",
  Comment: "",
  BackupToUrl: "",
  ...over,
});

describe("rivals: tasks pushing a stream of the program's that can still push", () => {
  it("the same domain/app/stream (the domain in any case) is a rival; another stream, app or domain is not", () => {
    expect(rivals(program, [row({ DomainName: "PUSH.example.com" })], NOW).map((r) => r.TaskId)).toEqual(["t1"]);
    expect(rivals(program, [row({ StreamName: "other" }), row({ AppName: "vod" }), row({ DomainName: "b.example.com" })], NOW)).toEqual([]);
  });

  it("a toUrl and a listed domain/app/stream of one stream match, query and scheme aside", () => {
    const viaUrl = { ...program, domainName: undefined, appName: undefined, streamName: undefined, toUrl: "rtmps://push.example.com/live/studio?txSecret=abc&txTime=1" };
    expect(rivals(viaUrl, [row()], NOW)).toHaveLength(1);
  });

  it("backupToUrl counts on both sides: a task's second push to our stream, our second push to its stream", () => {
    const elsewhere = row({ StreamName: "other", BackupToUrl: "rtmp://push.example.com/live/studio" });
    expect(rivals(program, [elsewhere], NOW)).toHaveLength(1);
    const ours = { ...program, streamName: "mine", backupToUrl: "rtmp://push.example.com/live/studio" };
    expect(rivals(ours, [row()], NOW)).toHaveLength(1);
  });

  it("a task created with ToUrl shows no primary destination: only its BackupToUrl can be compared", () => {
    expect(rowDestinations(row({ DomainName: "", AppName: "", StreamName: "" }))).toEqual(new Set());
    expect(rivals(program, [row({ DomainName: "", AppName: "", StreamName: "" })], NOW)).toEqual([]);
  });

  it("an ended task, or one whose window does not overlap the program's, cannot push with it; a paused one can", () => {
    expect(canStillPush(row({ EndTime: "2026-12-07T11:59:59Z" }), program, NOW)).toBe(false);
    expect(canStillPush(row({ StartTime: "2026-12-07T09:00:00Z", EndTime: "2026-12-07T13:00:00Z" }), program, NOW)).toBe(false);
    expect(canStillPush(row({ StartTime: "2026-12-09T13:00:00Z", EndTime: "2026-12-10T13:00:00Z" }), program, NOW)).toBe(false);
    expect(canStillPush(row({ StartTime: "2026-12-09T12:59:59Z", EndTime: "2026-12-10T13:00:00Z" }), program, NOW)).toBe(true);
    expect(canStillPush(row({ Status: "pause" }), program, NOW)).toBe(true);
    // Times it cannot read: counted as pushing (the safe side is a refusal, which writes nothing).
    expect(canStillPush(row({ StartTime: undefined, EndTime: "garbage" }), program, NOW)).toBe(true);
  });

  it("one row per task", () => {
    expect(rivals(program, [row(), row()], NOW)).toHaveLength(1);
  });
});

describe("the refusal", () => {
  it("names the field, the task, who made it, its comment, and both ways out", () => {
    const text = refusal(program, [row({ TaskId: "1000042", CreateBy: "ops-console", UpdateBy: "alice", Comment: "lobby", Status: "pause" })]);
    expect(text).toContain("domainName/appName/streamName: push.example.com/live/studio is already pushed by task 1000042");
    expect(text).toContain('paused (one Modify enables it)');
    expect(text).toContain('created by "ops-console"');
    expect(text).toContain('last changed by "alice"');
    expect(text).toContain('comment "lobby"');
    expect(text).toContain("`adoptTaskId: 1000042`");
    expect(text).toContain("`allowSharedDestination: true`");
    // The common cause in a tasks file: a renamed key (program/renamed-from.ts).
    expect(text).toContain("`renamedFrom: <old key>` in a tasks file");
    expect(text).toMatch(/deleted moments ago.*run the command again/);
  });

  it("names toUrl or backupToUrl when that is the program's field, and masks auth values", () => {
    const viaUrl = { ...program, domainName: undefined, appName: undefined, streamName: undefined, toUrl: "rtmp://push.example.com/live/studio?txSecret=abc" };
    expect(refusal(viaUrl, [row()])).toMatch(/^toUrl: push\.example\.com\/live\/studio is already pushed/);
    const backup = { ...program, streamName: "mine", backupToUrl: "rtmp://push.example.com/live/studio" };
    expect(refusal(backup, [row()])).toMatch(/^backupToUrl: /);
    const secretComment = refusal(program, [row({ Comment: "see rtmp://x.example.com/a/b?txSecret=s3cr3t" })]);
    expect(secretComment).not.toContain("s3cr3t");
  });

  it("allowSharedDestination: true is the opt-out; anything else is not", () => {
    expect(sharesDestination({ ...program, allowSharedDestination: true })).toBe(true);
    expect(sharesDestination({ ...program, allowSharedDestination: false })).toBe(false);
    expect(sharesDestination(program)).toBe(false);
  });
});
