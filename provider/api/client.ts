// CssClient: signed, rate-limited, retried calls to the CSS pull-task actions. It signs requests
// itself (see sign.ts) so that retry, limiting, timeouts and error text are all under our control.
import { sharedClock, type ApiClock } from "./clock";
import { planCredentials } from "./credential-plan";
import { accountGuard, credentialProvider, type CredentialProvider, secretsOf } from "./credential-provider";
import type { ExplicitCredentials } from "./credentials";
import type { TempCredentials } from "./sts";
import { authHint, checkCallArgs } from "./call-args";
import { CssApiError, isTaskNotExist, isThrottle } from "./errors";
import { rateFor, sharedLimiter, type Outcome } from "./limiter";
import { MAX_PAGE_SIZE } from "./limits";
import { sharedQuota, type RetryQuota } from "./quota";
import { withRetry, type RetryPolicy } from "./retry";
import { signRequest } from "./sign";
import { exchange, type FetchLike } from "./transport";
import {
  API_SERVICE,
  API_VERSION,
  type Action,
  type ActionResponses,
  type CreateLivePullStreamTaskRequest,
  type CreateLivePullStreamTaskResponse,
  type DeleteLivePullStreamTaskRequest,
  type DeleteLivePullStreamTaskResponse,
  type DescribeLivePullStreamTaskStatusRequest,
  type DescribeLivePullStreamTaskStatusResponse,
  type DescribeLivePullStreamTasksRequest,
  type DescribeLivePullStreamTasksResponse,
  type ModifyLivePullStreamTaskRequest,
  type ModifyLivePullStreamTaskResponse,
  type PullStreamTaskInfo,
  type RestartLivePullStreamTaskRequest,
  type RestartLivePullStreamTaskResponse,
} from "./types";

export const DEFAULT_TIMEOUT_MS = 15_000;
// Paging is by update time, so rows shift while tasks change; a few passes catch what shifted.
const MAX_LIST_PASSES = 3;
const SIGNATURE_EXPIRE = "AuthFailure.SignatureExpire";
/** Tencent's answer to an expired (or unknown) session token. */
const TOKEN_FAILURE = "AuthFailure.TokenFailure";

export interface ClientOptions extends ExplicitCredentials, RetryPolicy {
  /** Pulumi stack config as handed to the provider's configure() (`tencentcloud:*` keys). */
  config?: Record<string, string | undefined>;
  /** Environment to read TENCENTCLOUD_* from; default process.env. */
  env?: Record<string, string | undefined>;
  /** Home directory holding `.tccli/`; default the user's. */
  homeDir?: string;
  /** Per-request timeout, body included. Default 15 s. */
  timeoutMs?: number;
  /** Requests per second per action, replacing the documented rate. */
  rates?: Partial<Record<Action, number>>;
  /** Multiplies the documented rates (mirrors the emulator's rateScale). Default 1. */
  rateScale?: number;
  /** Set false to send without the client-side limiter. Default true. */
  limiter?: boolean;
  /** The retry budget (quota.ts); default the process's one for this account, false for none. */
  retryQuota?: RetryQuota | false;
  /** X-TC-Language of every request; default en-US (protocol/ids.ts `isIdInUse` reads English messages). */
  language?: "zh-CN" | "en-US";
  /** Where credentials come from; default the plan the settings make (credential-plan.ts). */
  credentials?: CredentialProvider;
  /** Test hooks. */
  fetch?: FetchLike;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Wall clock in ms for X-TC-Timestamp; default the API's time as learned (clock.ts). */
  now?: () => number;
  /** The learned API clock; default the process's one for this endpoint. */
  clock?: ApiClock;
}

export interface CallOptions {
  /** X-TC-Region for this call; default the resolved region. */
  region?: string;
  /** False when repeating the call could apply it twice (Create): only failures known not applied are retried. */
  idempotent?: boolean;
  /** Attempts for this call, the first included, throttles not counted (retry.ts); default the client's (6). */
  maxAttempts?: number;
  /**
   * Called as the limiter lets each attempt go, just before it is signed and sent: what the answer
   * shows is newer than anything that happened before this call (reads/coalesce.ts joins the reads
   * that began by then to a listing page still waiting for its turn).
   */
  onSend?: () => void;
}

/** How long check waits for a fresh process to learn the API's time before using the local one. */
export const LEARN_TIME_TIMEOUT_MS = 5000;

