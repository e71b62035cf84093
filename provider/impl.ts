// The provider's behaviour, loaded by the stubs in provider.ts inside the dynamic provider host.
// Thin wiring: task logic is in provider/task (pure), API I/O in provider/api, exactly-once writes
// in readback.ts, process settings in config.ts.
//
// Shapes the host hands us: check(olds = previous inputs, news = program inputs), diff and update
// (olds = previous OUTPUTS, news = checked inputs), create(checked inputs), read(id, previous
// outputs, or nothing for the plugin's import: the engine's import sends the id alone, which the
// dynamic host cannot serve, so the dynamic resource adopts with adoptTaskId, adopt.ts),
// delete(id, previous outputs). Every object also carries `__provider`, the serialised provider, which must survive
// into outputs; inputs registered by LivePullStreamTask carry `__identity` (identity.ts).
import type * as pulumi from "@pulumi/pulumi";
import { apiTime } from "./clock";
import { apiClient, configure as setSettings, defaultRegion, maxTaskSpanMs, taskReader, tencentConfig } from "./config";
import { restartAfterUpdate } from "./followups";
import { IDENTITY_KEY } from "./identity";
import { isTaskNotExist } from "./api/errors";
import { createExactlyOnce, modifyConfirmed, specifyTaskIdFor } from "./readback";
import { asFound, taskToAdopt } from "./adopt";
import { heldLive, noteDeleted, noteLive, noteStateTask, stateTaskOf, wasDeleted } from "./replacing";
import { checkTask } from "./task/check";
import { shareDestination } from "./task/destination";
import { diffTask } from "./task/diff";
import { maskSecrets } from "./task/mask";
import { OUTPUT_ONLY_FIELDS } from "./task/fields";
import { MACHINERY_KEYS, PROVIDER_KEY, REGION_UNSET_KEY } from "./machinery";
import { DEFAULT_OPERATOR } from "./task/normalise";
import { asCreated, fromTaskInfo, toCreateRequest, toModifyRequest } from "./task/requests";
import type { TaskInputs, TaskOutputs } from "./task/types";
import type { CreateLivePullStreamTaskRequest, ModifyLivePullStreamTaskRequest, PullStreamTaskInfo } from "./api/types";


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

/** Struct (what the host sends back to the engine) cannot hold undefined. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
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
function partialFailure(err: unknown, taskId: string, outputs: Bag, provider: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
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

/**
 * Outputs after a write: the task as the API shows it now (createTime, updateTime, who changed
 * it), or what we sent if it cannot be read. Read through the coalescer, so a large apply pays a
 * few listing pages rather than one Describe per task; it only serves reads issued before the
 * page was requested, so the answer is never older than the write.
 */
async function outputsAfterWrite(taskId: string, inputs: TaskInputs, known?: PullStreamTaskInfo): Promise<Bag> {
  let info = known;
  if (!info) {
    try {
      // Just written, so it sorts first in the listing (newest update first): page-1 requests can
      // serve many such read-backs at once.
      info = await taskReader().read(taskId, inputs.region, { recentlyWritten: true });
    } catch {
      // The write succeeded; a failed read must not fail it. Refresh fills the read-only outputs.
      info = undefined;
    }
  }
  if (!info) return plain({ ...inputs, taskId });
  const shown = fromTaskInfo(info, inputs);
  // A read lagging the write shows the task as it was: what was written is then the better answer.
  // (Outputs from it would hide the write from the next diff: a paused task recorded as enabled is
  // never enabled again.)
  if (diffTask(shown.inputs, inputs).changes) return plain({ ...inputs, taskId });
  return plain(shown.outputs as unknown as Bag);
}

export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  setSettings(tencentConfig(req));
}

export function check(olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult> {
  return guard(async () => {
    const old = fieldsOf(olds);
    const { inputs, failures, warnings } = checkTask(fieldsOf(news), {
      now: await apiTime(fieldsOf(news), old),
      olds: isEmpty(old) ? undefined : (old as unknown as TaskInputs),
      // A task without region stays where it is: another machine's default must not move it.
      defaultRegion: typeof old.region === "string" ? old.region : defaultRegion(),
      maxSpanMs: maxTaskSpanMs(),
    });
    // The host's stderr is shown by the engine: the only channel check has for a warning.
    for (const w of warnings) console.warn(`warning: ${w.property} ${w.reason}`);
    // The identity travels on with the checked inputs to create (and stays out of validation).
    const identity = identityOf(news);
    const checked: Bag = { ...(plain(inputs) as unknown as Bag), ...(identity ? { [IDENTITY_KEY]: identity } : {}) };
    if (fieldsOf(news).region === undefined) checked[REGION_UNSET_KEY] = true;
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
    // A Create of this resource later in this run is a replacement of this task (replacing.ts).
    if (identity) noteStateTask(identity, { taskId: id, region: old.region });
    // No region in the program: wherever the task is, is right.
    const d = diffTask(old, regionUnset(news) ? { ...wanted, region: old.region } : wanted);
    // The engine may replace even when no field forces it (replaceOnChanges, a pending delete-first
    // replacement) and then follows this order too: two tasks must not push one stream, even for a
    // moment. (A forced replacement, --replace, never asks Diff: docs/engine.md.)
    const deleteBeforeReplace = d.replaces.length > 0 ? d.deleteBeforeReplace : shareDestination(old, wanted);
    // Unchanged: the engine keeps it (or replaces it only if its delete-first replacement is pending,
    // the task already deleted): it stays this resource's live task in this run.
    // Changed: the engine may replace it, deleting this id first; nothing is known any more.
    if (identity) noteLive(identity, d.changes ? undefined : id);
    // `changed` is for the native plugin's detailed diff; the dynamic host passes on only the rest.
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace, changed: d.changed };
  });
}

