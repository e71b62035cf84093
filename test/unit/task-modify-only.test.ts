// backupVodUrl (Modify-only, write-only) and restartTrigger (ours) in the pure core.
import { describe, expect, it } from "vitest";
import { asCreated, diffTask, fromTaskInfo, MODIFY_ONLY_FIELDS, normaliseInputs, toCreateRequest, toModifyRequest, validateTask, type TaskInfo, type TaskInputs } from "../../provider/task";
import { restartRequested } from "../../provider/followups";
import { liveTask, NOW } from "./task-fixtures";

const live = (over: Record<string, unknown> = {}): TaskInputs => normaliseInputs(liveTask(over));
const PAD = "https://cdn.example.com/pad.mp4";

describe("backupVodUrl", () => {
  it("is the one Modify-only field, never in a Create request", () => {
    expect(MODIFY_ONLY_FIELDS).toEqual(["backupVodUrl"]);
    expect(toCreateRequest(live({ backupVodUrl: PAD }), "s-1")).not.toHaveProperty("BackupVodUrl");
  });

  it("asCreated drops it, so the Modify after the Create carries it (with a pause, in one request)", () => {
    const wanted = live({ backupVodUrl: PAD, status: "pause", restartTrigger: "x" });
    const created = { ...asCreated(wanted), status: "enable" as const };
    expect(created).not.toHaveProperty("backupVodUrl");
    expect(created.restartTrigger).toBe("x");
    expect(toModifyRequest("t-1", created, wanted)).toEqual({ TaskId: "t-1", Operator: "pulumi", Status: "pause", BackupVodUrl: PAD });
    expect(toModifyRequest("t-1", { ...asCreated(live()), status: "enable" }, live())).toBeNull();
  });

  it("is changed in place and removed with the API's empty value", () => {
    expect(diffTask(live({ backupVodUrl: PAD }), live({ backupVodUrl: "https://cdn.example.com/b.flv" }))).toMatchObject({ changes: true, replaces: [] });
    expect(toModifyRequest("t-1", live({ backupVodUrl: PAD }), live())).toEqual({ TaskId: "t-1", Operator: "pulumi", BackupVodUrl: "" });
    expect(toModifyRequest("t-1", live({ backupVodUrl: PAD }), live({ backupVodUrl: "" }))).toEqual({ TaskId: "t-1", Operator: "pulumi", BackupVodUrl: "" });
    expect(diffTask(live({ backupVodUrl: "" }), live()).changes).toBe(false);
  });

  it("is carried from the previous inputs on read (Describe never returns it), as is restartTrigger", () => {
    const info: TaskInfo = { TaskId: "t-1", SourceType: "PullLivePushLive", SourceUrls: ["rtmp://origin.example.com/live/source"], DomainName: "push.example.com", AppName: "live", StreamName: "relay", StartTime: "2026-03-01T01:00:00Z", EndTime: "2026-03-02T00:00:00Z", Status: "enable" };
    const { inputs } = fromTaskInfo(info, live({ backupVodUrl: PAD, restartTrigger: "7" }));
    expect(inputs).toMatchObject({ backupVodUrl: PAD, restartTrigger: "7" });
    expect(fromTaskInfo(info).inputs).not.toHaveProperty("backupVodUrl");
  });

  it("is checked like a video file URL (a suffix only warns); the empty value passes", () => {
    const bad = (url: string) => validateTask(liveTask({ backupVodUrl: url }), { now: NOW }).map((f) => `${f.property}: ${f.reason}`);
    expect(bad(PAD)).toEqual([]);
    expect(bad("")).toEqual([]);
    expect(bad("https://cdn.example.com/signed?sign=abc")).toEqual([]);
    expect(bad("https://cdn.example.com/pad.avi")).toEqual([]);
    expect(bad("https://192.168.1.2/pad.mp4")).toEqual([expect.stringMatching(/^backupVodUrl: host 192\.168\.1\.2 is/)]);
    expect(bad("ftp://cdn.example.com/pad.mp4?sign=s3cr3t")[0]).not.toContain("s3cr3t");
  });
});

describe("restartTrigger", () => {
  it("is no API field: changing it is an in-place change and no Modify", () => {
    const d = diffTask(live({ restartTrigger: "1" }), live({ restartTrigger: "2" }));
    expect(d).toMatchObject({ changes: true, replaces: [], changed: ["restartTrigger"] });
    expect(toModifyRequest("t-1", live({ restartTrigger: "1" }), live({ restartTrigger: "2" }))).toBeNull();
    expect(toCreateRequest(live({ restartTrigger: "1" }), "s")).not.toHaveProperty("RestartTrigger");
  });

  it("asks for a restart when set to a new non-empty value, not when kept or removed", () => {
    expect(restartRequested(live({ restartTrigger: "1" }), live({ restartTrigger: "2" }))).toBe(true);
    expect(restartRequested(live(), live({ restartTrigger: "1" }))).toBe(true);
    expect(restartRequested(live({ restartTrigger: "1" }), live({ restartTrigger: "1" }))).toBe(false);
    expect(restartRequested(live({ restartTrigger: "1" }), live())).toBe(false);
    expect(restartRequested(live({ restartTrigger: "1" }), live({ restartTrigger: "" }))).toBe(false);
    // A paused task pushes nothing: the new trigger is recorded, nothing is restarted.
    expect(restartRequested(live({ restartTrigger: "1" }), live({ restartTrigger: "2", status: "pause" }))).toBe(false);
  });
});
