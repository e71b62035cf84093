// A small stand-in for the Pulumi engine's deployment loop, driving the real dynamic provider host
// (test/support/host.ts) exactly as `pulumi up` would: check → create for new resources,
// check → diff → update for changed ones, delete for removed ones, all at once (the engine's
// default parallelism is unbounded), and the engine's state rules:
//  - a create that fails with an id (ErrorResourceInitFailed) leaves the resource in state with
//    init errors; the next `up` updates it whether or not its inputs changed;
//  - any other failed operation leaves state as it was; the next `up` tries again;
//  - only a completed operation changes state (a killed host records nothing);
//  - a replacement (forced, as by `pulumi up --replace`) re-checks without olds, then deletes
//    first or creates first; an old task whose delete failed stays in state as a pending delete,
//    removed by the next `up`.
import { HostCallError, type ProviderHost, type Props, taskUrn } from "../../test/support/host";

export interface StateEntry {
  id: string;
  inputs: Props;
  outputs: Props;
  initErrors: boolean;
}

export interface OpFailure {
  name: string;
  op: "check" | "diff" | "create" | "update" | "delete";
  message: string;
  partial?: boolean;
}

export interface UpResult {
  operations: Record<"check" | "diff" | "create" | "update" | "delete", number>;
  failures: OpFailure[];
  /** Replacements the provider's diff asked for (the soak plans none: each is a diff bug). */
  replacements: string[];
  /** Resources whose forced replacement created its new task in this `up`. */
  replaced: string[];
}

export interface UpOptions {
  /** `pulumi up --replace` for these resources (checked without olds, replaced whatever the diff says). */
  replace?: ReadonlySet<string>;
  /** The resource option deleteBeforeReplace; undefined follows the provider's diff. */
  deleteBeforeReplace?: (name: string) => boolean | undefined;
}

export type Fail = (name: string, op: OpFailure["op"], err: unknown, partial?: boolean) => void;

export type HostRef = { current: ProviderHost };

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}

function messageOf(err: unknown): string {
  return err instanceof HostCallError ? err.details : err instanceof Error ? err.message : String(err);
}

export class SimEngine {
  readonly state = new Map<string, StateEntry>();
  /** Old tasks of create-before-delete replacements whose delete has not succeeded yet. */
  readonly pendingDeletes: (StateEntry & { name: string })[] = [];
  /** Every error text the host returned, for the secret scans. */
  readonly errorTexts: string[] = [];
  /** Resource operations finished so far (succeeded or failed), across every `up`. */
  finished = 0;
  /** Called after each finished operation (the soak's host killer watches it). */
  onFinish?: (finished: number) => void;

  constructor(
    private readonly host: HostRef,
    private readonly stack = "soak",
  ) {}

  urn(name: string): string {
    return taskUrn(name, this.stack);
  }

  /** One `pulumi up` towards `desired` (name → program inputs). */
  async up(desired: Map<string, Props>, parallel = Number.MAX_SAFE_INTEGER, o: UpOptions = {}): Promise<UpResult> {
    const result: UpResult = { operations: { check: 0, diff: 0, create: 0, update: 0, delete: 0 }, failures: [], replacements: [], replaced: [] };
    const fail = (name: string, op: OpFailure["op"], err: unknown, partial = false) => {
      const message = messageOf(err);
      this.errorTexts.push(message);
      result.failures.push({ name, op, message, partial });
    };
    const names = [...new Set([...desired.keys(), ...this.state.keys()])];
    const pending = this.pendingDeletes.splice(0);
    const work: (() => Promise<void>)[] = [
      ...pending.map((old) => () => this.deleteOld(old, result, fail)),
      ...names.map((name) => () => this.step(name, desired.get(name), result, fail, o)),
    ];
    await pool(work, parallel, async (run) => {
      try {
        await run();
      } finally {
        this.finished++;
        this.onFinish?.(this.finished);
      }
    });
    return result;
  }