export function create(props: unknown): Promise<pulumi.dynamic.CreateResult> {
  return guard(async () => {
    const provider = (props as Bag)[PROVIDER_KEY];
    const identity = identityOf(props);
    const replaced = identity ? stateTaskOf(identity) : undefined;
    // A replacement of a task whose program names no region is created where the old task was.
    const region = regionUnset(props) && replaced?.region ? replaced.region : undefined;
    const inputs = { ...fieldsOf(props), ...(region ? { region } : {}) } as unknown as TaskInputs;
    const client = apiClient();
    const specifyTaskId = specifyTaskIdFor(identity, inputs);
    const req = toCreateRequest(inputs, specifyTaskId) as unknown as CreateLivePullStreamTaskRequest;
    const plan = {
      specifyTaskId: (generation: number) => specifyTaskIdFor(identity, inputs, generation),
      inputs,
      replacing: replaced?.taskId,
      isDeleted: wasDeleted,
    };
    // adoptTaskId (adopt.ts): a task created outside Pulumi, checked to be this resource's; no Create.
    const readTask = (id: string, r?: string) => taskReader().read(id, r);
    const adopting = await taskToAdopt(inputs, {
      identity,
      replacing: replaced?.taskId,
      isDeleted: wasDeleted,
      read: readTask,
    });
    const { taskId, existing } = adopting
      ? { taskId: adopting.TaskId, existing: adopting }
      : await createExactlyOnce(client, req, plan, inputs.region);
    // Adopted (an interrupted run's task, or adoptTaskId): the engine may yet delete this id as the old
    // object of a replacement or a rename (replacing.ts).
    if (identity) noteLive(identity, existing ? taskId : undefined);
    // What the task is now: as created (Create has no Status, so enabled), or as found when it
    // already existed (adopted after an interrupted run, whose fields may differ from the program).
    const base = adopting ? asFound(adopting, inputs) : asCreated(inputs);
    const current = existing ? fromTaskInfo(existing, base) : undefined;
    const currentInputs = current?.inputs ?? { ...asCreated(inputs), status: "enable" as const };
    // One Modify brings it to the program: Status=pause for a paused task, more for an adopted one.
    const rest = toModifyRequest(taskId, currentInputs, inputs) as ModifyLivePullStreamTaskRequest | null;
    // Already read back (found by its SpecifyTaskId) and nothing to change: no second read.
    let known: PullStreamTaskInfo | undefined = rest ? undefined : existing;
    if (rest) {
      try {
        known = await modifyConfirmed(client, rest, inputs, inputs.region);
      } catch (err) {
        const partial = (current?.outputs as unknown as Bag) ?? { ...currentInputs, taskId };
        throw partialFailure(err, taskId, partial, provider);
      }
    }
    return { id: taskId, outs: await outputsAfterWrite(taskId, inputs, known) };
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
    const outs = await modifyInPlace(id, old, inputs);
    const identity = identityOf(news);
    if (identity) noteLive(identity, id);
    return { outs: await restartAfterUpdate(apiClient, id, old, inputs, outs, (news as Bag)[PROVIDER_KEY]) };
  });
}

/** The one Modify that brings task `id` from `old` (outputs) to `inputs`; the outputs after it. */
async function modifyInPlace(id: string, old: TaskOutputs, inputs: TaskInputs): Promise<Bag> {
  const req = toModifyRequest(id, old, inputs) as ModifyLivePullStreamTaskRequest | null;
  // Nothing the API can change (diff reported no change worth a request, e.g. fileIndex removed):
  // the outputs are the new inputs plus what only Describe knows. Spreading the old outputs
  // instead would keep a removed field in state and diff again on every preview.
  if (!req) {
    const known: Bag = {};
    const previous = old as unknown as Bag;
    for (const key of OUTPUT_ONLY_FIELDS) if (previous[key] !== undefined) known[key] = previous[key];
    return plain({ ...inputs, ...known, taskId: id });
  }
  let known: PullStreamTaskInfo | undefined;
  try {
    known = await modifyConfirmed(apiClient(), req, inputs, inputs.region);
  } catch (err) {
    if (!isTaskNotExist(err)) throw err;
    throw new Error(
      `task ${id} no longer exists (deleted outside Pulumi, or expired and cleaned up): run \`pulumi refresh\` ` +
        `to drop it from the state, then \`pulumi up\` creates it again. ${(err as Error).message}`,
    );
  }
  return outputsAfterWrite(id, inputs, known);
}

/**
 * DeleteLivePullStreamTask, unless a resource is held live under this id in this run (replacing.ts):
 * then the engine is deleting the old object of a replacement (or a rename) whose Create adopted the
 * same task, and the delete is skipped: the state keeps the resource under that id.
 */
export function delete_(id: string, props: unknown): Promise<void> {
  return guard(async () => {
    if (heldLive(id)) {
      console.warn(
        `task ${id} was not deleted: a resource of this run holds it (adopted by its create), so one task remains`,
      );
      return;
    }
    const old = fieldsOf(props);
    const region = typeof old.region === "string" ? old.region : defaultRegion();
    const operator = typeof old.operator === "string" ? old.operator : DEFAULT_OPERATOR;
    try {
      await apiClient().deleteTask({ TaskId: id, Operator: operator }, { region });
    } catch (err) {
      // Already gone (deleted outside, expired, or our own earlier attempt whose reply was lost).
      if (!isTaskNotExist(err)) throw err;
    }
    noteDeleted(id);
  });
}

export { delete_ as delete };
