// Where in the account's listing a task sits, from its last known UpdateTime. Pure.
//
// DescribeLivePullStreamTasks lists the account newest update first, 20 a page, so a task's page
// follows from how many tasks were updated after it. A Read carries the task's state, and with it
// the UpdateTime it had when last written or read: that time, against the UpdateTime range of the
// pages fetched so far, says which page to ask for. A page costs one call, as a Describe by TaskId
// does, and brings 19 more tasks the rest of the refresh will likely read; a page that holds none
// of the stack's tasks is the only waste, and the waste budget bounds it.

export interface PageRange {
  page: number;
  /** Oldest and newest UpdateTime on the page (ms). */
  oldest: number;
  newest: number;
}

export interface Locate {
  /** The task's last known UpdateTime (ms); undefined: not known (an import, an old state). */
  updated?: number;
  /** Pages of the listing: ceil(TotalNum / 20). */
  pages: number;
  /** Pages fetched so far, with their ranges. */
  known: readonly PageRange[];
  /** Pages fetched or in flight, and pages this read already asked for: never asked again. */
  taken: ReadonlySet<number>;
}

/**
 * The page to ask for, or undefined when no page is a good guess (then a Describe by TaskId).
 * Inside the range of a page already fetched that did not hold it, the task has changed or moved:
 * only a neighbour holding the same second (ties at a page boundary) is worth a look.
 */
export function pageFor(q: Locate): number | undefined {
  if (q.updated === undefined || q.pages < 1) return undefined;
  const u = q.updated;
  const free = (p: number): boolean => p >= 1 && p <= q.pages && !q.taken.has(p);
  // Strictly inside a page that did not hold it: the task changed or moved, no page will tell.
  if (q.known.some((r) => r.oldest < u && u < r.newest)) return undefined;
  // The nearest fetched pages holding strictly newer and strictly older tasks than this one. A page
  // sharing its second (UpdateTime has whole seconds; 50 creates a second fill 2.5 pages) bounds
  // nothing: the task may sit on either side of it.
  let newer: PageRange | undefined;
  let older: PageRange | undefined;
  for (const r of q.known) {
    if (r.oldest > u && (!newer || r.page > newer.page)) newer = r;
    if (r.newest < u && (!older || r.page < older.page)) older = r;
  }
  const from = newer ? newer.page + 1 : 1;
  const to = older ? older.page - 1 : q.pages;
  if (from > to) return undefined;
  let guess: number;
  if (newer && older) {
    // Updates spread evenly in time between the two: interpolate.
    const share = (newer.oldest - u) / Math.max(1, newer.oldest - older.newest);
    guess = Math.round(newer.page + share * (older.page - newer.page));
  } else if (!older) {
    // As old as everything seen, or older: a refresh reads in state order, oldest first, and the
    // oldest tasks are at the end of the listing.
    guess = to;
  } else {
    guess = from;
  }
  guess = Math.min(to, Math.max(from, guess));
  for (let d = 0; d <= to - from; d++) {
    if (guess - d >= from && free(guess - d)) return guess - d;
    if (guess + d <= to && free(guess + d)) return guess + d;
  }
  return undefined;
}

/**
 * Pages that served no read yet, and pages in flight, may all turn out waste. A refresh of N tasks
 * then costs at most N + WASTE_BUDGET calls: every other call answered at least one read.
 */
export const WASTE_BUDGET = 5;

export function mayFetch(wastedSoFar: number, inFlight: number): boolean {
  return wastedSoFar + inFlight < WASTE_BUDGET;
}
