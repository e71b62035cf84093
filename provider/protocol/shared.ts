// Create refuses to push to a stream another task of the account already pushes to (issue 23),
// unless the program says it means it (allowSharedDestination). The decision of what counts is pure
// (task/shared-destination.ts); here is what it rests on, all before CreateLivePullStreamTask:
//
//  1. a listing of the region sent after this process's last answered Create to the program's
//     streams and at most a second before this Create began (reads/account.ts: Creates share it,
//     and later listings read only the pages changed since);
//  2. the rivals it shows that are this resource's own are passed over: the task the state holds
//     as this process's Diff saw it (a Diff-decided replacement), and any task holding one of the
//     SpecifyTaskId generations of this resource or of the names it had (aliases): the task a
//     `--replace`, replacementTrigger or taint replaces, a lost answer's, an interrupted run's.
//     create.ts then supersedes it as before;
//  3. a rival left is refused only while reads by TaskId keep showing it for as long as reads lag
//     writes (create.ts LOOKUP_WAITS_MS, about 8 s): a listing keeps rows of tasks deleted since,
//     and a lagging read shows a task just deleted. Any read saying it is gone ends it: not a rival.
// A refusal writes nothing, so it costs no stream; the message says what a just-deleted task means.
import { findBySpecifyTaskId, MAX_GENERATIONS, specifyTaskIdFor } from "./ids";
import { LOOKUP_WAITS_MS } from "./create";
import { realSleep } from "../api/retry";
import type { CssClient } from "../api/client";
import type { PullStreamTaskInfo } from "../api/types";
import { destinations } from "../task/destination";
import { refusal, rivals, sharesDestination } from "../task/shared-destination";
import type { TaskInputs } from "../task/types";

export interface SharedIo {
  client: CssClient;
  /** Every task of the region, from a listing fresh for a Create to `streams` (reads/account.ts). */
  list(region: string | undefined, streams: readonly string[]): Promise<PullStreamTaskInfo[]>;
  /** A read by TaskId, not older than the call. */
  read(taskId: string, region?: string): Promise<PullStreamTaskInfo | undefined>;
  /** The task the state holds for this resource, when this process's Diff saw it (placement.ts). */
  stateTask?: string;
}

/** The API's earliest possible "now": a task is passed over as ended only when it surely is. */
function apiNow(client: CssClient): number {
  const earliest = client.clock.earliestNow();
  return Number.isFinite(earliest) ? earliest : Date.now();
}

/**
 * The rivals that hold none of the SpecifyTaskId generations of `identities`. A rival in another
 * region is looked up with that region (a Create-only field the id hashes): a task without
 * `region` force-replaced from a machine defaulting elsewhere (docs/reliability.md, Limits).
 */
async function notOwn(
  io: SharedIo,
  inputs: TaskInputs,
  identities: readonly string[],
  found: PullStreamTaskInfo[],
): Promise<PullStreamTaskInfo[]> {
  let left = found.filter((t) => t.TaskId !== io.stateTask);
  const regions = [...new Set([inputs.region, ...left.map((t) => t.Region || inputs.region)])];
  for (const identity of identities) {
    for (const region of regions) {
      const as = { ...inputs, region };
      for (let g = 0; g < MAX_GENERATIONS && left.length > 0; g++) {
        const holder = await findBySpecifyTaskId(io.client, specifyTaskIdFor(identity, as, g), region);
        if (holder) left = left.filter((t) => t.TaskId !== holder.TaskId);
      }
    }
  }
  return left;
}

/** The rivals every read shows, still rivals, over LOOKUP_WAITS_MS. */
async function stillShown(
  io: SharedIo,
  inputs: TaskInputs,
  found: PullStreamTaskInfo[],
  waits: readonly number[],
): Promise<PullStreamTaskInfo[]> {
  let left = found;
  for (let i = 0; left.length > 0; i++) {
    const read = await Promise.all(left.map((t) => io.read(t.TaskId, inputs.region)));
    left = rivals(inputs, read.filter((t): t is PullStreamTaskInfo => t !== undefined), apiNow(io.client));
    if (i >= waits.length) break;
    if (left.length > 0) await realSleep(waits[i]);
  }
  return left;
}

/**
 * Throws, before any write, when another task can still push to a stream of the program's;
 * nothing when the program allows it (allowSharedDestination) or no such task is found.
 */
export async function refuseSharedDestination(
  io: SharedIo,
  inputs: TaskInputs,
  identities: readonly string[],
  waits: readonly number[] = LOOKUP_WAITS_MS,
): Promise<void> {
  if (sharesDestination(inputs)) return;
  const streams = [...(destinations(inputs) ?? [])];
  let found = rivals(inputs, await io.list(inputs.region, streams), apiNow(io.client));
  if (found.length > 0) found = await notOwn(io, inputs, identities, found);
  if (found.length > 0) found = await stillShown(io, inputs, found, waits);
  if (found.length > 0) throw new Error(refusal(inputs, found));
}
