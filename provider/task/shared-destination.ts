// Whether a task of the account already pushes the stream a new task would push to (pure: the
// rows and "now" are passed in). Create refuses such a Create (protocol/shared.ts) unless the
// program says it means it (allowSharedDestination): two tasks pushing one stream fight over it.
//
// A row is a rival when it shares a destination with the program (destination.ts: host and path,
// primary and backupToUrl alike, a toUrl and a domain/app/stream of one stream compare equal) and
// can still push: not ended, and its window [StartTime, EndTime) overlapping the program's. A paused
// task counts: one Modify of its owner enables it. Describe never returns ToUrl, so a task created
// with one shows no primary destination (an empty DomainName/AppName/StreamName) and is seen by its
// BackupToUrl only. Whether a rival is this resource's own task is not decided here (protocol/shared.ts).
import { destinations } from "./destination";
import { SHARED_DESTINATION_FIELD, ADOPT_FIELD } from "./fields";
import { maskSecrets } from "./mask";
import type { TaskInfo as PullStreamTaskInfo } from "./requests";
import type { TaskInputs } from "./types";

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const ms = (iso: unknown): number | undefined => {
  const t = typeof iso === "string" ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : undefined;
};

/** The streams a listed task pushes to (an empty set when Describe shows none). */
export function rowDestinations(row: PullStreamTaskInfo): Set<string> {
  const [domainName, appName, streamName] = [text(row.DomainName), text(row.AppName), text(row.StreamName)];
  const shown = domainName !== undefined || appName !== undefined || streamName !== undefined;
  const as = { sourceType: row.SourceType, sourceUrls: [], backupToUrl: text(row.BackupToUrl) } as TaskInputs;
  if (shown) Object.assign(as, { domainName, appName, streamName });
  return destinations(as) ?? new Set();
}

/** The streams both push to. */
export function sharedStreams(inputs: TaskInputs, row: PullStreamTaskInfo): string[] {
  const ours = destinations(inputs);
  if (!ours) return [];
  return [...rowDestinations(row)].filter((d) => ours.has(d));
}

/**
 * Whether the row's task can push during the program's window: not ended by `nowMs` (the API's
 * earliest "now", so that only a surely ended task is passed over) and [StartTime, EndTime)
 * overlapping [startTime, endTime). A time that cannot be read counts as overlapping.
 */
export function canStillPush(row: PullStreamTaskInfo, inputs: TaskInputs, nowMs: number): boolean {
  const [start, end] = [ms(row.StartTime), ms(row.EndTime)];
  if (end !== undefined && end <= nowMs) return false;
  const [ourStart, ourEnd] = [ms(inputs.startTime), ms(inputs.endTime)];
  if (end !== undefined && ourStart !== undefined && end <= ourStart) return false;
  if (start !== undefined && ourEnd !== undefined && ourEnd <= start) return false;
  return true;
}

/** The rows that push a stream of the program's and can still push: candidates for a refusal. */
export function rivals<T extends PullStreamTaskInfo>(inputs: TaskInputs, rows: readonly T[], nowMs: number): T[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    if (seen.has(row.TaskId)) return false;
    seen.add(row.TaskId);
    return sharedStreams(inputs, row).length > 0 && canStillPush(row, inputs, nowMs);
  });
}

/** Whether the program lets its Create share a destination (allowSharedDestination: true). */
export function sharesDestination(inputs: TaskInputs): boolean {
  return (inputs as unknown as Record<string, unknown>)[SHARED_DESTINATION_FIELD] === true;
}

/** Which input names the stream: toUrl, the domainName/appName/streamName triple, or backupToUrl. */
function fieldOf(inputs: TaskInputs, stream: string): string {
  const primary = destinations({ ...inputs, backupToUrl: undefined });
  if (primary?.has(stream)) return inputs.toUrl !== undefined ? "toUrl" : "domainName/appName/streamName";
  return "backupToUrl";
}

function describeRow(row: PullStreamTaskInfo): string {
  const facts = [
    row.Status === "pause" ? "paused (one Modify enables it)" : "enabled",
    `${row.StartTime ?? "?"} to ${row.EndTime ?? "?"}`,
    text(row.CreateBy) && `created by ${JSON.stringify(row.CreateBy)}`,
    text(row.UpdateBy) && row.UpdateBy !== row.CreateBy && `last changed by ${JSON.stringify(row.UpdateBy)}`,
    text(row.Comment) && `comment ${JSON.stringify(row.Comment)}`,
  ].filter(Boolean);
  return `task ${row.TaskId} (${facts.join(", ")})`;
}

/**
 * The refusal: the field, each rival with what helps find its owner (Describe shows no
 * SpecifyTaskId: its Operator as CreateBy/UpdateBy, its comment), the two ways out, and what a
 * task deleted moments ago means. Auth values of URLs are masked (streams carry none: host and path).
 */
export function refusal(inputs: TaskInputs, found: readonly PullStreamTaskInfo[]): string {
  const lines = found.map((row) => {
    const streams = sharedStreams(inputs, row);
    const field = fieldOf(inputs, streams[0] ?? "");
    return `${field}: ${streams.join(", ")} is already pushed by ${describeRow(row)}`;
  });
  const first = found[0]?.TaskId ?? "<TaskId>";
  return maskSecrets(
    `${lines.join("; ")}. Two tasks pushing one stream fight over it, so nothing was created. ` +
      `To manage that task from here, adopt it: \`${ADOPT_FIELD}: ${first}\`. To push from both on purpose, set ` +
      `\`${SHARED_DESTINATION_FIELD}: true\`. If this resource was renamed, name the old name instead (the ` +
      "`aliases` option, or `renamedFrom: <old key>` in a tasks file), and it keeps its task. " +
      `(If that task was deleted moments ago, reads can lag the delete ` +
      "by seconds: run the command again.)",
  );
}
