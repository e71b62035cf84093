import { describe, expect, it } from "vitest";
import { ASSUMED_TOTAL, PAGE_SIZE, cheaper, listingPages, planBatch, planRemaining } from "../../provider/reads/plan";

describe("listingPages", () => {
  it("is ceil(TotalNum / 20), and one page for an empty account", () => {
    expect(PAGE_SIZE).toBe(20);
    expect(listingPages(0)).toBe(1);
    expect(listingPages(1)).toBe(1);
    expect(listingPages(20)).toBe(1);
    expect(listingPages(21)).toBe(2);
    expect(listingPages(1000)).toBe(50);
    expect(listingPages(1001)).toBe(51);
    expect(listingPages(25, 10)).toBe(3);
  });

  it("refuses a negative total or a non-integer page size, naming the argument", () => {
    expect(() => listingPages(-1)).toThrow(/totalNum/);
    expect(() => listingPages(10, 0)).toThrow(/pageSize/);
    expect(() => listingPages(10, 2.5)).toThrow(/pageSize/);
  });
});

describe("planBatch", () => {
  it("reads a few tasks of a big account one by one", () => {
    expect(planBatch(3, 100)).toEqual({ strategy: "single", calls: 3, probe: false });
    expect(planBatch(16, 1000)).toEqual({ strategy: "single", calls: 16, probe: false });
  });

  it("lists when the batch outnumbers the pages", () => {
    expect(planBatch(100, 100)).toEqual({ strategy: "list", calls: 5, probe: false });
    expect(planBatch(1000, 1000)).toEqual({ strategy: "list", calls: 50, probe: false });
    expect(planBatch(64, 1000)).toEqual({ strategy: "list", calls: 50, probe: false });
  });

  it("gives a tie to single reads (they never need a confirmation)", () => {
    expect(planBatch(5, 100).strategy).toBe("single");
    expect(planBatch(6, 100).strategy).toBe("list");
    expect(cheaper(5, 5)).toBe("single");
  });

  it("without a known TotalNum, plans with the default quota and probes page 1 before listing", () => {
    const assumedPages = listingPages(ASSUMED_TOTAL);
    expect(planBatch(assumedPages, undefined)).toEqual({ strategy: "single", calls: assumedPages, probe: false });
    expect(planBatch(assumedPages + 1, undefined)).toEqual({ strategy: "list", calls: assumedPages, probe: true });
    expect(planBatch(3, undefined, { assumedTotal: 40 })).toEqual({ strategy: "list", calls: 2, probe: true });
  });

  it("plans nothing for an empty batch and refuses a negative one", () => {
    expect(planBatch(0, 100)).toEqual({ strategy: "single", calls: 0, probe: false });
    expect(() => planBatch(-1, 100)).toThrow(/batch/);
  });
});

describe("planRemaining", () => {
  it("keeps listing only while fewer pages remain than reads wait", () => {
    expect(planRemaining(80, 4)).toBe("list");
    expect(planRemaining(4, 4)).toBe("single");
    expect(planRemaining(3, 49)).toBe("single");
    expect(planRemaining(0, 0)).toBe("single");
  });
});
