import { describe, expect, it } from "vitest";
import {
  ASSUMED_TOTAL, HINT_MIN_OUTCOMES, READ_BACK_BATCH, READ_BACK_HOLD_MS, cheaper, hintsTrusted, listingPages, nextStep, pagesLeft,
  planBatch, planRemaining, readBackPatience, shouldLearn, sweepPage,
} from "../../provider/reads/plan";

describe("listingPages", () => {
  it("is ceil(TotalNum / 20), and one page for an empty account", () => {
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

describe("nextStep", () => {
  const read = (id: string, hint?: number, requested: number[] = []) => ({ id, hint, requested: new Set(requested) });
  const base = { pagesInFlight: 0, pageConcurrency: 2, cursor: Number.MAX_SAFE_INTEGER, assumedPages: 10 };

  it("waits when nothing waits", () => {
    expect(nextStep({ ...base, waiting: [], pages: 5 })).toEqual({ kind: "wait" });
  });

  it("before TotalNum is known: single reads for a small batch, a page-1 probe for a big one", () => {
    const few = Array.from({ length: 10 }, (_, i) => read(`t${i}`));
    const many = Array.from({ length: 11 }, (_, i) => read(`t${i}`));
    expect(nextStep({ ...base, waiting: few })).toEqual({ kind: "single", ids: few.map((r) => r.id) });
    expect(nextStep({ ...base, waiting: many })).toEqual({ kind: "page", page: 1 });
    expect(nextStep({ ...base, waiting: many, pagesInFlight: 1 })).toEqual({ kind: "wait" });
  });

  it("requests the page holding the most hinted reads, once it holds two or more", () => {
    const waiting = [read("a", 3), read("b", 3), read("c", 7), read("d", 7), read("e", 7)];
    expect(nextStep({ ...base, waiting, pages: 50 })).toEqual({ kind: "page", page: 7 });
    expect(nextStep({ ...base, waiting: [read("a", 3), read("c", 7)], pages: 50 })).toEqual({ kind: "single", ids: ["a", "c"] });
  });

  it("never counts on a page requested before the read arrived, even if the hint names it", () => {
    const waiting = [read("a", 3, [3]), read("b", 3, [3])];
    // Both hints are spent: two reads, 49 pages left each: single reads are cheaper.
    expect(nextStep({ ...base, waiting, pages: 50 })).toEqual({ kind: "single", ids: ["a", "b"] });
  });

  it("sweeps downwards for reads without hints while the sweep is cheaper than single reads", () => {
    const waiting = Array.from({ length: 6 }, (_, i) => read(`t${i}`));
    expect(nextStep({ ...base, waiting, pages: 5 })).toEqual({ kind: "page", page: 5 });
    expect(nextStep({ ...base, waiting, pages: 5, cursor: 3 })).toEqual({ kind: "page", page: 3 });
    expect(nextStep({ ...base, waiting, pages: 6 }).kind).toBe("single");
  });

  it("reads the learning pass's pages before falling back to single reads", () => {
    expect(nextStep({ ...base, waiting: [read("a")], pages: 50, learning: new Set([4, 9]) })).toEqual({ kind: "page", page: 9 });
  });

  it("holds leftovers while pages are in flight (their answers bring more reads), and respects the page concurrency", () => {
    expect(nextStep({ ...base, waiting: [read("a", 3)], pages: 50, pagesInFlight: 1 })).toEqual({ kind: "wait" });
    expect(nextStep({ ...base, waiting: [read("a", 3), read("b", 3)], pages: 50, pagesInFlight: 2 })).toEqual({ kind: "wait" });
  });

  it("waits for reads whose every page is already requested", () => {
    expect(nextStep({ ...base, waiting: [read("a", undefined, [1, 2])], pages: 2, pagesInFlight: 1 })).toEqual({ kind: "wait" });
  });
});

describe("shouldLearn and sweepPage", () => {
  it("buys the learning pass once the single reads paid reach one listing's price", () => {
    expect(shouldLearn(49, 50, false)).toBe(false);
    expect(shouldLearn(50, 50, false)).toBe(true);
    expect(shouldLearn(500, 50, true)).toBe(false);
    expect(shouldLearn(5, undefined, false)).toBe(false);
    expect(shouldLearn(5, 1, false)).toBe(false);
  });

  it("goes round downwards from the cursor to the first page some read still needs", () => {
    const reads = [{ id: "a", requested: new Set([5, 4]) }];
    expect(sweepPage(reads, 5, 5)).toBe(3);
    expect(sweepPage(reads, 5, 1)).toBe(1);
    expect(sweepPage([{ id: "a", requested: new Set([1, 2]) }], 2, 2)).toBeUndefined();
    expect(pagesLeft({ id: "a", requested: new Set([1, 2, 9]) }, 5)).toBe(3);
  });
});

describe("nextStep before TotalNum is known", () => {
  it("probes page 1 once the single reads paid reach the assumed listing's price", () => {
    const waiting = [{ id: "a", requested: new Set<number>() }, { id: "b", requested: new Set<number>() }];
    const base = { waiting, pagesInFlight: 0, pageConcurrency: 2, cursor: 1, assumedPages: 10 };
    expect(nextStep({ ...base, singlesSoFar: 9 })).toEqual({ kind: "single", ids: ["a", "b"] });
    expect(nextStep({ ...base, singlesSoFar: 10 })).toEqual({ kind: "page", page: 1 });
    expect(nextStep({ ...base, waiting: waiting.slice(0, 1), singlesSoFar: 10 })).toEqual({ kind: "single", ids: ["a"] });
  });
});

describe("nextStep with pages in flight", () => {
  it("does not sweep for reads whose hinted page is already in flight for them", () => {
    const inFlight = (id: string) => ({ id, hint: 1, requested: new Set([1]), covered: new Set<number>() });
    const waiting = Array.from({ length: 12 }, (_, i) => inFlight(`t${i}`));
    expect(nextStep({ waiting, pages: 10, pagesInFlight: 1, pageConcurrency: 2, cursor: 10, assumedPages: 10 })).toEqual({ kind: "wait" });
    // Once that page answered without them, they are sought elsewhere.
    const missed = waiting.map((w) => ({ ...w, covered: new Set([1]) }));
    expect(nextStep({ waiting: missed, pages: 10, pagesInFlight: 0, pageConcurrency: 2, cursor: 10, assumedPages: 10 })).toEqual({ kind: "page", page: 10 });
  });

  it("holds a read alone on its hinted page for company, then reads it alone", () => {
    const base = { pages: 10, pagesInFlight: 0, pageConcurrency: 2, cursor: 10, assumedPages: 10, holdMs: 200 };
    expect(nextStep({ ...base, waiting: [{ id: "a", hint: 1, requested: new Set(), waitedMs: 50 }] })).toEqual({ kind: "wait", retryInMs: 150 });
    expect(nextStep({ ...base, waiting: [{ id: "a", hint: 1, requested: new Set(), waitedMs: 200 }] })).toEqual({ kind: "single", ids: ["a"] });
  });
});

describe("read-backs after writes (shared with other processes' on one account)", () => {
  const base = { pages: 10, pagesInFlight: 0, pageConcurrency: 2, cursor: 10, assumedPages: 10, holdMs: 200 };
  const back = (id: string, waitedMs: number, hint = 1) => ({ id, hint, requested: new Set<number>(), waitedMs, written: true });

  it(`wait for ${READ_BACK_BATCH} of them, or ${READ_BACK_HOLD_MS} ms for the oldest, then get page 1: never a single`, () => {
    expect(nextStep({ ...base, waiting: [back("a", 50)] })).toEqual({ kind: "wait", retryInMs: READ_BACK_HOLD_MS - 50 });
    expect(nextStep({ ...base, waiting: [back("a", 50), back("b", 10), back("c", 0)] })).toEqual({ kind: "wait", retryInMs: READ_BACK_HOLD_MS - 50 });
    expect(nextStep({ ...base, waiting: [back("a", READ_BACK_HOLD_MS)] })).toEqual({ kind: "page", page: 1 });
    const four = ["a", "b", "c", "d"].map((id) => back(id, 0));
    expect(nextStep({ ...base, waiting: four })).toEqual({ kind: "page", page: 1 });
  });

  it("do not wait when no write is in flight: no read-back is coming to share the page", () => {
    expect(nextStep({ ...base, waiting: [back("a", 0)], companyComing: false })).toEqual({ kind: "page", page: 1 });
  });

  it("below page 1 (slid down while waiting), ask for the page at once", () => {
    expect(nextStep({ ...base, waiting: [back("a", 0, 2)] })).toEqual({ kind: "page", page: 2 });
  });

  it("before TotalNum is known too: a process whose first read-backs came alone read none by TaskId after", () => {
    const plain = { ...base, pages: undefined };
    expect(nextStep({ ...plain, waiting: [back("a", 10)] })).toEqual({ kind: "wait", retryInMs: READ_BACK_HOLD_MS - 10 });
    expect(nextStep({ ...plain, waiting: [back("a", READ_BACK_HOLD_MS)] })).toEqual({ kind: "page", page: 1 });
    // A read of a task not just written is read alone, as before; the read-back goes on waiting.
    const other = { id: "x", requested: new Set<number>() };
    expect(nextStep({ ...plain, waiting: [back("a", 10), other] })).toEqual({ kind: "single", ids: ["x"] });
  });

  it("readBackPatience: Infinity without read-backs, 0 for a batch", () => {
    expect(readBackPatience([], 1, 0, true)).toBe(Infinity);
    expect(readBackPatience([back("a", 0)], 1, READ_BACK_BATCH, true)).toBe(0);
    expect(readBackPatience([back("a", 100)], 1, 1, true)).toBe(READ_BACK_HOLD_MS - 100);
  });
});

describe("hintsTrusted", () => {
  it("trusts hints until enough outcomes are known, then while at most half of them missed", () => {
    expect(hintsTrusted({ hintOutcomes: Array(HINT_MIN_OUTCOMES - 1).fill(false) })).toBe(true);
    expect(hintsTrusted({ hintOutcomes: [true, true, true, true, false, false, false, false] })).toBe(true);
    expect(hintsTrusted({ hintOutcomes: [true, true, true, false, false, false, false, false] })).toBe(false);
  });
});
