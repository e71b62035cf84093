// Reads of tasks this process has not written (a `pulumi refresh`, an import): served from listing
// pages this process fetched, kept for the rest of the command (one provider process per Pulumi
// command), so that a refresh at any --parallel, even 1, pays about one call per 20 tasks.
//
// What a page may answer later, and why that never returns a state older than the read:
//  - a row is served only if its UpdateTime is at least the UpdateTime the read's own state holds
//    (a page from a lagging replica, `stale-read`, never takes a task back behind what was
//    written), and of two rows for one task the newer UpdateTime wins;
//  - a task this process writes is dropped from the cache, and a page requested before that write
//    cannot bring it back (read-backs after writes never come here: coalesce.ts serves them);
//  - rows live for CACHE_TTL_MS at most, so a long-running process does not serve old listings.
// Which page to fetch follows from the read's UpdateTime (locate.ts); a read no page is a good
// guess for gets its own Describe by TaskId, so a small stack in a big account pays about one call
// per task (T ≫ N), never a listing of the whole account.
import { MAX_PAGE_SIZE } from "../api/limits";
import { mayFetch, pageFor, type PageRange } from "./locate";
import type { DescribeClient, TaskInfo } from "./types";

export const CACHE_TTL_MS = 60_000;

export interface CacheStats {
  /** Reads answered from a page (fetched for them or earlier). */
  hits: number;
  /** Listing pages fetched, and of them the ones that answered no read. */
  pages: number;
  wasted: number;
  /** Describe-by-TaskId calls (no page was a good guess, or the budget for guesses was spent). */
  singles: number;
}

interface Page extends PageRange {
  at: number;
  served: number;
}

interface Row {
  info: TaskInfo;
  updated: number;
  at: number;
  page: number;
}

interface Region {
  region?: string;
  rows: Map<string, Row>;
  pages: Map<number, Page>;
  inFlight: Map<number, Promise<void>>;
  /** Pages answered (an empty one included): never fetched twice in one process. */
  fetched: Set<number>;
  total?: number;
  /** When this process last wrote each task (ms). */
  written: Map<string, number>;
}

const time = (iso: unknown): number | undefined => {
  const t = typeof iso === "string" ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : undefined;
};

export interface ListingCache {
  read(taskId: string, region: string | undefined, knownUpdateTime?: string): Promise<TaskInfo | undefined>;
  /** This process has written the task: no page fetched before now may answer for it. */
  written(taskId: string, region: string | undefined): void;
  stats(): CacheStats;
}

export function createListingCache(client: DescribeClient, now: () => number = Date.now): ListingCache {
  const regions = new Map<string, Region>();
  const stats: CacheStats = { hits: 0, pages: 0, wasted: 0, singles: 0 };
  const regionOf = (region: string | undefined): Region => {
    const key = region ?? "";
    let r = regions.get(key);
    if (!r) {
      r = { region, rows: new Map(), pages: new Map(), inFlight: new Map(), fetched: new Set(), written: new Map() };
      regions.set(key, r);
    }
    return r;
  };
  const wasted = (r: Region): number => [...r.pages.values()].filter((p) => p.served === 0).length;

  function fetchPage(r: Region, page: number): Promise<void> {
    const requested = now();
    stats.pages++;
    const p = Promise.resolve()
      .then(() => client.describeTasks({ PageNum: page, PageSize: MAX_PAGE_SIZE }, { region: r.region }))
      .then((res) => {
        const rows = res.TaskInfos ?? [];
        r.fetched.add(page);
        if (typeof res.TotalNum === "number" && res.TotalNum >= 0) r.total = res.TotalNum;
        const times = rows.map((t) => time(t.UpdateTime)).filter((t): t is number => t !== undefined);
        if (times.length > 0) {
          r.pages.set(page, { page, oldest: Math.min(...times), newest: Math.max(...times), at: requested, served: 0 });
        }
        for (const info of rows) {
          const updated = time(info.UpdateTime);
          if (updated === undefined || (r.written.get(info.TaskId) ?? -Infinity) >= requested) continue;
          const had = r.rows.get(info.TaskId);
          if (!had || updated >= had.updated) r.rows.set(info.TaskId, { info, updated, at: requested, page });
        }
      })
      // A failed page answers nothing; the reads waiting on it ask by TaskId.
      .catch(() => undefined)
      .finally(() => r.inFlight.delete(page));
    r.inFlight.set(page, p);
    return p;
  }

  function cached(r: Region, taskId: string, known: number | undefined): TaskInfo | undefined {
    const row = r.rows.get(taskId);
    if (!row || now() - row.at > CACHE_TTL_MS) return undefined;
    if (known !== undefined && row.updated < known) return undefined;
    return row.info;
  }

  function served(r: Region, taskId: string): void {
    stats.hits++;
    const page = r.pages.get(r.rows.get(taskId)!.page);
    if (page) page.served++;
  }

  async function single(r: Region, taskId: string): Promise<TaskInfo | undefined> {
    stats.singles++;
    return client.describeTask(taskId, { region: r.region });
  }

  return {
    async read(taskId, region, knownUpdateTime) {
      const r = regionOf(region);
      const known = time(knownUpdateTime);
      const asked = new Set<number>();
      for (;;) {
        const hit = cached(r, taskId, known);
        if (hit) {
          served(r, taskId);
          return hit;
        }
        // Page 1 first: it tells TotalNum, and the newest tasks are on it.
        const pages = r.total === undefined ? undefined : Math.max(1, Math.ceil(r.total / MAX_PAGE_SIZE));
        // A page in flight is a fine answer to wait for; pages answered or already tried are not.
        const taken = new Set([...r.fetched, ...asked]);
        const want = pages === undefined
          ? (asked.has(1) ? undefined : 1)
          : pageFor({ updated: known, pages, known: [...r.pages.values()], taken });
        if (want === undefined) {
          // Nothing worth a page: unless a page in flight may still hold it, ask by TaskId.
          const pending = [...r.inFlight.entries()].filter(([p]) => !asked.has(p));
          if (pending.length === 0 || known === undefined) return single(r, taskId);
          for (const [p] of pending) asked.add(p);
          await Promise.race(pending.map(([, w]) => w));
          continue;
        }
        asked.add(want);
        const flying = r.inFlight.get(want);
        if (flying) {
          await flying;
          continue;
        }
        if (mayFetch(wasted(r), r.inFlight.size)) {
          await fetchPage(r, want);
          continue;
        }
        if (r.inFlight.size > 0) {
          // The budget is held by pages in flight: their answers may settle it.
          asked.delete(want);
          await Promise.race(r.inFlight.values());
          continue;
        }
        return single(r, taskId);
      }
    },
    written(taskId, region) {
      const r = regionOf(region);
      r.written.set(taskId, now());
      r.rows.delete(taskId);
    },
    stats: () => ({ ...stats, wasted: [...regions.values()].reduce((a, r) => a + wasted(r), 0) }),
  };
}
