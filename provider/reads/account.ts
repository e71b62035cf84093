// Every task of the account in a region, for Create's shared-destination check
// (protocol/shared.ts), at about one listing page per batch of Creates instead of a full listing
// per Create.
//
// The first listing of a region in this process reads every page; later ones read only what changed
// since: the listing is sorted by update time, newest first, so pages are read from the top until
// a row older than the second the previous listing was sent in (every task written since then is
// above it). Rows are merged by TaskId, the newer UpdateTime winning, so a page from a lagging
// replica never takes a task back.
//
// Freshness: a caller is served by the last listing when its first page went out after this
// process's last answered Create to one of the caller's streams (`created`: our own writes are in
// it) and at most MAX_AGE_MS before the call (another writer's task of the last second races the
// check anyway: reads lag writes by seconds); else by a listing whose first page goes out after the
// call. Callers arriving before that page goes out share it, and at most one listing per region is
// in flight: an `up` of many tasks pays about a page per second. What a listing cannot show: a task
// deleted since an earlier listing stays among the rows unless this process deleted it (the caller
// confirms a row by TaskId before it refuses anything), a
// task written while pages are read may shift past them (rows move when tasks change), and a page
// may lag writes by seconds. So the check sees tasks in use, not a Create racing it elsewhere.
import { MAX_PAGE_SIZE } from "../api/limits";
import type { DescribeClient, TaskInfo } from "./types";

export interface AccountStats {
  /** Listings made (each a full read or the pages changed since the last one), and their pages. */
  listings: number;
  pages: number;
}

/** How old the last listing may be for a caller whose streams this process has not created since. */
export const MAX_AGE_MS = 1000;

export interface AccountView {
  /**
   * Every task of the region (plus rows kept, see above), as a listing fresh for a Create to
   * `streams` (destination identities, task/destination.ts) shows it.
   */
  list(region: string | undefined, streams: readonly string[]): Promise<TaskInfo[]>;
  /** This process's Create to these streams was answered: later callers need a later listing. */
  created(region: string | undefined, streams: readonly string[]): void;
  /** This process's Delete of the task was answered (or found it gone): its row is dropped. */
  deleted(region: string | undefined, taskId: string): void;
  stats(): AccountStats;
}

interface Listing {
  promise: Promise<void>;
  /** Its first page has gone out: later callers wait for the next listing. */
  sent: boolean;
  /** Local time its first page went out. */
  sentAt?: number;
}

interface Region {
  region?: string;
  rows: Map<string, { info: TaskInfo; updated: number }>;
  /** The mark of the last listing that finished: later ones read down to it; undefined: read all. */
  since?: number;
  inFlight?: Promise<void>;
  next?: Listing;
  /** Local time the first page of the last finished listing went out. */
  listedAt?: number;
  /** Local time this process's last Create to each stream was answered. */
  createdAt: Map<string, number>;
}

const time = (iso: unknown): number => {
  const t = typeof iso === "string" ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : -Infinity;
};

/** `mark` from the client's bounds on the API's clock (provider/api/clock.ts earliestNow). */
export function clockMark(client: DescribeClient): (sentAt: number) => number {
  return (sentAt) => {
    const earliest = client.clock ? client.clock.earliestNow() - (Date.now() - sentAt) : -Infinity;
    return Number.isFinite(earliest) ? Math.floor(earliest / 1000) * 1000 : -Infinity;
  };
}

/**
 * `mark(sentAt)`: the start of the earliest API second a request sent at local time `sentAt` can
 * have reached the API in (protocol/fresh.ts), -Infinity while the API's clock is unknown. Asked
 * once the first page's answer is in, which also teaches the clock.
 */
export function createAccountView(
  client: DescribeClient,
  mark: (sentAt: number) => number,
  pageSize: number = MAX_PAGE_SIZE,
): AccountView {
  const regions = new Map<string, Region>();
  const stats: AccountStats = { listings: 0, pages: 0 };

  const regionOf = (region: string | undefined): Region => {
    let r = regions.get(region ?? "");
    if (!r) regions.set(region ?? "", (r = { region, rows: new Map(), createdAt: new Map() }));
    return r;
  };

  function merge(r: Region, rows: readonly TaskInfo[]): void {
    for (const info of rows) {
      const updated = time(info.UpdateTime);
      const had = r.rows.get(info.TaskId);
      if (!had || updated >= had.updated) r.rows.set(info.TaskId, { info, updated });
    }
  }

  async function page(r: Region, n: number, onSend?: () => void): Promise<{ rows: TaskInfo[]; total?: number }> {
    stats.pages++;
    const res = await client.describeTasks({ PageNum: n, PageSize: pageSize }, { region: r.region, onSend });
    const rows = res.TaskInfos ?? [];
    merge(r, rows);
    return { rows, total: typeof res.TotalNum === "number" && res.TotalNum >= 0 ? res.TotalNum : undefined };
  }

  async function run(r: Region, listing: Listing): Promise<void> {
    stats.listings++;
    const since = r.since;
    const startedAt = Date.now();
    const sent = (at: number): void => {
      if (listing.sent) return;
      listing.sent = true;
      listing.sentAt = at;
      if (r.next === listing) r.next = undefined;
    };
    const first = await page(r, 1, () => sent(Date.now()));
    // A client that does not tell when a request goes out: the time before it was asked for.
    sent(startedAt);
    const pages = Math.max(1, Math.ceil((first.total ?? first.rows.length) / pageSize));
    if (since === undefined) {
      // The first listing: every page, two at a time (the client's limiter paces them).
      let next = 2;
      const worker = async (): Promise<void> => {
        while (next <= pages) await page(r, next++);
      };
      await Promise.all([worker(), worker()]);
    } else {
      // Down to the first row written before the second the last listing went out in: every task
      // written since shows an UpdateTime (whole seconds) not before it, so sits above that row.
      let last = first.rows;
      for (let n = 2; n <= pages && last.length >= pageSize; n++) {
        if (Math.min(...last.map((t) => time(t.UpdateTime))) < since) break;
        last = (await page(r, n)).rows;
      }
    }
    r.since = listing.sentAt === undefined ? -Infinity : mark(listing.sentAt);
    r.listedAt = listing.sentAt ?? startedAt;
  }

  /** Whether the last finished listing serves a caller to `streams` now. */
  function fresh(r: Region, streams: readonly string[]): boolean {
    if (r.listedAt === undefined || Date.now() - r.listedAt > MAX_AGE_MS) return false;
    return streams.every((s) => (r.createdAt.get(s) ?? -Infinity) < r.listedAt!);
  }

  return {
    async list(region, streams) {
      const r = regionOf(region);
      if (fresh(r, streams)) return [...r.rows.values()].map((row) => row.info);
      let listing = r.next;
      if (!listing) {
        const created: Listing = { sent: false, promise: Promise.resolve() };
        const before = r.inFlight ?? Promise.resolve();
        created.promise = before.catch(() => undefined).then(() => run(r, created));
        r.next = listing = created;
        const settled = created.promise.catch(() => undefined);
        r.inFlight = settled;
        void settled.then(() => {
          if (r.inFlight === settled) r.inFlight = undefined;
          if (r.next === created) r.next = undefined;
        });
      }
      await listing.promise;
      return [...r.rows.values()].map((row) => row.info);
    },
    created(region, streams) {
      const r = regionOf(region);
      for (const s of streams) r.createdAt.set(s, Date.now());
    },
    deleted(region, taskId) {
      regionOf(region).rows.delete(taskId);
    },
    stats: () => ({ ...stats }),
  };
}
