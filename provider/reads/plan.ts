// Which way to serve a batch of reads costs fewer DescribeLivePullStreamTasks calls: one call per
// task (Describe by TaskId), or paging through the account's whole listing (PageSize 20), which
// costs ceil(TotalNum / 20) calls whatever the batch size. Pure: the coalescer feeds it counts.

import { MAX_PAGE_SIZE as PAGE_SIZE } from "../api/limits";

export { PAGE_SIZE };

/**
 * What to assume about an account whose TotalNum this process has not seen yet: the documented
 * default quota (200 tasks, 10 pages). Only decides whether a first listing page is worth asking
 * for; that page then tells the real TotalNum and the plan is made again.
 */
export const ASSUMED_TOTAL = 200;

/** Listing calls needed to see every task: an empty account still answers one (empty) page. */
export function listingPages(totalNum: number, pageSize = PAGE_SIZE): number {
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  }
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

// ---- Step by step, while reads keep arriving (a refresh at the engine's --parallel) ----------
// The engine keeps only --parallel reads outstanding, so batches are small. Listing pays anyway
// through hints (the page a task was last seen on: they choose which page to request, never what
// to answer) and one learning pass, bought once the singles paid reach a full listing's price (ski
// rental: at most twice the single-read cost). What each buys, measured: docs/architecture.md.

export interface WaitingRead {
  id: string;
  /** The page this task was last seen on, if any listing page showed it. */
  hint?: number;
  /** Pages requested since this read arrived: only those may serve it. */
  requested: ReadonlySet<number>;
  /** Of those, pages that answered without the task (the rest are still in flight). */
  covered?: ReadonlySet<number>;
  /** How long it has waited so far (ms). */
  waitedMs?: number;
  /** Read back right after this process wrote the task: it sorts near the top (see READ_BACK_BATCH). */
  written?: boolean;
}

export interface ListingState {
  waiting: readonly WaitingRead[];
  /** ceil(TotalNum / pageSize) when TotalNum is known. */
  pages?: number;
  pagesInFlight: number;
  pageConcurrency: number;
  /** Pages the learning pass has still to read (empty or undefined: no pass under way). */
  learning?: ReadonlySet<number>;
  /** Where the round-robin sweep for reads without a hint goes next. */
  cursor: number;
  /** Pages assumed before TotalNum is known (see ASSUMED_TOTAL). */
  assumedPages: number;
  /** Single Describes made so far in this region (the rent paid, see shouldLearn). */
  singlesSoFar?: number;
  /**
   * How long a read alone on its hinted page, of a task not just written, may wait for company
   * before it gets a single Describe (read-backs after writes wait for READ_BACK_BATCH instead).
   */
  holdMs?: number;
  /**
   * Whether more reads may come to share a page: this process has writes in flight, whose
   * read-backs follow them. Without any, holding a read only delays it. Default true.
   */
  companyComing?: boolean;
}

/**
 * Read-backs after writes a page request waits for. Several processes may share the account's
 * 20 Describes a second (two pipelines applying at once), and each reads back its own writes: a
 * page for every 4 of them lets K processes together read back 80 writes a second, more than the
 * 50 creates a second the API allows, with no single Describe by TaskId.
 */
export const READ_BACK_BATCH = 4;
/**
 * ...or how long the oldest of them waits. Page 1 holds the 20 newest tasks: at the API's 50
 * creates a second, a task written 300 ms ago is still on it (15 writes since, of every process).
 */
export const READ_BACK_HOLD_MS = 300;

export type Step =
  | { kind: "page"; page: number }
  | { kind: "single"; ids: string[] }
  /** Nothing to request now; `retryInMs`: plan again then, when a held read's patience ends. */
  | { kind: "wait"; retryInMs?: number };

/** Pages 1..pages not yet requested for this read. */
export function pagesLeft(read: WaitingRead, pages: number): number {
  let seen = 0;
  for (const p of read.requested) if (p >= 1 && p <= pages) seen++;
  return pages - seen;
}

/** Starts the learning pass once the singles paid so far reach the price of one full listing. */
export function shouldLearn(singlesSoFar: number, pages: number | undefined, learnedBefore: boolean): boolean {
  return !learnedBefore && pages !== undefined && pages > 1 && singlesSoFar >= pages;
}

