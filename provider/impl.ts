// The provider's behaviour, loaded by the stubs in provider.ts inside the dynamic provider host.
// Thin wiring: task logic is in provider/task (pure), API I/O in provider/api, the write protocol
// (create exactly once, adopt, modify and confirm, guard a delete) in provider/protocol/story.ts,
// process settings in config.ts.
//
// Shapes the host hands us: check(olds = previous inputs, news = program inputs), diff and update
// (olds = previous OUTPUTS, news = checked inputs), create(checked inputs), read(id, previous
// outputs, or nothing for the plugin's import: the engine's import sends the id alone, which the
// dynamic host cannot serve, so the dynamic resource adopts with adoptTaskId, protocol/adopt.ts),
// delete(id, previous outputs). Every object also carries `__provider`, the serialised provider, which must survive
// into outputs; inputs registered by LivePullStreamTask carry `__identity` (identity.ts).
import type * as pulumi from "@pulumi/pulumi";
import { checkAtApiTime } from "./clock";
import { apiClient, configure as setSettings, defaultRegion, maxTaskSpanMs, taskReader, tencentConfig } from "./config";
import { restartAfterUpdate } from "./followups";
import { ALIASES_KEY, IDENTITY_KEY } from "./identity";
import { noteStateTask, stateTaskOf } from "./placement";
import { adoptionOperator, createTask, deleteTask, PartialCreate, plain, updateTask, type Io } from "./protocol/story";
import { adoptTaskIdOf } from "./protocol/adopt";
import { explainQuotaRefusal } from "./quota/account";
import { isQuotaRefusal } from "./quota/count";
import { notePlannedCreate, noteReplacementOrder } from "./quota/watch";
import { checkTask } from "./task/check";
import { shareDestination } from "./task/destination";
import { diffTask } from "./task/diff";
import { maskSecrets } from "./task/mask";
import { MACHINERY_KEYS, PROVIDER_KEY, REGION_UNSET_KEY } from "./machinery";
import { DEFAULT_OPERATOR } from "./task/normalise";
import { fromTaskInfo } from "./task/requests";
import type { TaskInputs, TaskOutputs } from "./task/types";

type Bag = Record<string, unknown>;

/** The task fields of a property bag. */
function fieldsOf(bag: unknown): Bag {
  const out: Bag = {};
  if (bag && typeof bag === "object") {
    for (const [k, v] of Object.entries(bag as Bag)) if (!MACHINERY_KEYS.has(k) && v !== undefined) out[k] = v;
  }
  return out;
}

function regionUnset(bag: unknown): boolean {
  return !!bag && typeof bag === "object" && (bag as Bag)[REGION_UNSET_KEY] === true;
}

function identityOf(bag: unknown): string | undefined {
  const v = bag && typeof bag === "object" ? (bag as Bag)[IDENTITY_KEY] : undefined;
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The identities of the resource's aliases (identity.ts ALIASES_KEY): its own tasks may hold theirs. */
function aliasesOf(bag: unknown): string[] {
  const v = bag && typeof bag === "object" ? (bag as Bag)[ALIASES_KEY] : undefined;
  return Array.isArray(v) ? v.filter((id): id is string => typeof id === "string" && id !== "") : [];
}

function isEmpty(bag: Bag): boolean {
  return Object.keys(bag).length === 0;
}

/**
 * An error whose text has URL auth values masked. Keeps `id`/`properties`, which the host turns
 * into a partially created resource (ErrorResourceInitFailed).
 */
function masked(err: unknown): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  const out = new Error(maskSecrets(e.message)) as Error & { id?: string; properties?: Bag; reasons?: string[] };
  out.name = e.name;
  const partial = e as Error & { id?: string; properties?: Bag; reasons?: string[] };
  if (partial.id) {
    out.id = partial.id;
    out.properties = partial.properties;
    out.reasons = partial.reasons?.map(maskSecrets);
  }
  return out;
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw masked(err);
  }
}

