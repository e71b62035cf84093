// Pure: rate-limit floors, goal checks and the printed table of a bench run.
import { DOCUMENTED_RATES, MAX_PAGE_SIZE } from "../provider/api/limits";

export type PhaseName = "create" | "preview" | "modify" | "refresh" | "delete";

export interface PhaseResult {
  phase: PhaseName;
  /** Operations the "engine" ran at once (its --parallel; Number.MAX_SAFE_INTEGER: unbounded). */
  concurrency: number;
  /** Stacks applied at once on one account, each in its own provider host (1 unless --stacks). */
  stacks: number;
  tasks: number;
  wallSeconds: number;
  /** The least time the API's rate limit allows; 0 for a phase that needs no call. */
  floorSeconds: number;
  /** wall / floor; null when the floor is 0. */
  ratio: number | null;
  /** Requests the emulator received per action (short names), throttled ones included. */
  apiCalls: Record<string, number>;
  /** RequestLimitExceeded answers: each one is a client retry (or a surfaced error). */
  throttled: number;
  /** Retries the API client made, by its own count (the host's client stats). */
  retries: number;
  /** Operations that failed, and of those, the ones failing with RequestLimitExceeded. */
  errors: number;
  throttlingErrorsSurfaced: number;
  firstError?: string;
}

/** Floor of a phase over n tasks: n calls of its action at the documented rate. */
export function floorSeconds(phase: PhaseName, n: number): number {
  switch (phase) {
    case "create":
      return n / DOCUMENTED_RATES.CreateLivePullStreamTask;
    case "modify":
      return n / DOCUMENTED_RATES.ModifyLivePullStreamTask;
    case "delete":
      return n / DOCUMENTED_RATES.DeleteLivePullStreamTask;
    case "refresh":
      // The fewest Describe calls that can read n tasks: one full listing.
      return Math.ceil(n / MAX_PAGE_SIZE) / DOCUMENTED_RATES.DescribeLivePullStreamTasks;
    case "preview":
      return 0;
  }
}

export function ratio(wall: number, floor: number): number | null {
  return floor > 0 ? round(wall / floor, 3) : null;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** "DescribeLivePullStreamTasks" → "Describe". */
export function shortAction(action: string): string {
  const pattern = /^(Create|Modify|Delete|Describe|Restart)LivePullStream(Task|Tasks|TaskStatus)$/;
  return action.replace(pattern, (_, verb: string, what: string) =>
    what === "TaskStatus" ? `${verb}Status` : verb,
  );
}

export interface Goal {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export function formatTable(rows: PhaseResult[]): string {
  const head = [
    "phase", "par", "stacks", "tasks", "wall s", "floor s", "ratio", "API calls", "throttled", "retries", "errors",
  ];
  const body = rows.map((r) => [
    r.phase,
    r.concurrency >= Number.MAX_SAFE_INTEGER ? "all" : String(r.concurrency),
    String(r.stacks),
    String(r.tasks),
    r.wallSeconds.toFixed(2),
    r.floorSeconds.toFixed(2),
    r.ratio === null ? "-" : r.ratio.toFixed(2),
    Object.entries(r.apiCalls).map(([a, n]) => `${a} ${n}`).join(", ") || "none",
    String(r.throttled),
    String(r.retries),
    r.errors === 0 ? "0" : `${r.errors} (${r.throttlingErrorsSurfaced} throttling)`,
  ]);
  return columns([head, ...body]);
}

export function formatGoals(goals: Goal[]): string {
  const rows = goals.map((g) => [g.name, g.target, g.measured, g.met ? "yes" : "NO"]);
  return columns([["goal", "target", "measured", "met"], ...rows]);
}

function columns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}
