// Read coalescer: when many reads arrive together (a `pulumi refresh` of a big stack, where the
// engine calls Read for up to --parallel resources at once), serve them from paged
// DescribeLivePullStreamTasks listings when that costs fewer calls than one Describe per task.
//
// Freshness rule: a listing page serves ONLY the reads that were waiting when the page was
// requested. Nothing is kept for later reads, so a read never sees data older than itself. A read
// arriving while a listing is under way joins it for the pages not yet requested; if its task
// was on a page requested before it arrived, the listing goes round again (or the read falls back
// to a single Describe, whichever planRemaining says is cheaper).
//
// The listing is sorted by update time, so rows shift while tasks change: a task missing from
// every page is confirmed by a single Describe by TaskId before it is reported gone.
import type { DescribeLivePullStreamTasksRequest, PullStreamTaskInfo } from "../api/types";
import { ASSUMED_TOTAL, PAGE_SIZE, listingPages, planBatch, planRemaining } from "./plan";

export type TaskInfo = PullStreamTaskInfo;

/** What the coalescer needs of the API client (CssClient satisfies it). */
export interface DescribeClient {
  describeTasks(
    req: DescribeLivePullStreamTasksRequest,
    opts?: { region?: string },
  ): Promise<{ TaskInfos?: TaskInfo[]; TotalNum?: number }>;
  /** The task, or undefined when the API says it does not exist. */
  describeTask(taskId: string, opts?: { region?: string }): Promise<TaskInfo | undefined>;
}

export interface CoalescerOptions {
  /** A batch closes once no read has arrived for this long (ms). */
  idleMs?: number;
  /** ...or this long after its first read (ms), whichever comes first. */
  maxWaitMs?: number;
  /** ...or as soon as it holds this many reads. */
  maxBatch?: number;
  /** Listing pages requested at once; the client's limiter paces them to the action's rate. */
  pageConcurrency?: number;
  pageSize?: number;
  /** TotalNum to plan with before the first page of a region has told the real one. */
  assumedTotal?: number;
}

export interface CoalescerStats {
  reads: number;
  /** Batches closed by the idle window (or by maxBatch). */
  batches: number;
  /** Describe-by-TaskId calls made because they were cheaper than listing. */
  singles: number;
  /** Describe-by-TaskId calls confirming a task absent from a whole listing. */
  confirmations: number;
  /** Listing pages requested. */
  pages: number;
  /** Reads answered from a listing page. */
  servedByListing: number;
}

export interface ReadCoalescer {
  read(taskId: string, region?: string): Promise<TaskInfo | undefined>;
  stats(): CoalescerStats;
}

interface Waiter {
  taskId: string;
  resolve(info: TaskInfo | undefined): void;
  reject(err: unknown): void;
  settled: boolean;
  /** Pages requested since this read arrived (answered or still in flight). */
  requested: Set<number>;
  /** Pages answered since this read arrived, without the task on them. */
  covered: Set<number>;
}

/** One region's traffic: listings are per region, so batches are too. */
interface RegionQueue {
  region?: string;
  incoming: Waiter[];
  firstArrival: number;
  timer?: NodeJS.Timeout;
  /** Reads being served by the running listing. */
  members: Set<Waiter>;
  pagesInFlight: number;
  nextPage: number;
  /** Last TotalNum the API reported: a count used for planning only, never a source of data. */
  totalNum?: number;
}

