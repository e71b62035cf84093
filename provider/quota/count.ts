// The account's task quota (LimitTaskNum), counted against the Creates a plan makes, and what to
// tell the user when they do not fit. Pure: the figures come from one Describe (account.ts), the
// count from the provider's Check and Diff (watch.ts).
//
// Why a Create needs a free slot however the run orders it: the API refuses any Create once the
// account holds LimitTaskNum tasks (css-api.md, "Default quota"), ended tasks included unless the
// console's auto-cleanup of expired tasks is on (Create's note 4). A replacement that creates
// first keeps its old task until the engine's deletes at the end of the run (docs/engine.md,
// "create-before-delete: when the old goes"), and so do resources removed from the program: the
// slots they free come too late for the run's Creates.
import { parseTime } from "../task/time";

/** CreateLivePullStreamTask's answer when the account holds LimitTaskNum tasks. */
export const QUOTA_CODE = "InvalidParameter.TaskNumMoreThanLimit";

/** The command that frees the slots ended tasks hold (cli/prune.ts), as a user types it. */
export const PRUNE_COMMAND = "npx css-pull-tasks prune --ended --state <(pulumi stack export)";

export interface AccountFigures {
  /** TotalNum of the account's listing: every task it holds, ended ones included. */
  total: number;
  /** LimitTaskNum: the most tasks the account may hold. */
  limit: number;
  /** How many of `total` have ended (EndTime passed, by the API's clock); undefined: not counted. */
  ended?: number;
}

/** The figures a listing answer carries; undefined when it lacks either (no quota is judged then). */
export function figuresOf(res: { TotalNum?: unknown; LimitTaskNum?: unknown }): AccountFigures | undefined {
  const { TotalNum: total, LimitTaskNum: limit } = res;
  if (typeof total !== "number" || typeof limit !== "number" || !(total >= 0) || !(limit >= 0)) return undefined;
  return { total, limit };
}

/** Whether a task's EndTime is not after `nowMs` (the API's clock): ended, yet still on the account. */
export function hasEnded(task: { EndTime?: string }, nowMs: number): boolean {
  const end = task.EndTime ? parseTime(task.EndTime) : null;
  return end !== null && end <= nowMs;
}

/** How many of `tasks` have ended: each still holds a slot of the quota. */
export function countEnded(tasks: readonly { EndTime?: string }[], nowMs: number): number {
  return tasks.filter((t) => hasEnded(t, nowMs)).length;
}

/** Creates that can still succeed before the API refuses one. */
export function freeSlots(a: AccountFigures): number {
  return Math.max(0, a.limit - a.total);
}

/** Whether `creates` Creates (each needing a slot of its own) are more than the account has room for. */
export function exceedsQuota(a: AccountFigures, creates: number): boolean {
  return creates > freeSlots(a);
}

function holding(a: AccountFigures): string {
  const ended =
    a.ended === undefined ? "" : a.ended === 0 ? ", none of them ended" : `, ${a.ended} of them ended`;
  const tasks = `${a.total} task${a.total === 1 ? "" : "s"}`;
  return `the account holds ${tasks}${ended} (TotalNum) of the ${a.limit} it may (LimitTaskNum)`;
}

/** How to make room: ended tasks first when there are any, since deleting them costs nothing. */
export function wayOut(a: AccountFigures | undefined): string {
  const prune =
    `delete ended tasks no stack holds (\`${PRUNE_COMMAND}\`, a dry run until --yes; ` +
    "ended tasks count until deleted), switch on auto-cleanup of expired tasks in the console";
  const others = "delete tasks no longer needed, or ask Tencent Cloud for a higher quota";
  return a?.ended === 0 ? `${others}; none has ended, so \`prune --ended\` frees nothing` : `${prune}, ${others}`;
}

/** The preview's warning: said once, when the Creates counted first pass the free slots. */
export function quotaWarning(a: AccountFigures, creates: number): string {
  const free = freeSlots(a);
  return (
    `warning: task quota: this plan has at least ${creates} Create${creates === 1 ? "" : "s"} (new tasks, and ` +
    "replacements that create before deleting: their old task stays until the end of the run), " +
    `but ${holding(a)}, so ${free} more fit: ` +
    `\`up\` would fail at Create ${free + 1} with ${QUOTA_CODE}. To make room: ${wayOut(a)}`
  );
}

/** What a Create refused for the quota adds to the API's message: the figures now and the way out. */
export function quotaRefusalHint(a: AccountFigures | undefined): string {
  const figures = a ? `: ${holding(a)}` : "";
  return `the account's task quota is used up${figures}. To make room: ${wayOut(a)}; then run \`pulumi up\` again`;
}

/** Whether an error is (or carries, wrapped by the write protocol) the API's quota refusal. */
export function isQuotaRefusal(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  return !!e && (e.code === QUOTA_CODE || (typeof e.message === "string" && e.message.includes(QUOTA_CODE)));
}
