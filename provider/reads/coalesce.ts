// Read coalescer: when many reads arrive together (a `pulumi refresh` of a big stack, where the
// engine calls Read for up to --parallel resources at once), serve them from paged
// DescribeLivePullStreamTasks listings when that costs fewer calls than one Describe per task.
//
// Freshness rule: a listing page serves ONLY the reads that began before it was sent. A request
// waiting for its turn in the client's limiter takes every read that arrives meanwhile (they all
// began before it goes out), so while the API throttles this account's Describes, one page serves
// everything that piled up behind it. No task data is kept for later reads, so a read never sees
// data older than itself.
// What IS kept, per region, is planning metadata: the last TotalNum and the page each task was
// last seen on (hints, see plan.ts); they choose which request to make, never what to answer.
//
// The listing is sorted by update time, so rows shift while tasks change: a task missing from
// every page is confirmed by a single Describe by TaskId before it is reported gone.
import type { CoalescerOptions, CoalescerStats, DescribeClient, ReadCoalescer, ReadOptions, TaskInfo } from "./types";
import { clockMark, createAccountView } from "./account";
import { createListingCache } from "./cache";
import { join, newRegionQueue, type PageRequest, type RegionQueue, type Waiter } from "./queue";
import {
  ASSUMED_TOTAL,
  HINT_WINDOW,
  PAGE_SIZE,
  hintsTrusted,
  listingPages,
  nextStep,
  shouldLearn,
  type Step,
} from "./plan";

export type { CoalescerOptions, CoalescerStats, DescribeClient, ReadCoalescer, ReadOptions, TaskInfo } from "./types";

