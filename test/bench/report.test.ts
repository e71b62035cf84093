// The bench's floors come from the documented rates (provider/api/limits.ts): a wrong rate there
// makes every "× floor" in docs/performance.md wrong, so the floors are pinned to the pages' numbers.
import { describe, expect, it } from "vitest";
import { floorSeconds } from "../../bench/report";

describe("bench floors", () => {
  it("delete at 50/s, refresh as ceil(n / 20) listings at 30/s, create 50/s, modify 20/s", () => {
    expect(floorSeconds("delete", 100)).toBe(2);
    expect(floorSeconds("refresh", 1000)).toBeCloseTo(50 / 30, 9);
    expect(floorSeconds("create", 100)).toBe(2);
    expect(floorSeconds("modify", 100)).toBe(5);
    expect(floorSeconds("preview", 100)).toBe(0);
  });
});