  /** Deletes the old task of a replacement; kept as a pending delete if that fails. */
  private async deleteOld(old: StateEntry & { name: string }, result: UpResult, fail: Fail): Promise<void> {
    result.operations.delete++;
    try {
      await this.host.current.delete(old.id, this.urn(old.name), old.outputs);
    } catch (err) {
      this.pendingDeletes.push(old);
      fail(old.name, "delete", err);
    }
  }

  /** Creates `name`; on success (or a partial create) records it in state. */
  private async create(name: string, checked: Props, result: UpResult, fail: Fail): Promise<boolean> {
    result.operations.create++;
    try {
      const r = await this.host.current.create(this.urn(name), checked);
      this.state.set(name, { id: r.id, inputs: checked, outputs: r.properties, initErrors: false });
      return true;
    } catch (err) {
      const init = err instanceof HostCallError ? err.initFailure : undefined;
      if (init?.id) this.state.set(name, { id: init.id, inputs: checked, outputs: init.properties, initErrors: true });
      fail(name, "create", err, !!init?.id);
      return !!init?.id;
    }
  }

  /** A targeted replacement (inputs already checked without olds): delete-first or create-first. */
  private async replace(name: string, old: StateEntry, fresh: Props, dbr: boolean, result: UpResult, fail: Fail): Promise<void> {
    const host = this.host.current;
    if (dbr) {
      result.operations.delete++;
      try {
        await host.delete(old.id, this.urn(name), old.outputs);
      } catch (err) {
        return fail(name, "delete", err);
      }
      // Gone from state: until the create succeeds the next `up` sees a resource to create.
      this.state.delete(name);
      if (await this.create(name, fresh, result, fail)) result.replaced.push(name);
      return;
    }
    if (!(await this.create(name, fresh, result, fail))) return;
    result.replaced.push(name);
    await this.deleteOld({ ...old, name }, result, fail);
  }

  private async step(name: string, news: Props | undefined, result: UpResult, fail: Fail, o: UpOptions): Promise<void> {
    const host = this.host.current;
    const urn = this.urn(name);
    const old = this.state.get(name);
    if (!news) {
      if (!old) return;
      result.operations.delete++;
      try {
        await host.delete(old.id, urn, old.outputs);
        this.state.delete(name);
      } catch (err) {
        fail(name, "delete", err);
      }
      return;
    }
    const targeted = !!old && !!o.replace?.has(name);
    result.operations.check++;
    let checked: Props;
    try {
      // A targeted replace checks without olds (the engine's isTargetedReplace).
      const c = await host.check(urn, old && !targeted ? old.inputs : {}, news);
      if (c.failures.length) {
        fail(name, "check", new Error(c.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")));
        return;
      }
      checked = c.inputs;
    } catch (err) {
      fail(name, "check", err);
      return;
    }
    if (!old) {
      // A resource deleted first by a replacement whose create failed is created now.
      if (await this.create(name, checked, result, fail) && o.replace?.has(name)) result.replaced.push(name);
      return;
    }
    result.operations.diff++;
    let changes = old.initErrors;
    try {
      const d = await host.diff(old.id, urn, old.outputs, checked);
      if (targeted) {
        await this.replace(name, old, checked, o.deleteBeforeReplace?.(name) ?? d.deleteBeforeReplace, result, fail);
        return;
      }
      if (d.replaces.length) {
        // The soak only plans in-place changes; a replacement here is a diff bug worth seeing.
        result.replacements.push(`${name}: ${d.replaces.join(",")}`);
        return;
      }
      changes ||= d.changes !== "none";
    } catch (err) {
      fail(name, "diff", err);
      return;
    }
    if (!changes) {
      this.state.set(name, { ...old, inputs: checked });
      return;
    }
    result.operations.update++;
    try {
      const r = await host.update(old.id, urn, old.outputs, checked);
      this.state.set(name, { id: old.id, inputs: checked, outputs: r.properties, initErrors: false });
    } catch (err) {
      const init = err instanceof HostCallError ? err.initFailure : undefined;
      if (init?.id) this.state.set(name, { id: init.id, inputs: checked, outputs: init.properties, initErrors: true });
      fail(name, "update", err, !!init?.id);
    }
  }
}