export interface ClientStats {
  /** HTTP requests sent per action, retries included. */
  calls: Record<string, number>;
  retries: number;
  /** Retries the process's retry budget refused (the failure surfaced at once). */
  retriesRefused: number;
  /** RequestLimitExceeded answers seen. */
  throttled: number;
  /** Time spent waiting for the client-side limiter, in ms. */
  limiterWaitMs: number;
}

export class CssClient {
  readonly region: string;
  readonly endpoint: string;
  /** Where the key pair came from (never the values). */
  readonly credentialSource: string;
  /**
   * Stable per account across credential refreshes: the key pair's SecretId, or the role for
   * temporary credentials. Keys the per-account limiter and retry budget.
   */
  readonly secretId: string;
  /** The API's time as this process has learned it from answers (see clock.ts). */
  readonly clock: ApiClock;
  // Private fields: not enumerable, not serialised, not shown by util.inspect.
  readonly #creds: CredentialProvider;
  /** allowedAccountIds: checked once, before the first API call. */
  readonly #guard?: () => Promise<void>;
  readonly #opts: ClientOptions;
  readonly #host: string;
  readonly #writeListeners = new Set<(taskId: string, region: string) => void>();
  #writesInFlight = 0;
  #stats: ClientStats = { calls: {}, retries: 0, retriesRefused: 0, throttled: 0, limiterWaitMs: 0 };
  #firstRow?: Promise<DescribeLivePullStreamTasksResponse>;

  constructor(opts: ClientOptions = {}) {
    if (opts.timeoutMs !== undefined && !(opts.timeoutMs > 0)) {
      throw new RangeError(`timeoutMs must be a positive number of milliseconds, got ${opts.timeoutMs}`);
    }
    const plan = planCredentials({ options: opts, config: opts.config, env: opts.env, homeDir: opts.homeDir });
    this.region = plan.region;
    this.endpoint = plan.endpoint;
    this.#host = new URL(plan.endpoint).host;
    this.clock = opts.clock ?? sharedClock(plan.endpoint);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const fetcher = opts.fetch ?? (fetch as FetchLike);
    const sts = { endpoint: plan.stsEndpoint, region: plan.region, clock: sharedClock(plan.stsEndpoint), timeoutMs,
      fetch: fetcher, sleep: opts.sleep };
    const deps = { sts, clock: this.clock, timeoutMs, fetch: fetcher };
    this.#creds = opts.credentials ?? credentialProvider(plan.credentials, deps);
    if (plan.allowedAccountIds.length) this.#guard = accountGuard(plan.allowedAccountIds, this.#creds, deps);
    this.credentialSource = this.#creds.source;
    this.secretId = this.#creds.accountKey;
    this.#opts = { ...opts, secretKey: undefined, securityToken: undefined };
  }

