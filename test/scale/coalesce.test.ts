// The coalescer's choices and freshness against an in-memory account (call counts are exact);
// emulator.test.ts repeats the key cases with the real client over HTTP.
import { describe, expect, it, vi } from "vitest";
import { createReadCoalescer } from "../../provider/reads/coalesce";
import { READ_BACK_HOLD_MS } from "../../provider/reads/plan";
import { FakeAccount } from "./fake-account";

const readAll = (c: ReturnType<typeof createReadCoalescer>, ids: string[], region?: string) =>
  Promise.all(ids.map((id) => c.read(id, region)));

describe("read coalescer", () => {
  it("reads 3 tasks among 100 with 3 single Describes", async () => {
    const account = new FakeAccount();
    const ids = account.add(100);
    const c = createReadCoalescer(account, { listingCache: false });
    const got = await readAll(c, [ids[5], ids[50], ids[99]]);
    expect(got.map((t) => t?.TaskId)).toEqual([ids[5], ids[50], ids[99]]);
    expect(account.count("single")).toBe(3);
    expect(account.count("page")).toBe(0);
  });

  it("reads 100 tasks among 100 with ceil(100/20) = 5 listing pages and no single call", async () => {
    const account = new FakeAccount();
    const ids = account.add(100);
    const c = createReadCoalescer(account, { listingCache: false });
    const got = await readAll(c, ids);
    expect(got.map((t) => t?.TaskId)).toEqual(ids);
    expect(account.count("page")).toBe(5);
    expect(account.count("single")).toBe(0);
    expect(new Set(account.calls.map((x) => x.page))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(c.stats()).toMatchObject({ reads: 100, pages: 5, singles: 0, confirmations: 0, servedByListing: 100 });
  });

  it("never serves a later batch from an earlier listing: a change made between batches is seen", async () => {
    const account = new FakeAccount();
    const ids = account.add(100);
    const c = createReadCoalescer(account, { listingCache: false });
    await readAll(c, ids);
    account.modify(ids[42], "changed outside");
    const second = await readAll(c, ids);
    expect(second[42]?.Comment).toBe("changed outside");
    expect(account.count("page")).toBe(10);
    // A lone read after a listing still asks the API.
    account.modify(ids[7], "again");
    expect((await c.read(ids[7]))?.Comment).toBe("again");
    expect(account.count("single")).toBe(1);
  });

  it("confirms a task missing from the listing with a single Describe, then reports it gone", async () => {
    const account = new FakeAccount();
    const ids = account.add(100);
    account.remove(ids[30]);
    const c = createReadCoalescer(account, { listingCache: false });
    const got = await readAll(c, ids);
    expect(got[30]).toBeUndefined();
    expect(got.filter(Boolean)).toHaveLength(99);
    expect(account.calls.filter((x) => x.kind === "single").map((x) => x.taskId)).toEqual([ids[30]]);
    expect(c.stats().confirmations).toBe(1);
  });

  it("finds a task that a concurrent change moved past the pages (rows shift by update time)", async () => {
    const account = new FakeAccount();
    const ids = account.add(100);
    const c = createReadCoalescer(account, { listingCache: false, pageConcurrency: 1 });
    // A fresh coalescer probes page 1 first. ids[0] is the oldest (last page); once page 1 has
    // been read it jumps to the top, so no later page shows it.
    account.afterPage = (page) => { if (page === 1) account.modify(ids[0], "moved"); };
    const got = await readAll(c, ids);
    account.afterPage = undefined;
    expect(got[0]?.Comment).toBe("moved");
    expect(got.every((t, i) => t?.TaskId === ids[i])).toBe(true);
    expect(account.calls.filter((x) => x.kind === "single").map((x) => x.taskId)).toEqual([ids[0]]);
  });

  it("a read arriving mid-listing is not served by a page requested before it arrived", async () => {
    const account = new FakeAccount();
    const ids = account.add(100);
    const c = createReadCoalescer(account, { listingCache: false, pageConcurrency: 1 });
    await readAll(c, ids); // learn TotalNum
    account.calls.length = 0;
    // The newest task is on page 1. Change it after page 1 is read, and read it right then.
    const newest = ids[99];
    let late: Promise<unknown> | undefined;
    account.afterPage = (page) => {
      if (page === 1 && !late) {
        account.modify(newest, "after page 1");
        late = c.read(newest);
      }
    };
    const others = ids.filter((id) => id !== newest);
    const batch = readAll(c, [...others, ...others.slice(0, 20)]);
    await batch;
    const lateInfo = (await late) as { Comment?: string } | undefined;
    account.afterPage = undefined;
    expect(lateInfo?.Comment).toBe("after page 1");
  });

  it("keeps regions apart: each region is listed on its own", async () => {
    const account = new FakeAccount();
    const gz = account.add(40, "ap-guangzhou");
    const sh = account.add(40, "ap-shanghai");
    const c = createReadCoalescer(account, { listingCache: false });
    const [a, b] = await Promise.all([readAll(c, gz, "ap-guangzhou"), readAll(c, sh, "ap-shanghai")]);
    expect(a.map((t) => t?.TaskId)).toEqual(gz);
    expect(b.map((t) => t?.TaskId)).toEqual(sh);
    const pages = account.calls.filter((x) => x.kind === "page");
    expect(pages.filter((x) => x.region === "ap-guangzhou")).toHaveLength(2);
    expect(pages.filter((x) => x.region === "ap-shanghai")).toHaveLength(2);
  });

  it("a failed page costs its reads a single Describe each, never the read (1 page of 5 fails)", async () => {
    const account = new FakeAccount();
    const ids = account.add(100);
    let failed = 0;
    account.failWith = (call) => (call.kind === "page" && call.page === 3 && failed++ === 0 ? new Error("InternalError: page 3 failed") : undefined);
    const c = createReadCoalescer(account, { listingCache: false });
    const results = await Promise.allSettled(ids.map((id) => c.read(id)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(results.map((r) => (r as PromiseFulfilledResult<{ TaskId: string }>).value.TaskId)).toEqual(ids);
    expect(failed).toBe(1);
    // Today's reads waiting on page 3 (its 20 tasks, and any other still waiting) ask by TaskId.
    expect(c.stats().fallbacks).toBeGreaterThanOrEqual(20);
    expect(account.count("single")).toBe(c.stats().fallbacks + c.stats().singles + c.stats().confirmations);
  });

  it("when the single Describe fails too, the read fails with the API's error", async () => {
    const account = new FakeAccount();
    const ids = account.add(60);
    account.failWith = () => new Error("AuthFailure.SignatureFailure: the signature is wrong");
    const c = createReadCoalescer(account, { listingCache: false });
    const results = await Promise.allSettled(ids.map((id) => c.read(id)));
    expect(results.every((r) => r.status === "rejected" && /SignatureFailure/.test(String(r.reason)))).toBe(true);
  });

  it("leaves no read pending when the client throws synchronously or a page answer is malformed", async () => {
    for (const breakIt of ["throw", "malformed"] as const) {
      const account = new FakeAccount();
      const ids = account.add(60);
      const describeTasks = account.describeTasks.bind(account);
      account.describeTasks = ((req: { PageNum?: number }, opts?: { region?: string }) => {
        if (breakIt === "throw") throw new TypeError("boom inside the client");
        // TaskInfos that is not a list: onPage's own code throws inside the promise callback.
        return describeTasks(req, opts).then((r) => ({ ...r, TaskInfos: 42 as unknown as [] }));
      }) as typeof account.describeTasks;
      const c = createReadCoalescer(account, { listingCache: false });
      const settled = await Promise.race([
        Promise.allSettled(ids.map((id) => c.read(id))),
        new Promise<"hung">((r) => setTimeout(() => r("hung"), 3000)),
      ]);
      expect(settled, breakIt).not.toBe("hung");
      const values = (settled as PromiseSettledResult<{ TaskId: string } | undefined>[]).map((r) => (r.status === "fulfilled" ? r.value?.TaskId : "rejected"));
      expect(values, breakIt).toEqual(ids);
    }
  });

  it("under an engine with parallelism p, a read is answered once and by the right task", async () => {
    const account = new FakeAccount();
    const ids = account.add(300);
    const c = createReadCoalescer(account, { listingCache: false });
    for (const p of [16, 64, 300]) {
      account.calls.length = 0;
      const queue = [...ids];
      const answers = new Map<string, string | undefined>();
      await Promise.all(
        Array.from({ length: p }, async () => {
          for (let id = queue.shift(); id; id = queue.shift()) answers.set(id, (await c.read(id))?.TaskId);
        }),
      );
      expect([...answers].every(([id, got]) => id === got)).toBe(true);
      expect(answers.size).toBe(300);
      // Never worse than one Describe per task.
      expect(account.calls.length).toBeLessThanOrEqual(300);
      if (p === 300) expect(account.calls.length).toBe(15);
    }
  });
});

describe("reads right after writes", () => {
  it("reads of tasks just written share page-1 requests, and still see the write", async () => {
    const account = new FakeAccount();
    const ids = account.add(100);
    const written = ids.slice(0, 5);
    for (const id of written) account.modify(id, "written");
    const c = createReadCoalescer(account, { listingCache: false });
    const got = await Promise.all(written.map((id) => c.read(id, undefined, { recentlyWritten: true })));
    expect(got.map((t) => t?.Comment)).toEqual(written.map(() => "written"));
    expect(account.calls.map((x) => [x.kind, x.page])).toEqual([["page", 1]]);
  });

  it("a page request waiting for its turn in the limiter serves the read-backs that arrive meanwhile", async () => {
    const account = new FakeAccount();
    const ids = account.add(100);
    const written = ids.slice(0, 10);
    for (const id of written) account.modify(id, "written");
    let open!: () => void;
    account.gate = new Promise((r) => (open = r));
    const c = createReadCoalescer(account, { listingCache: false });
    const readBack = (id: string) => c.read(id, undefined, { recentlyWritten: true });
    // Four make a page request, which then waits (the limiter); six more arrive before it is sent.
    const first = written.slice(0, 4).map(readBack);
    await new Promise((r) => setTimeout(r, 50));
    const later = written.slice(4).map(readBack);
    await new Promise((r) => setTimeout(r, 50));
    open();
    const got = await Promise.all([...first, ...later]);
    expect(got.map((t) => t?.Comment)).toEqual(written.map(() => "written"));
    expect(account.calls.map((x) => [x.kind, x.page])).toEqual([["page", 1]]);
  });

  it("a read-back alone waits for company only while writes are in flight", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      for (const writes of [0, 1]) {
        const account = new FakeAccount({ writes });
        const [id] = account.add(30).slice(-1);
        const c = createReadCoalescer(account, { listingCache: false });
        const read = c.read(id, undefined, { recentlyWritten: true });
        await vi.advanceTimersByTimeAsync(READ_BACK_HOLD_MS - 1);
        // No write in flight: no read-back is coming to share the page, so it is asked for at once.
        expect(account.calls.length).toBe(writes === 0 ? 1 : 0);
        await vi.advanceTimersByTimeAsync(10);
        expect((await read)?.TaskId).toBe(id);
        expect(account.calls.map((x) => [x.kind, x.page])).toEqual([["page", 1]]);
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("a wrong recently-written hint costs a request, never a wrong answer", async () => {
    const account = new FakeAccount();
    const ids = account.add(100);
    const c = createReadCoalescer(account, { listingCache: false });
    // Not written at all: the oldest tasks, far from page 1.
    const got = await Promise.all(ids.slice(0, 3).map((id) => c.read(id, undefined, { recentlyWritten: true })));
    expect(got.map((t) => t?.TaskId)).toEqual(ids.slice(0, 3));
  });
});

describe("stale hints", () => {
  it("stops following hints once most of them miss, so stale positions cost little", async () => {
    const account = new FakeAccount();
    const ids = account.add(100);
    const c = createReadCoalescer(account, { listingCache: false, holdMs: 0 });
    await readAll(c, ids); // every task now has a hint
    // Everything moves: the hints are all wrong now.
    for (const id of [...ids].reverse()) account.modify(id, "moved");
    account.calls.length = 0;
    for (let i = 0; i < 60; i += 2) {
      const got = await readAll(c, [ids[i], ids[i + 1]]);
      expect(got.map((t) => t?.Comment)).toEqual(["moved", "moved"]);
    }
    // 60 single reads, plus the wasted pages it takes to see that hints miss (8 outcomes, one
    // page per pair). Following every stale hint costs a wasted page for most pairs instead.
    expect(account.calls.length).toBeLessThanOrEqual(60 + 8);
  });
});