export function createReadCoalescer(client: DescribeClient, opts: CoalescerOptions = {}): ReadCoalescer {
  const idleMs = opts.idleMs ?? 3;
  const maxWaitMs = opts.maxWaitMs ?? 25;
  const maxBatch = opts.maxBatch ?? 1000;
  const pageConcurrency = opts.pageConcurrency ?? 4;
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const assumedTotal = opts.assumedTotal ?? ASSUMED_TOTAL;
  const queues = new Map<string, RegionQueue>();
  const stats: CoalescerStats = { reads: 0, batches: 0, singles: 0, confirmations: 0, pages: 0, servedByListing: 0 };

  function queueFor(region: string | undefined): RegionQueue {
    const key = region ?? "";
    let q = queues.get(key);
    if (!q) {
      q = { region, incoming: [], firstArrival: 0, members: new Set(), pagesInFlight: 0, nextPage: 1 };
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

  function single(q: RegionQueue, w: Waiter, confirmation: boolean): void {
    q.members.delete(w);
    if (confirmation) stats.confirmations++;
    else stats.singles++;
    client.describeTask(w.taskId, { region: q.region }).then(
      (info) => settle(w, info),
      (err) => fail(w, err),
    );
  }

  function schedule(q: RegionQueue): void {
    if (q.timer) clearTimeout(q.timer);
    if (q.incoming.length >= maxBatch) return flush(q);
    const waited = Date.now() - q.firstArrival;
    q.timer = setTimeout(() => flush(q), Math.max(0, Math.min(idleMs, maxWaitMs - waited)));
  }

  function flush(q: RegionQueue): void {
    if (q.timer) clearTimeout(q.timer);
    q.timer = undefined;
    const batch = q.incoming.filter((w) => !w.settled);
    q.incoming = [];
    if (batch.length === 0) return;
    stats.batches++;
    const listing = q.members.size > 0 || q.pagesInFlight > 0;
    if (!listing && planBatch(batch.length, q.totalNum, { pageSize, assumedTotal }).strategy === "single") {
      for (const w of batch) single(q, w, false);
      return;
    }
    for (const w of batch) q.members.add(w);
    pump(q);
  }

  /** Pages still to request before every page 1..pages has been requested for `w`. */
  function pagesLeft(w: Waiter, pages: number): number {
    let seen = 0;
    for (const p of w.requested) if (p <= pages) seen++;
    return pages - seen;
  }

  /** Issues listing pages while the listing stays cheaper than single reads for those waiting. */
  function pump(q: RegionQueue): void {
    for (const w of q.members) if (w.settled) q.members.delete(w);
    while (q.pagesInFlight < pageConcurrency && q.members.size > 0) {
      if (q.totalNum === undefined) {
        // Probe: page 1 alone tells TotalNum (and serves its rows); plan the rest once it answers.
        if (q.pagesInFlight === 0) requestPage(q, 1, [...q.members]);
        return;
      }
      const pages = listingPages(q.totalNum, pageSize);
      let waiting = 0;
      let needed = 0;
      for (const w of q.members) {
        const left = pagesLeft(w, pages);
        if (left > 0) waiting++;
        needed = Math.max(needed, left);
      }
      if (waiting === 0) return; // every member awaits pages already in flight
      if (planRemaining(waiting, needed) === "single") {
        for (const w of [...q.members]) if (pagesLeft(w, pages) > 0) single(q, w, false);
        return;
      }
      if (!requestNextPage(q, pages)) return;
    }
  }

  /** Round-robin from where the listing left off: the first page some waiting read still needs. */
  function requestNextPage(q: RegionQueue, pages: number): boolean {
    for (let i = 0; i < pages; i++) {
      const page = ((q.nextPage - 1 + i) % pages) + 1;
      const snapshot = [...q.members].filter((w) => !w.requested.has(page));
      if (snapshot.length === 0) continue;
      q.nextPage = (page % pages) + 1;
      requestPage(q, page, snapshot);
      return true;
    }
    return false;
  }

  function requestPage(q: RegionQueue, page: number, snapshot: Waiter[]): void {
    for (const w of snapshot) w.requested.add(page);
    q.pagesInFlight++;
    stats.pages++;
    client.describeTasks({ PageNum: page, PageSize: pageSize }, { region: q.region }).then(
      (res) => {
        q.pagesInFlight--;
        onPage(q, page, snapshot, res.TaskInfos ?? [], res.TotalNum);
      },
      (err) => {
        q.pagesInFlight--;
        // The client already retried what is retryable: these reads fail as a single read would.
        for (const w of snapshot) {
          q.members.delete(w);
          fail(w, err);
        }
        pump(q);
      },
    );
  }

  function onPage(q: RegionQueue, page: number, snapshot: Waiter[], rows: TaskInfo[], totalNum: number | undefined): void {
    if (typeof totalNum === "number" && totalNum >= 0) q.totalNum = totalNum;
    const byId = new Map(rows.map((r) => [r.TaskId, r] as const));
    for (const w of snapshot) {
      if (w.settled || !q.members.has(w)) continue;
      const info = byId.get(w.taskId);
      if (info) {
        q.members.delete(w);
        stats.servedByListing++;
        settle(w, info);
      } else {
        w.covered.add(page);
      }
    }
    // Absent from every page answered since it arrived: gone, or shifted past the pages by a
    // concurrent change. Only a Describe by TaskId can tell.
    const pages = listingPages(q.totalNum ?? rows.length, pageSize);
    for (const w of [...q.members]) {
      let seen = 0;
      for (const p of w.covered) if (p <= pages) seen++;
      if (seen >= pages) single(q, w, true);
    }
    pump(q);
  }

  return {
    read(taskId: string, region?: string): Promise<TaskInfo | undefined> {
      stats.reads++;
      const q = queueFor(region);
      return new Promise((resolve, reject) => {
        if (q.incoming.length === 0) q.firstArrival = Date.now();
        q.incoming.push({ taskId, resolve, reject, settled: false, requested: new Set(), covered: new Set() });
        schedule(q);
      });
    },
    stats: () => ({ ...stats }),
  };
}