  /** Any action, signed, limited and retried. Resolves to the `Response` object without `Error`. */
  async call<T = Record<string, unknown>>(action: string, params: object, opts: CallOptions = {}): Promise<T> {
    const o = this.#opts;
    const body = JSON.stringify(params ?? {});
    const region = opts.region ?? this.region;
    checkCallArgs(action, region);
    await this.#guard?.();
    let secrets: string[] = [];
    let used: TempCredentials | undefined;
    const rate = rateFor(action, o.rates, o.rateScale ?? 1);
    const limiter = o.limiter === false ? undefined : sharedLimiter(this.endpoint, this.secretId, action, rate);
    // The retry time budget is for failures, not for queueing behind the limiter in a large apply.
    let queuedMs = 0;
    const attempts = (): Promise<unknown> => withRetry(
      async () => {
        // Per attempt: a retry after a long wait may need credentials refreshed ahead of expiry.
        const cred = await this.#creds.get();
        used = cred;
        secrets = secretsOf(cred);
        const permit = limiter ? await limiter.acquire() : undefined;
        // How the request ended, for the adaptive rate (limiter.ts): only the API's answers count.
        let outcome: Outcome = "failed";
        // Everything after the grant is inside try: whatever throws (signing included), the slot is
        // released, or at rate 1 every later call would wait for it forever.
        try {
          queuedMs += permit?.waitedMs ?? 0;
          opts.onSend?.();
          this.#stats.limiterWaitMs += permit?.waitedMs ?? 0;
          this.#stats.calls[action] = (this.#stats.calls[action] ?? 0) + 1;
          const headers = signRequest({
            secretId: cred.secretId,
            secretKey: cred.secretKey,
            token: cred.token,
            service: API_SERVICE,
            host: this.#host,
            action,
            // Signed per attempt: a retry after a long wait must not carry a stale timestamp.
            timestamp: Math.floor((o.now ? o.now() : this.clock.now()) / 1000),
            body,
            version: API_VERSION,
            region,
            // English messages: the few refusals without a code of their own are read by their words.
            language: o.language ?? "en-US",
          });
          const fetcher = o.fetch ?? (fetch as FetchLike);
          const onAnswer = (date: string | null | undefined, sent: number, got: number): void => {
            this.clock.observe(date, sent, got);
          };
          const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
          const url = `${this.endpoint}/`;
          const answer = await exchange({ url, action, headers, body, timeoutMs, fetch: fetcher, secrets, onAnswer });
          outcome = "answered";
          return answer;
        } catch (err) {
          if (err instanceof CssApiError && err.requestId !== undefined) outcome = "answered";
          if (err instanceof CssApiError && isThrottle(err.code)) {
            this.#stats.throttled++;
            outcome = "throttled";
          }
          if (err instanceof CssApiError && err.code.startsWith("AuthFailure")) {
            err.message += authHint(err.code, this.credentialSource);
          }
          throw err;
        } finally {
          permit?.release(outcome);
        }
      },
      {
        maxAttempts: opts.maxAttempts ?? o.maxAttempts,
        maxRetryMs: o.maxRetryMs,
        baseDelayMs: o.baseDelayMs,
        maxDelayMs: o.maxDelayMs,
        idempotent: opts.idempotent ?? true,
        sleep: o.sleep,
        random: o.random,
        now: () => performance.now() - queuedMs,
        onRetry: () => {
          this.#stats.retries++;
        },
        quota: o.retryQuota === false ? undefined : (o.retryQuota ?? sharedQuota(this.endpoint, this.secretId)),
        onQuotaRefused: () => {
          this.#stats.retriesRefused++;
        },
      },
    );
    // Writes to a task, before and after (applied or maybe applied): caches drop what they hold of it.
    const written = (params as { TaskId?: unknown } | undefined)?.TaskId;
    const tell = (): void => {
      if (typeof written !== "string" || action.startsWith("Describe")) return;
      for (const fn of this.#writeListeners) fn(written, region);
    };
    tell();
    const writing = !action.startsWith("Describe");
    if (writing) this.#writesInFlight++;
    let relearned = false;
    let refreshed = false;
    try {
      for (;;) {
        const offsetBefore = this.clock.offsetMs();
        try {
          return (await attempts()) as T;
        } catch (err) {
          const code = err instanceof CssApiError ? err.code : "";
          // The request time was over 5 minutes off the API's, and the answer told the API's time:
          // signed again with it, the call goes through (once; an explicit `now` is a test's choice).
          const learned = this.clock.offsetMs() !== offsetBefore;
          if (code === SIGNATURE_EXPIRE && learned && !o.now && !relearned) {
            relearned = true;
            continue;
          }
          // Temporary credentials the API calls expired (its clock ahead of what we knew): new ones, once.
          if (code === TOKEN_FAILURE && this.#creds.refreshable && !refreshed) {
            refreshed = true;
            this.#creds.invalidate(used);
            continue;
          }
          throw err;
        }
      }
    } finally {
      if (writing) this.#writesInFlight--;
      tell();
    }
  }

  /**
   * Calls that write (every action but the Describes) begun and not yet ended: their read-backs
   * are on their way, so a read waiting for company to share a listing page will get some.
   */
  writesInFlight(): number {
    return this.#writesInFlight;
  }

  /** Calls `fn` when a call that changes a task (by TaskId) is sent and when it ends. */
  onWrite(fn: (taskId: string, region: string) => void): void {
    this.#writeListeners.add(fn);
  }

  /** The API's time now (ms), as far as answers have told it; the local clock until one has. */
  apiNow(): number {
    return this.clock.now();
  }

  /**
   * Learns the API's time if no answer has told it yet: one listing request of one row (its
   * answer, even an error, carries the Date header), shared by concurrent callers and bounded
   * by `timeoutMs`. Never throws; without an answer the local clock stays in use.
   */
  learnApiTime(timeoutMs = LEARN_TIME_TIMEOUT_MS): Promise<void> {
    return this.clock.learn(() => this.firstListingRow(), timeoutMs);
  }

  /**
   * The listing's first row (PageNum 1, PageSize 1, one attempt), whose answer tells the API's time,
   * TotalNum and LimitTaskNum: the clock probe and the preview's quota check (provider/quota) share
   * it. A success is kept for this client's life (a provider process's deployment); a failure is not.
   */
  firstListingRow(): Promise<DescribeLivePullStreamTasksResponse> {
    this.#firstRow ??= this.describeTasks({ PageNum: 1, PageSize: 1 }, { maxAttempts: 1 }).catch((err: unknown) => {
      this.#firstRow = undefined;
      throw err;
    });
    return this.#firstRow;
  }

  /** Not idempotent: an ambiguous failure surfaces at once (ambiguous=true) so the caller can read back. */
  createTask(req: CreateLivePullStreamTaskRequest, opts: CallOptions = {}): Promise<CreateLivePullStreamTaskResponse> {
    return this.typed("CreateLivePullStreamTask", req, { ...opts, idempotent: opts.idempotent ?? false });
  }

  modifyTask(req: ModifyLivePullStreamTaskRequest, opts: CallOptions = {}): Promise<ModifyLivePullStreamTaskResponse> {
    return this.typed("ModifyLivePullStreamTask", req, opts);
  }

  deleteTask(req: DeleteLivePullStreamTaskRequest, opts: CallOptions = {}): Promise<DeleteLivePullStreamTaskResponse> {
    return this.typed("DeleteLivePullStreamTask", req, opts);
  }

  restartTask(
    req: RestartLivePullStreamTaskRequest,
    opts: CallOptions = {},
  ): Promise<RestartLivePullStreamTaskResponse> {
    return this.typed("RestartLivePullStreamTask", req, opts);
  }

  describeTasks(
    req: DescribeLivePullStreamTasksRequest = {},
    opts: CallOptions = {},
  ): Promise<DescribeLivePullStreamTasksResponse> {
    return this.typed("DescribeLivePullStreamTasks", req, opts);
  }

  describeTaskStatus(
    req: DescribeLivePullStreamTaskStatusRequest,
    opts: CallOptions = {},
  ): Promise<DescribeLivePullStreamTaskStatusResponse> {
    return this.typed("DescribeLivePullStreamTaskStatus", req, opts);
  }

  /** One task by id, or undefined when the service does not know it. */
  async describeTask(taskId: string, opts: CallOptions = {}): Promise<PullStreamTaskInfo | undefined> {
    try {
      const r = await this.describeTasks({ TaskId: taskId }, opts);
      return (r.TaskInfos ?? []).find((t) => t.TaskId === taskId);
    } catch (err) {
      if (isTaskNotExist(err)) return undefined;
      throw err;
    }
  }

  /**
   * Every task in the region, each once. Pages hold the newest-updated first, so a task changed while
   * we page can move past us; when fewer distinct tasks were seen than the service counts, page again.
   */
  /** `onPage` (the CLI's progress line) hears how many tasks were read of how many listed. */
  async listAllTasks(
    regionOrOpts: string | CallOptions = {},
    onPage?: (read: number, total: number) => void,
  ): Promise<PullStreamTaskInfo[]> {
    const opts: CallOptions = typeof regionOrOpts === "string" ? { region: regionOrOpts } : regionOrOpts;
    const seen = new Map<string, PullStreamTaskInfo>();
    for (let pass = 1; pass <= MAX_LIST_PASSES; pass++) {
      let total = 0;
      for (let page = 1; ; page++) {
        const r = await this.describeTasks({ PageNum: page, PageSize: MAX_PAGE_SIZE }, opts);
        const rows = r.TaskInfos ?? [];
        total = r.TotalNum ?? 0;
        // Later reads are newer: they replace what an earlier page said about the same task.
        for (const t of rows) seen.set(t.TaskId, t);
        onPage?.(seen.size, total);
        const lastPage = r.TotalPage ?? Math.ceil(total / MAX_PAGE_SIZE);
        if (rows.length === 0 || page >= lastPage) break;
      }
      if (seen.size >= total) break;
    }
    return [...seen.values()];
  }

  stats(): ClientStats {
    return { ...this.#stats, calls: { ...this.#stats.calls } };
  }

  private typed<A extends Action>(action: A, req: object, opts: CallOptions): Promise<ActionResponses[A]> {
    return this.call<ActionResponses[A]>(action, req, opts);
  }
}