/** The task exists but the operation did not finish: the engine records it with these outputs. */
function partialFailure(reason: string, taskId: string, outputs: Bag, provider: unknown): Error {
  const text = `task ${taskId} was created but not finished; the next update completes it: ${reason}`;
  const e = new Error(text) as Error & {
    id?: string;
    properties?: Bag;
    reasons?: string[];
  };
  e.id = taskId;
  // The host does not add `__provider` to these properties itself; without it a later update,
  // refresh or delete of this resource could not load the provider.
  e.properties = plain({ ...outputs, [PROVIDER_KEY]: provider });
  e.reasons = [reason];
  return e;
}

/** The protocol's I/O for a task whose writes sign as `operator`. */
function io(operator: string | undefined, stateTask?: string): Io {
  return {
    stateTask,
    client: apiClient(),
    // Just written, so it sorts first in the listing (newest update first): page-1 requests can
    // serve many such read-backs at once (reads/coalesce.ts).
    readWritten: (id, region) => taskReader().read(id, region, { recentlyWritten: true }),
    read: (id, region) => taskReader().read(id, region),
    readKnown: (id, knownUpdateTime, region) => taskReader().read(id, region, { knownUpdateTime }),
    list: (region, streams) => taskReader().list(region, streams),
    created: (region, streams) => taskReader().created(region, streams),
    deleted: (region, taskId) => taskReader().deleted(region, taskId),
    operator: operator ?? DEFAULT_OPERATOR,
  };
}

export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  setSettings(tencentConfig(req));
}

/** `identity`: the resource's (the native plugin's, from its URN); default the one `news` carries. */
export function check(olds: unknown, news: unknown, identity = identityOf(news)): Promise<pulumi.dynamic.CheckResult> {
  return guard(async () => {
    const old = fieldsOf(olds);
    const fields = fieldsOf(news);
    const opts = {
      olds: isEmpty(old) ? undefined : (old as unknown as TaskInputs),
      // A task without region stays where it is: another machine's default must not move it.
      defaultRegion: typeof old.region === "string" ? old.region : defaultRegion(),
      maxSpanMs: maxTaskSpanMs(),
    };
    const judged = await checkAtApiTime(fields, old, (at) => checkTask(fields, { ...opts, now: new Date(at) }));
    const { inputs, failures, warnings } = judged;
    // The host's stderr is shown by the engine: the only channel check has for a warning.
    for (const w of warnings) console.warn(`warning: ${w.property} ${w.reason}`);
    // No old inputs: the engine plans a Create (quota/watch.ts); one that adopts takes no new slot.
    if (isEmpty(old) && failures.length === 0 && !adoptTaskIdOf(inputs)) await notePlannedCreate(identity);
    // The identity travels on with the checked inputs to create (and stays out of validation).
    const checked: Bag = { ...(plain(inputs) as unknown as Bag), ...(identity ? { [IDENTITY_KEY]: identity } : {}) };
    const aliases = aliasesOf(news);
    if (aliases.length > 0) checked[ALIASES_KEY] = aliases;
    if (fields.region === undefined) checked[REGION_UNSET_KEY] = true;
    return { inputs: checked, failures: failures.map((f) => ({ property: f.property, reason: f.reason })) };
  });
}

export function diff(
  id: string,
  olds: unknown,
  news: unknown,
): Promise<pulumi.dynamic.DiffResult & { changed: string[] }> {
  return guard(async () => {
    const old = fieldsOf(olds) as unknown as TaskInputs;
    const wanted = fieldsOf(news) as unknown as TaskInputs;
    const identity = identityOf(news);
    // Where a replacement of it is created when the program names no region (placement.ts).
    if (identity) noteStateTask(identity, { taskId: id, region: old.region });
    // No region in the program: wherever the task is, is right.
    const d = diffTask(old, regionUnset(news) ? { ...wanted, region: old.region } : wanted);
    // The engine may replace even when no field forces it (replaceOnChanges, a pending delete-first
    // replacement) and then follows this order too: two tasks must not push one stream, even for a
    // moment. (A forced replacement, --replace, never asks Diff: docs/engine.md.)
    const deleteBeforeReplace = d.replaces.length > 0 ? d.deleteBeforeReplace : shareDestination(old, wanted);
    // A delete-first replacement's Create reuses its own slot: the quota count skips it.
    noteReplacementOrder(identity, deleteBeforeReplace);
    // `changed` is for the native plugin's detailed diff; the dynamic host passes on only the rest.
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace, changed: d.changed };
  });
}

