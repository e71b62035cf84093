// The read coalescer's contract: what it needs of the API client, its options, its counters.
import type { DescribeLivePullStreamTasksRequest, PullStreamTaskInfo } from "../api/types";

export type TaskInfo = PullStreamTaskInfo;

/** What the coalescer needs of the API client (CssClient satisfies it). */
export interface DescribeClient {
  describeTasks(
    req: DescribeLivePullStreamTasksRequest,
    /** onSend: called as each attempt goes out (CallOptions.onSend), after any wait in the limiter. */
    opts?: { region?: string; onSend?: () => void },
  ): Promise<{ TaskInfos?: TaskInfo[]; TotalNum?: number }>;
  /** The task, or undefined when the API says it does not exist. */
  describeTask(taskId: string, opts?: { region?: string }): Promise<TaskInfo | undefined>;
  /** Calls that write (Create, Modify, Delete, Restart) sent and not yet ended (CssClient has it). */
  writesInFlight?(): number;
  /** Told of every write to a task (CssClient has it), so cached listing rows of it are dropped. */
  onWrite?(fn: (taskId: string, region: string) => void): void;
  /** Bounds on the API's clock (CssClient has them): what a listing can have missed (account.ts). */
  clock?: { earliestNow(): number };
}

export interface CoalescerOptions {
  /** False: every read is served as a read-back (a page answers only reads issued before it). */
  listingCache?: boolean;
  /** A batch closes once no read has arrived for this long (ms). */
  idleMs?: number;
  /** ...or this long after its first read (ms), whichever comes first. */
  maxWaitMs?: number;
  /** ...or as soon as it holds this many reads. */
  maxBatch?: number;
  /**
   * How long a read alone on its hinted page, of a task not just written, waits for company before
   * a single Describe (ms). Read-backs after writes follow plan.ts READ_BACK_BATCH / _HOLD_MS.
   */
  holdMs?: number;
  /** Listing pages requested at once; the client's limiter paces them to the action's rate. */
  pageConcurrency?: number;
  pageSize?: number;
  /** TotalNum to plan with before the first page of a region has told the real one. */
  assumedTotal?: number;
}

export interface CoalescerStats {
  /** Reads not after a write, served through the listing cache (reads/cache.ts, its own counters). */
  cache?: import("./cache").CacheStats;
  /** Listings of whole regions (Create's shared-destination check, account.ts). */
  account?: import("./account").AccountStats;
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
  /** Full listing passes bought to learn where tasks sit (see shouldLearn). */
  learningPasses: number;
  /** Describe-by-TaskId calls for reads whose listing page failed (or whose planning threw). */
  fallbacks: number;
}

export interface ReadOptions {
  /**
   * The caller has just created or modified this task: the listing (newest first) now shows it
   * on page 1, so reads after a burst of writes can share page-1 requests.
   */
  recentlyWritten?: boolean;
  /**
   * The UpdateTime the task had in the caller's state (a refresh's Read): a listing row older than
   * it is never the answer, and it says on which page of the listing the task sits (reads/cache.ts).
   */
  knownUpdateTime?: string;
}

export interface ReadCoalescer {
  read(taskId: string, region?: string, opts?: ReadOptions): Promise<TaskInfo | undefined>;
  /** Every task of the region, fresh for a Create to `streams` (account.ts). */
  list(region: string | undefined, streams: readonly string[]): Promise<TaskInfo[]>;
  /** This process's Create to `streams` was answered (account.ts). */
  created(region: string | undefined, streams: readonly string[]): void;
  /** This process's Delete of the task was answered, or found it gone (account.ts). */
  deleted(region: string | undefined, taskId: string): void;
  stats(): CoalescerStats;
}
