// Signatures that expire before the task ends: a warning naming the field, the expiry and the end,
// never the signature (ToUrl: "the signature time must exceed the task's end time").
import { describe, expect, it } from "vitest";
import { signatureExpiry } from "../../provider/task/expiry";
import { at, DAY, HOUR, liveTask, NOW, vodTask } from "./task-fixtures";
import { warningsOf } from "./task-validate-support";

const hexSeconds = (ms: number) => Math.floor(ms / 1000).toString(16).toUpperCase();
const SECRET = "0123456789abcdef0123456789abcdef";

describe("signature expiry", () => {
  it("reads txTime (hex Unix seconds) and Expires (decimal), the earliest when several", () => {
    const ms = NOW.getTime() + DAY;
    expect(signatureExpiry(`rtmp://p.example.com/live/s?txSecret=${SECRET}&txTime=${hexSeconds(ms)}`)).toBe(Math.floor(ms / 1000) * 1000);
    expect(signatureExpiry(`bak=1&txTime=${hexSeconds(ms)}`)).toBe(Math.floor(ms / 1000) * 1000);
    expect(signatureExpiry("https://c.example.com/a.mp4?Expires=2000000000&Signature=x")).toBe(2_000_000_000_000);
    expect(signatureExpiry("rtmp://p.example.com/live/s?txTime=zz")).toBeNull();
    expect(signatureExpiry("rtmp://p.example.com/live/s")).toBeNull();
  });

  it("warns of a toUrl, pushArgs or source URL signed to expire before endTime, without the secret", () => {
    const end = NOW.getTime() + 2 * DAY;
    const early = hexSeconds(NOW.getTime() + DAY);
    const task = liveTask({
      endTime: at(2 * DAY),
      domainName: undefined, appName: undefined, streamName: undefined,
      toUrl: `rtmp://p.example.com/live/s?txSecret=${SECRET}&txTime=${early}`,
      pushArgs: `txSecret=${SECRET}&txTime=${hexSeconds(end + HOUR)}`,
    });
    for (const k of ["domainName", "appName", "streamName"]) delete (task as Record<string, unknown>)[k];
    const warnings = warningsOf(task);
    expect(warnings).toEqual([expect.stringMatching(/^toUrl: its signature expires at \S+Z, before endTime \S+Z: the task fails from then/)]);
    expect(warnings.join("\n")).not.toContain(SECRET);
    const vod = vodTask({ endTime: at(2 * DAY), sourceUrls: ["https://c.example.com/a.mp4", `https://c.example.com/b.mp4?Expires=${Math.floor((NOW.getTime() + HOUR * 30) / 1000)}`] });
    expect(warningsOf(vod)).toEqual([expect.stringMatching(/^sourceUrls\[1\]: its signature expires at/)]);
  });

  it("a rolling schedule is judged against the end its next renewal sets (now + window)", () => {
    const task = liveTask({ startTime: undefined, endTime: undefined, schedule: { window: "3d", renewBefore: "1d" }, pushArgs: `txTime=${hexSeconds(NOW.getTime() + 2 * DAY)}` });
    for (const k of ["startTime", "endTime"]) delete (task as Record<string, unknown>)[k];
    expect(warningsOf(task)).toEqual([expect.stringMatching(/^pushArgs: its signature expires at .* before the end a renewal of the schedule sets/)]);
  });
});