export function create(props: unknown): Promise<pulumi.dynamic.CreateResult> {
  return guard(async () => {
    const provider = (props as Bag)[PROVIDER_KEY];
    const identity = identityOf(props);
    // A replacement of a task whose program names no region is created where the old task was.
    const replaced = identity ? stateTaskOf(identity) : undefined;
    const region = regionUnset(props) ? replaced?.region : undefined;
    const inputs = { ...fieldsOf(props), ...(region ? { region } : {}) } as unknown as TaskInputs;
    try {
      return await createTask(io(inputs.operator, replaced?.taskId), inputs, identity, aliasesOf(props));
    } catch (err) {
      if (err instanceof PartialCreate) throw partialFailure(err.reason, err.taskId, err.outputs, provider);
      // The figures and the way out, read after the refusal (quota/account.ts).
      if (isQuotaRefusal(err)) throw await explainQuotaRefusal(err, apiClient);
      throw err;
    }
  });
}

export function read(id: string, props?: unknown): Promise<pulumi.dynamic.ReadResult> {
  return guard(async () => {
    const old = fieldsOf(props);
    // An import brings no previous state: the task's region is the provider's.
    const region = typeof old.region === "string" ? old.region : defaultRegion();
    // Its UpdateTime in state: no older answer, and where in the listing it sits (reads/cache.ts).
    const knownUpdateTime = typeof old.updateTime === "string" ? old.updateTime : undefined;
    const info = await taskReader().read(id, region, { knownUpdateTime });
    // No id tells the engine the resource is gone: refresh drops it, the next up creates it again.
    if (!info) return {};
    const mapped = fromTaskInfo(info, isEmpty(old) ? undefined : (old as unknown as TaskInputs));
    return { id, props: plain(mapped.outputs as unknown as Bag), inputs: plain(mapped.inputs as unknown as Bag) };
  });
}

export function update(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult> {
  return guard(async () => {
    const old = fieldsOf(olds) as unknown as TaskOutputs;
    // Where the task lives (a region change is a replacement, never an update): the program may
    // name none, and the inputs then hold a default region that need not be the task's. The
    // Modify and the restart after it both go there.
    const region = old.region ?? (fieldsOf(news) as unknown as TaskInputs).region;
    const inputs = { ...fieldsOf(news), region } as unknown as TaskInputs;
    // A resource that adopted its task keeps signing as its adopter: an earlier holder's pending
    // delete (a failed run's) must still see the adoption (story.ts deleteTask).
    const operator = adoptTaskIdOf(inputs) ? adoptionOperator(inputs.operator ?? DEFAULT_OPERATOR) : inputs.operator;
    const outs = await updateTask(io(operator), id, old, inputs);
    return { outs: await restartAfterUpdate(apiClient, id, old, inputs, outs, (news as Bag)[PROVIDER_KEY]) };
  });
}

/** DeleteLivePullStreamTask, as protocol/story.ts `deleteTask` decides from the task itself. */
export function delete_(id: string, props: unknown): Promise<void> {
  return guard(async () => {
    const old = fieldsOf(props);
    const region = typeof old.region === "string" ? old.region : defaultRegion();
    const operator = typeof old.operator === "string" ? old.operator : undefined;
    if ((await deleteTask(io(operator), id, old, region)) === "kept") {
      console.warn(
        `task ${id} was not deleted: another resource adopted it (adoptTaskId) after this resource's state ` +
          "recorded it, so it now holds it. If none does, `pulumi refresh` and then the same command deletes it",
      );
    }
  });
}

export { delete_ as delete };
