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
//     The Create supersedes those (create.ts), whichever generation they hold;
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
 * The rivals holding none of the SpecifyTaskId generations of `identities`, and those holding one
 * (this resource's own earlier tasks). A rival in another region is looked up with that region (a
 * Create-only field the id hashes): a task without `region` force-replaced from a machine
 * defaulting elsewhere (docs/reliability.md, Limits).
 */
async function sortOut(
  io: SharedIo,
  inputs: TaskInputs,
  identities: readonly string[],
  found: PullStreamTaskInfo[],
): Promise<{ foreign: PullStreamTaskInfo[]; own: PullStreamTaskInfo[] }> {
  let left = found.filter((t) => t.TaskId !== io.stateTask);
  const own: PullStreamTaskInfo[] = [];
  const regions = [...new Set([inputs.region, ...left.map((t) => t.Region || inputs.region)])];
  for (const identity of identities) {
    for (const region of regions) {
      const as = { ...inputs, region };
      for (let g = 0; g < MAX_GENERATIONS && left.length > 0; g++) {
        const holder = await findBySpecifyTaskId(io.client, specifyTaskIdFor(identity, as, g), region);
        const mine = holder && left.find((t) => t.TaskId === holder.TaskId);
        if (!mine) continue;
        own.push(mine);
        left = left.filter((t) => t !== mine);
      }
    }
  }
  return { foreign: left, own };
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
 * nothing when the program allows it (allowSharedDestination) or no such task is found. Returns
 * the tasks on the stream holding a generation of this resource's id: its own earlier tasks, which
 * the Create supersedes (deletes once its task exists) as create.ts does those it meets, also one
 * holding a later generation than the one the Create takes (a run killed after creating it and
 * deleting the task it superseded leaves the earlier generation free).
 */
export async function refuseSharedDestination(
  io: SharedIo,
  inputs: TaskInputs,
  identities: readonly string[],
  waits: readonly number[] = LOOKUP_WAITS_MS,
): Promise<PullStreamTaskInfo[]> {
  if (sharesDestination(inputs)) return [];
  const streams = [...(destinations(inputs) ?? [])];
  const found = rivals(inputs, await io.list(inputs.region, streams), apiNow(io.client));
  if (found.length === 0) return [];
  const { foreign, own } = await sortOut(io, inputs, identities, found);
  const left = foreign.length > 0 ? await stillShown(io, inputs, foreign, waits) : [];
  if (left.length > 0) throw new Error(refusal(inputs, left));
  return own;
}
