// Which way to serve a batch of reads costs fewer DescribeLivePullStreamTasks calls: one call per
// task (Describe by TaskId), or paging through the account's whole listing (PageSize 20), which
// costs ceil(TotalNum / 20) calls whatever the batch size. Pure: the coalescer feeds it counts.

/** The API's largest page (DescribeLivePullStreamTasks accepts PageSize 1..20). */
export const PAGE_SIZE = 20;

/**
 * What to assume about an account whose TotalNum this process has not seen yet: the documented
 * default quota (200 tasks, 10 pages). Only decides whether a first listing page is worth asking
 * for; that page then tells the real TotalNum and the plan is made again.
 */
export const ASSUMED_TOTAL = 200;

/** Listing calls needed to see every task: an empty account still answers one (empty) page. */
export function listingPages(totalNum: number, pageSize = PAGE_SIZE): number {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  if (!(totalNum >= 0)) throw new RangeError(`totalNum must be a non-negative number, got ${totalNum}`);
  return Math.max(1, Math.ceil(totalNum / pageSize));
}

export type Strategy = "single" | "list";

/**
 * The cheaper way to settle `waiting` reads when a listing would still need `pages` calls.
 * A tie goes to single reads: same cost, and a single read can never miss a task that moved
 * between pages (the listing is sorted by update time), so it never needs a confirmation.
 */
export function cheaper(waiting: number, pages: number): Strategy {
  return pages < waiting ? "list" : "single";
}

export interface BatchPlan {
  strategy: Strategy;
  /** Calls the plan expects to make (confirmations of tasks gone from the listing come on top). */
  calls: number;
  /**
   * TotalNum was unknown: ask for page 1 alone first. It serves up to a page of the batch and
   * tells TotalNum; the rest of the batch is then planned again with planRemaining.
   */
  probe: boolean;
}

export interface PlanOptions {
  pageSize?: number;
  assumedTotal?: number;
}

/** Plans a fresh batch of `batch` reads, given the account's TotalNum if one was seen recently. */
export function planBatch(batch: number, totalNum: number | undefined, opts: PlanOptions = {}): BatchPlan {
  if (!Number.isInteger(batch) || batch < 0) throw new RangeError(`batch must be a non-negative integer, got ${batch}`);
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const pages = listingPages(totalNum ?? opts.assumedTotal ?? ASSUMED_TOTAL, pageSize);
  const strategy = cheaper(batch, pages);
  if (strategy === "single") return { strategy, calls: batch, probe: false };
  return { strategy, calls: pages, probe: totalNum === undefined };
}

/**
 * Re-plans part-way through a listing: `waiting` reads are still unanswered and the listing
 * needs `pagesLeft` more pages to cover all of them. Pages already fetched are sunk cost, so
 * the choice is between what is left of the listing and one single read per waiting task.
 */
export function planRemaining(waiting: number, pagesLeft: number): Strategy {
  if (waiting <= 0) return "single";
  return cheaper(waiting, pagesLeft);
}
