// The read coalescer's state per region (coalesce.ts drives it): the reads waiting, the listing
// pages asked for, and the planning metadata (TotalNum, the page each task was last seen on).
import type { TaskInfo } from "./types";

export interface Waiter {
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

/** A listing page asked for: until the limiter sends it, every read that arrives joins it. */
export interface PageRequest {
  page: number;
  /** The reads it is to serve. */
  joined: Waiter[];
}

/** One region's traffic: listings are per region, so batches are too. */
export interface RegionQueue {
  region?: string;
  incoming: Waiter[];
  firstArrival: number;
  timer?: NodeJS.Timeout;
  /** Wakes the planner when a held read's patience ends. */
  holdTimer?: NodeJS.Timeout;
  /** Reads waiting for a listing page or for a decision. */
  waiting: Set<Waiter>;
  pagesInFlight: number;
  /** Requested pages the limiter has not let go yet: reads arriving now join them. */
  unsent: Set<PageRequest>;
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

export function newRegionQueue(region: string | undefined): RegionQueue {
  return {
    region,
    incoming: [],
    firstArrival: 0,
    waiting: new Set(),
    pagesInFlight: 0,
    unsent: new Set(),
    cursor: Number.MAX_SAFE_INTEGER,
    positions: new Map(),
    singles: 0,
    seenPages: new Set(),
    learned: false,
    hintOutcomes: [],
  };
}

/** Adds to a page request the waiting reads it has not got yet: they began before it is sent. */
export function join(q: RegionQueue, r: PageRequest): void {
  for (const w of q.waiting) {
    if (w.settled || w.requested.has(r.page)) continue;
    w.requested.add(r.page);
    if (q.positions.get(w.taskId) === r.page) w.hintedPage = r.page;
    r.joined.push(w);
  }
}
