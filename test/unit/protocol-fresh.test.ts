// The freshness rule of the write protocol (provider/protocol/fresh.ts): a read is believed to show
// our write only when its UpdateTime is not before the earliest API second the write can have
// reached the API in, and a write waits until it surely lands in a later second than its basis.
import { describe, expect, it } from "vitest";
import type { CssClient } from "../../provider/api/client";
import { ApiClock } from "../../provider/api/clock";
import { latestUpdateTime, sendAfter, shownSince, writeMark } from "../../provider/protocol/fresh";

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + "Z";

/** A client whose only part the rule uses is its learned clock. */
function clientWith(clock: ApiClock): CssClient {
  return { clock } as unknown as CssClient;
}

describe("freshness of a read after our write", () => {
  it("knows nothing before an answer: every read counts, no wait, no time recorded", async () => {
    const client = clientWith(new ApiClock(() => 1_000_000));
    expect(writeMark(client)).toBe(-Infinity);
    expect(shownSince({ UpdateTime: "2020-01-01T00:00:00Z" } as never, writeMark(client))).toBe(true);
    expect(latestUpdateTime(client)).toBeUndefined();
    await sendAfter(client, iso(Date.now()));
  });

  it("a read older than the earliest second of the write is not believed; one at or after it is", () => {
    const local = Date.parse("2026-12-07T10:00:10.400Z");
    const clock = new ApiClock(() => local);
    // The API's Date said 10:00:20 (whole seconds) for a request sent at local 10.300 and answered
    // at 10.400: the API reads 9.6 s to 10.7 s ahead of us.
    clock.observe("Mon, 07 Dec 2026 10:00:20 GMT", local - 100, local);
    const mark = writeMark(clientWith(clock));
    expect(mark).toBe(Date.parse("2026-12-07T10:00:20Z"));
    expect(shownSince({ UpdateTime: "2026-12-07T10:00:19Z" } as never, mark)).toBe(false);
    expect(shownSince({ UpdateTime: "2026-12-07T10:00:20Z" } as never, mark)).toBe(true);
    expect(shownSince({} as never, mark)).toBe(false);
    // The latest the task's UpdateTime can be after a write answered now.
    expect(latestUpdateTime(clientWith(clock))).toBe("2026-12-07T10:00:21Z");
  });

  it("a write built on a state of the current second waits until it surely lands in a later one", async () => {
    const clock = new ApiClock();
    const now = Date.now();
    clock.observe(new Date(now).toUTCString(), now - 5, now);
    const client = clientWith(clock);
    const basis = iso(clock.earliestNow());
    await sendAfter(client, basis);
    expect(writeMark(client)).toBeGreaterThan(Date.parse(basis));
  });
});
