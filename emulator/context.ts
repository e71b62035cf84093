// Everything one running emulator holds: credentials, clock, tasks, limits, faults and counters.
// server.ts and inspect.ts are thin HTTP layers over it.
import type { Credential } from "./auth";
import { DEFAULT_STALE_MS, FaultInjector } from "./faults";
import { RateLimiter } from "./ratelimit";
import { DEFAULT_MAX_TASK_SPAN_DAYS, MAX_TASK_SPAN_DAYS_LIMIT } from "./rules";
import { loadState, saveState } from "./state";
import { TaskStore } from "./store";
import { type StsOptions, StsState } from "./sts";

export const DEFAULT_SECRET_ID = "AKIDEMULATOR";
export const DEFAULT_SECRET_KEY = "emulator-secret-key";
export const DEFAULT_TASK_LIMIT = 200;
/** Longer than any sane client timeout, so a "timeout" fault really makes the client give up. */
export const DEFAULT_TIMEOUT_DELAY_MS = 30_000;

export interface EmulatorOptions extends StsOptions {
  port?: number;
  host?: string;
  secretId?: string;
  secretKey?: string;
  tempCredentials?: { secretId: string; secretKey: string; token: string }[];
  stateFile?: string;
  taskLimit?: number;
  faults?: string | Record<string, number>;
  seed?: number;
  rateScale?: number;
  timeoutDelayMs?: number;
  /** End − Start must be less than this many days: 7 (default, the seed page) up to 30 (newest model). */
  maxTaskSpanDays?: number;
  /** How far behind the writes a `stale-read` fault's answer may be (default 3000 ms). */
  staleMs?: number;
  now?: () => number | Date;
  /** Shifts the emulator's clock (ms; positive: ahead of this machine), as a server whose clock differs. */
  clockOffsetMs?: number;
}

export interface CallCounts {
  calls: Record<string, number>;
  throttled: Record<string, number>;
  errors: Record<string, number>;
  total: number;
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

export class EmulatorContext {
  readonly store = new TaskStore();
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  /** LimitTaskNum: Create is refused once the table holds this many tasks (ended ones too). */
  taskLimit: number;
  private readonly startTaskLimit: number;
  readonly timeoutDelayMs: number;
  readonly maxTaskSpanDays: number;
  /** STS, the metadata service's role credentials and the temporary keys they issued (sts.ts). */
  readonly sts: StsState;
  private readonly credentials = new Map<string, Credential>();
  private readonly clock: () => number | Date;
  private readonly stateFile?: string;
  clockOffsetMs: number;
  private readonly startOffsetMs: number;
  private counts: CallCounts = { calls: {}, throttled: {}, errors: {}, total: 0 };

  constructor(o: EmulatorOptions = {}) {
    const taskLimit = o.taskLimit ?? DEFAULT_TASK_LIMIT;
    if (!Number.isInteger(taskLimit) || taskLimit < 0) {
      throw new Error(`taskLimit must be a whole number, got ${taskLimit}`);
    }
    const delay = o.timeoutDelayMs ?? DEFAULT_TIMEOUT_DELAY_MS;
    if (!(delay >= 0)) throw new Error(`timeoutDelayMs must be 0 or more, got ${delay}`);
    this.taskLimit = this.startTaskLimit = taskLimit;
    const span = o.maxTaskSpanDays ?? DEFAULT_MAX_TASK_SPAN_DAYS;
    if (!Number.isInteger(span) || span < 1 || span > MAX_TASK_SPAN_DAYS_LIMIT) {
      throw new Error(`maxTaskSpanDays must be a whole number from 1 to ${MAX_TASK_SPAN_DAYS_LIMIT}, got ${span}`);
    }
    this.maxTaskSpanDays = span;
    this.timeoutDelayMs = delay;
    const staleMs = o.staleMs ?? DEFAULT_STALE_MS;
    if (!(staleMs >= 0)) throw new Error(`staleMs must be 0 or more, got ${staleMs}`);
    this.store.historyMs = staleMs;
    this.limiter = new RateLimiter(o.rateScale ?? 1);
    this.faults = new FaultInjector(o.faults, o.seed);
    this.clock = o.now ?? Date.now;
    if (o.clockOffsetMs !== undefined && !Number.isFinite(o.clockOffsetMs)) {
      throw new Error(`clockOffsetMs must be a number of ms, got ${o.clockOffsetMs}`);
    }
    this.clockOffsetMs = this.startOffsetMs = o.clockOffsetMs ?? 0;
    const main = { secretId: o.secretId ?? DEFAULT_SECRET_ID, secretKey: o.secretKey ?? DEFAULT_SECRET_KEY };
    this.credentials.set(main.secretId, main);
    for (const t of o.tempCredentials ?? []) this.credentials.set(t.secretId, { ...t });
    this.sts = new StsState(o);
    this.stateFile = o.stateFile;
    if (this.stateFile) {
      const snapshot = loadState(this.stateFile);
      if (snapshot) this.store.restore(snapshot);
    }
  }

  nowMs(): number {
    const t = this.clock();
    return (typeof t === "number" ? t : t.getTime()) + this.clockOffsetMs;
  }

  credential(secretId: string): Credential | undefined {
    return this.credentials.get(secretId) ?? this.sts.credential(secretId);
  }

  persist(): void {
    if (this.stateFile) saveState(this.stateFile, this.store.snapshot());
  }

  countCall(action: string): void {
    bump(this.counts.calls, action);
    this.counts.total += 1;
  }

  countThrottled(action: string): void {
    bump(this.counts.throttled, action);
  }

  countError(code: string): void {
    bump(this.counts.errors, code);
  }

  callCounts(): CallCounts {
    return structuredClone(this.counts);
  }

  /**
   * Empties tasks and counters and restores the clock shift and task limit given at start; the fault spec and
   * task-id sequence stay.
   */
  reset(): void {
    this.store.clear();
    this.counts = { calls: {}, throttled: {}, errors: {}, total: 0 };
    this.faults.resetCounts();
    this.sts.resetCounts();
    this.limiter.reset();
    this.clockOffsetMs = this.startOffsetMs;
    this.taskLimit = this.startTaskLimit;
    this.persist();
  }
}