/** The next request to make for the waiting reads of one region, or "wait" for answers in flight. */
export function nextStep(s: ListingState): Step {
  const waiting = s.waiting;
  if (waiting.length === 0) return { kind: "wait" };
  const companyComing = s.companyComing ?? true;
  if (s.pages === undefined) {
    if (s.pagesInFlight > 0) return { kind: "wait" };
    // Probe: page 1 tells TotalNum and serves its rows; everything else is planned after it.
    // Worth it for a batch bigger than the assumed listing, or once the singles paid so far
    // reach that listing's price (the account may be small: one page could serve every batch).
    const plan = planBatch(waiting.length, undefined, { assumedTotal: s.assumedPages * PAGE_SIZE });
    const rentPaid = (s.singlesSoFar ?? 0) >= s.assumedPages && waiting.length >= 2;
    // Tasks just written sit on page 1 (newest first): they wait for it, as below.
    const fresh = waiting.filter((w) => w.written && w.hint === 1 && !w.requested.has(1));
    const left = readBackPatience(fresh, 1, fresh.length, companyComing);
    if (plan.probe || rentPaid || left === 0) return { kind: "page", page: 1 };
    const others = waiting.filter((w) => !fresh.includes(w)).map((w) => w.id);
    if (others.length > 0) return { kind: "single", ids: others };
    return { kind: "wait", retryInMs: left };
  }
  if (s.pagesInFlight >= s.pageConcurrency) return { kind: "wait" };
  const pages = s.pages;
  const placed = new Map<number, WaitingRead[]>();
  const unplaced: WaitingRead[] = [];
  for (const w of waiting) {
    if (pagesLeft(w, pages) === 0) continue; // every page is requested for it: await the answers
    // Its hinted page is in flight for it: most likely that answer serves it.
    if (w.hint !== undefined && w.requested.has(w.hint) && w.covered && !w.covered.has(w.hint)) continue;
    if (w.hint !== undefined && w.hint <= pages && !w.requested.has(w.hint)) {
      placed.set(w.hint, [...(placed.get(w.hint) ?? []), w]);
    } else {
      unplaced.push(w);
    }
  }
  // How long each placed page's reads still wait for company; 0: ask for the page now.
  const patience = new Map<number, number>();
  for (const [page, reads] of placed) {
    const written = reads.filter((w) => w.written);
    // A lone read of a task not just written gets a single after the hold, below.
    const alone = reads.length >= 2 ? 0 : Infinity;
    patience.set(page, written.length > 0 ? readBackPatience(written, page, reads.length, companyComing) : alone);
  }
  const ready = [...patience].filter(([, left]) => left === 0).map(([page]) => page);
  if (ready.length > 0) {
    const most = ready.reduce((a, b) => (placed.get(b)!.length > placed.get(a)!.length ? b : a));
    return { kind: "page", page: most };
  }
  if (s.learning && s.learning.size > 0) return { kind: "page", page: Math.max(...s.learning) };
  if (unplaced.length > 0) {
    const needed = Math.max(...unplaced.map((w) => pagesLeft(w, pages)));
    if (planRemaining(unplaced.length, needed) === "list") {
      const page = sweepPage(unplaced, pages, s.cursor);
      if (page !== undefined) return { kind: "page", page };
    }
  }
  // Pages in flight will answer reads, and the engine sends the next ones at once: those may
  // share a page with the reads left over here. Single reads only once nothing else is coming.
  if (s.pagesInFlight > 0) return { kind: "wait" };
  // (Company for reads not after a write is other reads, which the engine sends in streams.)
  const hold = s.holdMs ?? 0;
  const ids = unplaced.map((w) => w.id);
  let retryInMs: number | undefined;
  for (const [page, reads] of placed) {
    const left = patience.get(page)!;
    // Read-backs wait for their page: alone, a single would cost as much, and not gather the
    // read-backs that come while it waits for its turn in the limiter (reads/coalesce.ts).
    if (left !== Infinity) {
      retryInMs = Math.min(retryInMs ?? left, left);
      continue;
    }
    const lone = hold - (reads[0].waitedMs ?? 0);
    if (lone <= 0) ids.push(reads[0].id);
    else retryInMs = Math.min(retryInMs ?? lone, lone);
  }
  if (ids.length > 0) return { kind: "single", ids };
  return retryInMs === undefined ? { kind: "wait" } : { kind: "wait", retryInMs };
}

/**
 * How long read-backs after writes hinted to `page` still wait for company (0: ask for the page
 * now; Infinity: there are none). Not at all when `sharing` reads make a batch, when no write is in
 * flight to bring more, or below page 1: those slid down while they waited and slide on.
 */
export function readBackPatience(
  written: readonly WaitingRead[],
  page: number,
  sharing: number,
  companyComing: boolean,
): number {
  if (written.length === 0) return Infinity;
  if (sharing >= READ_BACK_BATCH || !companyComing || page > 1) return 0;
  return Math.max(0, READ_BACK_HOLD_MS - Math.max(...written.map((w) => w.waitedMs ?? 0)));
}

/**
 * Round robin downwards from `cursor`: the listing is newest first and Pulumi reads in state
 * order (oldest first), so the reads still to come tend to sit on lower-numbered pages.
 */
export function sweepPage(reads: readonly WaitingRead[], pages: number, cursor: number): number | undefined {
  const start = Math.min(Math.max(cursor, 1), pages);
  for (let i = 0; i < pages; i++) {
    const page = ((start - 1 - i + pages * 2) % pages) + 1;
    if (reads.some((w) => !w.requested.has(page))) return page;
  }
  return undefined;
}

/** Hint outcomes remembered, and how many must be known before hints can be distrusted. */
export const HINT_WINDOW = 32;
export const HINT_MIN_OUTCOMES = 8;

/**
 * Hints go stale when tasks change between the page that gave them and the read (an apply moves
 * every written task to page 1). When most recent hints were wrong, stop following them: each
 * wrong one costs a page request, and a single Describe costs only one call.
 */
export function hintsTrusted(q: { hintOutcomes: readonly boolean[] }): boolean {
  if (q.hintOutcomes.length < HINT_MIN_OUTCOMES) return true;
  const misses = q.hintOutcomes.filter((hit) => !hit).length;
  return misses * 2 <= q.hintOutcomes.length;
}