export function createReadCoalescer(client: DescribeClient, opts: CoalescerOptions = {}): ReadCoalescer {
  const idleMs = opts.idleMs ?? 10;
  // Reads of a whole stack at once reach the host over a second or more: one batch is cheapest.
  const maxWaitMs = opts.maxWaitMs ?? 1000;
  const holdMs = opts.holdMs ?? 200;
  const maxBatch = opts.maxBatch ?? 1000;
  const pageConcurrency = opts.pageConcurrency ?? 2;
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const assumedPages = listingPages(opts.assumedTotal ?? ASSUMED_TOTAL, pageSize);
  const queues = new Map<string, RegionQueue>();
  const stats: CoalescerStats = {
    reads: 0, batches: 0, singles: 0, confirmations: 0, pages: 0, servedByListing: 0, learningPasses: 0, fallbacks: 0,
  };

  function queueFor(region: string | undefined): RegionQueue {
    const key = region ?? "";
    let q = queues.get(key);
    if (!q) {
      q = newRegionQueue(region);
      queues.set(key, q);
    }
    return q;
  }

  function settle(w: Waiter, info: TaskInfo | undefined): void {
    if (w.settled) return;
    w.settled = true;
    w.resolve(info);
  }

  function fail(w: Waiter, err: unknown): void {
    if (w.settled) return;
    w.settled = true;
    w.reject(err);
  }

  function single(q: RegionQueue, w: Waiter, kind: "single" | "confirmation" | "fallback"): void {
    q.waiting.delete(w);
    if (kind === "confirmation") stats.confirmations++;
    else if (kind === "fallback") stats.fallbacks++;
    else {
      stats.singles++;
      q.singles++;
    }
    // Through then(): a client that throws synchronously still ends in fail(), never a hang.
    Promise.resolve()
      .then(() => client.describeTask(w.taskId, { region: q.region }))
      .then(
        (info) => settle(w, info),
        (err) => fail(w, err),
      );
  }

  /**
   * Runs planning work for a queue; if it throws (a bug, a malformed answer), every read of the
   * queue still waiting falls back to its own Describe: no read is left pending.
   */
  function guarded(q: RegionQueue, work: () => void): void {
    try {
      work();
    } catch {
      if (q.timer) clearTimeout(q.timer);
      if (q.holdTimer) clearTimeout(q.holdTimer);
      q.timer = q.holdTimer = undefined;
      const stranded = [...q.waiting, ...q.incoming].filter((w) => !w.settled);
      q.waiting.clear();
      q.incoming = [];
      for (const w of stranded) single(q, w, "fallback");
    }
  }

  function schedule(q: RegionQueue): void {
    if (q.timer) clearTimeout(q.timer);
    if (q.incoming.length >= maxBatch) return flush(q);
    const waited = Date.now() - q.firstArrival;
    q.timer = setTimeout(() => guarded(q, () => flush(q)), Math.max(0, Math.min(idleMs, maxWaitMs - waited)));
  }

  /** Moves the reads still in the idle window into the waiting set; false when there were none. */
  function admit(q: RegionQueue): boolean {
    if (q.timer) clearTimeout(q.timer);
    q.timer = undefined;
    const batch = q.incoming.filter((w) => !w.settled);
    q.incoming = [];
    if (batch.length === 0) return false;
    stats.batches++;
    for (const w of batch) q.waiting.add(w);
    return true;
  }

  function flush(q: RegionQueue): void {
    if (admit(q)) pump(q);
  }

  function pagesOf(q: RegionQueue): number | undefined {
    return q.totalNum === undefined ? undefined : listingPages(q.totalNum, pageSize);
  }

  /** Makes requests until plan.nextStep says to wait for answers. */
  function pump(q: RegionQueue): void {
    for (const w of q.waiting) if (w.settled) q.waiting.delete(w);
    for (const r of q.unsent) join(q, r);
    const pages = pagesOf(q);
    const trusted = hintsTrusted(q);
    if (
      trusted &&
      pages !== undefined &&
      q.waiting.size > 0 &&
      !q.learning &&
      shouldLearn(q.singles, pages, q.learned)
    ) {
      // Only the pages never read yet: the others already gave their tasks a hint.
      q.learning = new Set(Array.from({ length: pages }, (_, i) => i + 1).filter((p) => !q.seenPages.has(p)));
      if (q.learning.size === 0) {
        q.learning = undefined;
        q.learned = true;
      } else stats.learningPasses++;
    }
    for (;;) {
      const byId = new Map<string, Waiter[]>();
      for (const w of q.waiting) byId.set(w.taskId, [...(byId.get(w.taskId) ?? []), w]);
      const step: Step = nextStep({
        waiting: [...q.waiting].map((w) => ({
          id: w.taskId,
          // A read-back's hint is ours (page 1, or the next after it slid), never a stale listing's.
          hint: trusted || w.written ? q.positions.get(w.taskId) : undefined,
          requested: w.requested,
          covered: w.covered,
          waitedMs: Date.now() - w.arrivedAt,
          written: w.written,
        })),
        pages: pagesOf(q),
        pagesInFlight: q.pagesInFlight,
        pageConcurrency,
        learning: q.learning,
        cursor: q.cursor,
        assumedPages,
        singlesSoFar: q.singles,
        holdMs,
        companyComing: client.writesInFlight ? client.writesInFlight() > 0 : true,
      });
      if (step.kind === "wait") {
        if (q.holdTimer) clearTimeout(q.holdTimer);
        const wake = (): void => guarded(q, () => pump(q));
        q.holdTimer = step.retryInMs === undefined ? undefined : setTimeout(wake, step.retryInMs + 1);
        return;
      }
      if (step.kind === "single") {
        for (const id of step.ids) for (const w of byId.get(id) ?? []) single(q, w, "single");
        continue;
      }
      requestPage(q, step.page);
    }
  }

  function requestPage(q: RegionQueue, page: number): void {
    const request: PageRequest = { page, joined: [] };
    join(q, request);
    q.unsent.add(request);
    q.learning?.delete(page);
    q.cursor = page > 1 ? page - 1 : Number.MAX_SAFE_INTEGER;
    q.pagesInFlight++;
    stats.pages++;
    // Each attempt (a throttled one is sent again later) takes the reads that began before it.
    const onSend = (): void =>
      guarded(q, () => {
        q.unsent.delete(request);
        admit(q);
        join(q, request);
      });
    Promise.resolve()
      .then(() => client.describeTasks({ PageNum: page, PageSize: pageSize }, { region: q.region, onSend }))
      .then(
        (res) => {
          q.pagesInFlight--;
          q.unsent.delete(request);
          guarded(q, () => onPage(q, page, request.joined, res.TaskInfos ?? [], res.TotalNum));
        },
        () => {
          q.pagesInFlight--;
          q.unsent.delete(request);
          // The client already retried what is retryable. A read does not fail because a page
          // did: each read this page was to serve asks for its own task by TaskId.
          guarded(q, () => {
            for (const w of request.joined) if (!w.settled && q.waiting.has(w)) single(q, w, "fallback");
            pump(q);
          });
        },
      );
  }

  function onPage(
    q: RegionQueue,
    page: number,
    snapshot: Waiter[],
    rows: TaskInfo[],
    totalNum: number | undefined,
  ): void {
    if (typeof totalNum === "number" && totalNum >= 0) q.totalNum = totalNum;
    for (const r of rows) q.positions.set(r.TaskId, page);
    q.seenPages.add(page);
    if (q.learning && q.learning.size === 0 && q.pagesInFlight === 0) {
      q.learning = undefined;
      q.learned = true;
    }
    const byId = new Map(rows.map((r) => [r.TaskId, r] as const));
    for (const w of snapshot) {
      if (w.settled || !q.waiting.has(w)) continue;
      const info = byId.get(w.taskId);
      if (w.hintedPage === page) {
        w.hintedPage = undefined;
        // Just written and not on its page: newer writes (other processes' too, on a shared
        // account) pushed it down, by less than a page while they come at the API's rate. The next
        // page is its place now; that is no sign that hints have gone stale.
        if (!info && w.written && page < listingPages(q.totalNum ?? 0, pageSize)) {
          q.positions.set(w.taskId, page + 1);
        } else {
          q.hintOutcomes.push(info !== undefined);
          if (q.hintOutcomes.length > HINT_WINDOW) q.hintOutcomes.shift();
        }
      }
      if (info) {
        q.waiting.delete(w);
        stats.servedByListing++;
        settle(w, info);
      } else {
        w.covered.add(page);
      }
    }
    // Absent from every page answered since it arrived: gone, or shifted past the pages by a
    // concurrent change. Only a Describe by TaskId can tell.
    const pages = listingPages(q.totalNum ?? rows.length, pageSize);
    for (const w of [...q.waiting]) {
      let seen = 0;
      for (const p of w.covered) if (p <= pages) seen++;
      if (seen >= pages) single(q, w, "confirmation");
    }
    pump(q);
  }

  // Reads of tasks this process has not just written (a refresh) go through the listing cache;
  // read-backs after a write stay here, where a page answers only reads issued before it.
  const cache = opts.listingCache === false ? undefined : createListingCache(client);
  if (cache) client.onWrite?.((taskId, region) => cache.written(taskId, region));

  // Whole-region listings for Create's shared-destination check: concurrent Creates share one (account.ts).
  const account = createAccountView(client, clockMark(client));

  return {
    list: (region, streams) => account.list(region, streams),
    created: (region, streams) => account.created(region, streams),
    deleted: (region, taskId) => account.deleted(region, taskId),
    read(taskId: string, region?: string, readOpts: ReadOptions = {}): Promise<TaskInfo | undefined> {
      stats.reads++;
      // Without the task's UpdateTime (an import, a state written before outputs had it) no page
      // can be predicted: those reads are batched here as before.
      if (cache && !readOpts.recentlyWritten && readOpts.knownUpdateTime !== undefined) {
        return cache.read(taskId, region, readOpts.knownUpdateTime);
      }
      cache?.written(taskId, region);
      const q = queueFor(region);
      if (readOpts.recentlyWritten) q.positions.set(taskId, 1);
      return new Promise((resolve, reject) => {
        if (q.incoming.length === 0) q.firstArrival = Date.now();
        q.incoming.push({
          taskId,
          resolve,
          reject,
          settled: false,
          requested: new Set(),
          covered: new Set(),
          arrivedAt: Date.now(),
          written: readOpts.recentlyWritten,
        });
        guarded(q, () => schedule(q));
      });
    },
    stats: () => ({ ...stats, ...(cache ? { cache: cache.stats() } : {}), account: account.stats() }),
  };
}
