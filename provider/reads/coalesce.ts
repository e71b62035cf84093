// Read coalescer: when many reads arrive together (a `pulumi refresh` of a big stack, where the
// engine calls Read for up to --parallel resources at once), serve them from paged
// DescribeLivePullStreamTasks listings when that costs fewer calls than one Describe per task.
//
// Freshness rule: a listing page serves ONLY the reads that were waiting when the page was
// requested. No task data is kept for later reads, so a read never sees data older than itself.
// What IS kept, per region, is planning metadata: the last TotalNum and the page each task was
// last seen on (hints, see plan.ts); they choose which request to make, never what to answer.
//
// The listing is sorted by update time, so rows shift while tasks change: a task missing from
// every page is confirmed by a single Describe by TaskId before it is reported gone.
import type { CoalescerOptions, CoalescerStats, DescribeClient, ReadCoalescer, ReadOptions, TaskInfo } from "./types";
import { createListingCache } from "./cache";
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

interface Waiter {
  taskId: string;
  resolve(info: TaskInfo | undefined): void;
  reject(err: unknown): void;
  settled: boolean;
  /** Pages requested since this read arrived (answered or still in flight). */
  requested: Set<number>;
  /** Pages answered since this read arrived, without the task on them. */
  covered: Set<number>;
  arrivedAt: number;
  /** The page its hint named when that page was requested for it. */
  hintedPage?: number;
  /** Read back right after this process wrote it: it sorts near the top of the listing. */
  written?: boolean;
}

/** One region's traffic: listings are per region, so batches are too. */
interface RegionQueue {
  region?: string;
  incoming: Waiter[];
  firstArrival: number;
  timer?: NodeJS.Timeout;
  /** Wakes the planner when a held read's patience ends. */
  holdTimer?: NodeJS.Timeout;
  /** Reads waiting for a listing page or for a decision. */
  waiting: Set<Waiter>;
  pagesInFlight: number;
  cursor: number;
  /** Last TotalNum the API reported. */
  totalNum?: number;
  /** Task id -> page it was last seen on. */
  positions: Map<string, number>;
  singles: number;
  /** Pages read at least once: their tasks have hints. */
  seenPages: Set<number>;
  learning?: Set<number>;
  learned: boolean;
  /** Recent outcomes of hinted requests (true: the task was on its hinted page). */
  hintOutcomes: boolean[];
}

/** The hold while Describe is contended (DescribeClient.describeContended). */
export const CONTENDED_HOLD_MS = 1000;

export function createReadCoalescer(client: DescribeClient, opts: CoalescerOptions = {}): ReadCoalescer {
  const idleMs = opts.idleMs ?? 10;
  // Reads of a whole stack at once reach the host over a second or more: one batch is cheapest.
  const maxWaitMs = opts.maxWaitMs ?? 1000;
  // Longer while the API throttles this account's Describes (other processes read back their
  // writes too): a page-1 request then serves only this process's share of the newest 20 tasks.
  const holdMs = (): number => opts.holdMs ?? (client.describeContended?.() ? CONTENDED_HOLD_MS : 200);
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
      q = {
        region,
        incoming: [],
        firstArrival: 0,
        waiting: new Set(),
        pagesInFlight: 0,
        cursor: Number.MAX_SAFE_INTEGER,
        positions: new Map(),
        singles: 0,
        seenPages: new Set(),
        learned: false,
        hintOutcomes: [],
      };
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

  function flush(q: RegionQueue): void {
    if (q.timer) clearTimeout(q.timer);
    q.timer = undefined;
    const batch = q.incoming.filter((w) => !w.settled);
    q.incoming = [];
    if (batch.length === 0) return;
    stats.batches++;
    for (const w of batch) q.waiting.add(w);
    pump(q);
  }

  function pagesOf(q: RegionQueue): number | undefined {
    return q.totalNum === undefined ? undefined : listingPages(q.totalNum, pageSize);
  }

  /** Makes requests until plan.nextStep says to wait for answers. */
  function pump(q: RegionQueue): void {
    for (const w of q.waiting) if (w.settled) q.waiting.delete(w);
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
          hint: trusted ? q.positions.get(w.taskId) : undefined,
          requested: w.requested,
          covered: w.covered,
          waitedMs: Date.now() - w.arrivedAt,
        })),
        pages: pagesOf(q),
        pagesInFlight: q.pagesInFlight,
        pageConcurrency,
        learning: q.learning,
        cursor: q.cursor,
        assumedPages,
        singlesSoFar: q.singles,
        holdMs: holdMs(),
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
    const snapshot = [...q.waiting].filter((w) => !w.requested.has(page));
    for (const w of snapshot) {
      w.requested.add(page);
      if (q.positions.get(w.taskId) === page) w.hintedPage = page;
    }
    q.learning?.delete(page);
    q.cursor = page > 1 ? page - 1 : Number.MAX_SAFE_INTEGER;
    q.pagesInFlight++;
    stats.pages++;
    Promise.resolve()
      .then(() => client.describeTasks({ PageNum: page, PageSize: pageSize }, { region: q.region }))
      .then(
        (res) => {
          q.pagesInFlight--;
          guarded(q, () => onPage(q, page, snapshot, res.TaskInfos ?? [], res.TotalNum));
        },
        () => {
          q.pagesInFlight--;
          // The client already retried what is retryable. A read does not fail because a page
          // did: each read this page was to serve asks for its own task by TaskId.
          guarded(q, () => {
            for (const w of snapshot) if (!w.settled && q.waiting.has(w)) single(q, w, "fallback");
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

  return {
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
    stats: () => ({ ...stats, ...(cache ? { cache: cache.stats() } : {}) }),
  };
}
