// The engine's side of `pulumi preview` / `up` / `refresh` / `import` / `destroy` for
// LivePullStreamTask resources, reduced to the provider calls it makes, in its order
// (pkg/resource/deploy/step_generator.go), against Pulumi's real dynamic provider host. The one
// engine simulator of the tests and the bench (the soak drives whole desired sets with apply()).
//  - Check(old inputs, program) → Diff(id, old outputs, checked) → Create / Update / Replace. A
//    targeted replace (`--replace`) checks without olds; any other replacement re-checks without
//    olds before its Create. The order is Diff's deleteBeforeReplace unless the resource option
//    says otherwise; an old task whose delete failed stays in state as a pending delete, removed
//    by the next run.
//  - A create or update failing with ErrorResourceInitFailed keeps the resource in state with its
//    partial outputs and init errors; the next run updates it whether or not its inputs changed.
//  - Any other failure leaves state as it was; only a completed operation changes state (a killed
//    host records nothing).
import { pool } from "./pool";
import { IDENTITY_KEY, resourceIdentity } from "../provider/identity";
import { HostCallError, taskUrn, type CheckResult, type DiffResult, type ProviderHost, type Props } from "./host";

export interface StateEntry {
  id: string;
  inputs: Props;
  outputs: Props;
  /** The last create/update failed part-way (ErrorResourceInitFailed): the next run updates it. */
  initErrors?: boolean;
}

export type Operation = "create" | "update" | "replace" | "same";
type Step = "check" | "diff" | "create" | "update" | "delete";

export interface Plan {
  op: Operation;
  check: CheckResult;
  diff?: DiffResult;
}

/**
 * How the engine may replace a resource whose provider diff says "update in place" (or nothing):
 * `replace` is `pulumi up --replace <urn>` (inputs checked once, without olds); `replaceOnChanges`
 * lists input keys whose change forces a replacement; `deleteBeforeReplace` is the resource
 * option, overriding the provider's choice of order either way.
 */
export interface UpOptions {
  replace?: boolean;
  replaceOnChanges?: string[];
  deleteBeforeReplace?: boolean;
}

/** UpOptions per resource, for apply(). */
export interface ApplyOptions {
  replace?: ReadonlySet<string>;
  deleteBeforeReplace?: (name: string) => boolean | undefined;
}

export interface OpFailure {
  name: string;
  op: Step;
  message: string;
  partial?: boolean;
  /** What the host (or check) threw. */
  error: unknown;
}

export interface UpResult {
  operations: Record<Step, number>;
  failures: OpFailure[];
  /** Replacements the provider's diff asked for (the soak plans none: each is a diff bug). */
  replacements: string[];
  /** Resources whose replacement created its new task in this run. */
  replaced: string[];
}

/** What `pulumi refresh` of the whole stack did (refreshAll). */
export interface RefreshResult {
  kept: number;
  gone: number;
  failures: { name: string; message: string; error: unknown }[];
}

export class CheckFailedError extends Error {
  constructor(readonly failures: { property: string; reason: string }[]) {
    super(`check failed: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
}

/** Lets a driver swap the host between runs (a fresh host per `pulumi up`, or after a kill). */
export type HostRef = { current: ProviderHost };

/** Input keys whose values differ (the engine's own comparison of old and new inputs). */
function changedInputs(olds: Props, news: Props): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
}

function messageOf(err: unknown): string {
  return err instanceof HostCallError ? err.details : err instanceof Error ? err.message : String(err);
}

const emptyResult = (): UpResult => ({
  operations: { check: 0, diff: 0, create: 0, update: 0, delete: 0 },
  failures: [],
  replacements: [],
  replaced: [],
});

/** A failure of one step of plan(), so that it is recorded under the right operation. */
class StepError {
  constructor(
    readonly op: Step,
    readonly error: unknown,
  ) {}
}

async function stepOf<T>(op: Step, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new StepError(op, err);
  }
}

interface Run {
  result: UpResult;
  o: UpOptions;
  plan?: Plan;
}

export class Stack {
  readonly state = new Map<string, StateEntry>();
  /** Old tasks of create-before-delete replacements whose delete has not succeeded yet. */
  readonly pendingDeletes: (StateEntry & { name: string })[] = [];
  /** Every error text the host returned, for the secret scans. */
  readonly errorTexts: string[] = [];
  /** Resource operations finished so far by apply() (succeeded or failed). */
  finished = 0;
  /** Called after each finished operation of apply() (the soak's host killer watches it). */
  onFinish?: (finished: number) => void;
  private readonly ref: HostRef;

  constructor(
    host: ProviderHost | HostRef,
    readonly stack = "test",
    readonly project = "css",
  ) {
    this.ref = "current" in host ? host : { current: host };
  }

  get host(): ProviderHost {
    return this.ref.current;
  }

  urn(name: string): string {
    return taskUrn(name, this.stack, this.project);
  }

  /** The inputs as LivePullStreamTask registers them: the program plus the resource's identity. */
  registered(name: string, program: Props): Props {
    return { ...program, [IDENTITY_KEY]: resourceIdentity(this.project, this.stack, name) };
  }

  /** What `pulumi preview` decides for one resource (no writes). */
  async preview(name: string, program: Props, o: UpOptions = {}): Promise<Plan> {
    try {
      return await this.plan(name, this.registered(name, program), o, emptyResult());
    } catch (err) {
      throw err instanceof StepError ? err.error : err;
    }
  }

  /** `pulumi up` for one resource: the plan it carried out, or what failed, thrown. */
  async up(name: string, program: Props, o: UpOptions = {}): Promise<Plan> {
    const run: Run = { result: emptyResult(), o };
    await this.step(name, this.registered(name, program), run);
    if (run.result.failures.length > 0) throw run.result.failures[0].error;
    return run.plan!;
  }

  /**
   * One `pulumi up` towards `desired` (name → registered inputs), every resource at once (the
   * engine's default parallelism is unbounded), pending deletes first. Failures are recorded.
   */
  async apply(
    desired: Map<string, Props>,
    parallel = Number.MAX_SAFE_INTEGER,
    o: ApplyOptions = {},
  ): Promise<UpResult> {
    const result = emptyResult();
    const names = [...new Set([...desired.keys(), ...this.state.keys()])];
    const work: (() => Promise<void>)[] = [
      ...this.pendingDeletes.splice(0).map((old) => () => this.deleteOld(old, result)),
      ...names.map((name) => () => {
        const forNow = { replace: o.replace?.has(name), deleteBeforeReplace: o.deleteBeforeReplace?.(name) };
        return this.step(name, desired.get(name), { result, o: forNow });
      }),
    ];
    await pool(work, parallel, async (fn) => {
      try {
        await fn();
      } finally {
        this.finished++;
        this.onFinish?.(this.finished);
      }
    });
    return result;
  }

  /** `pulumi refresh` for one resource: the state follows the real task, or drops it. */
  async refresh(name: string): Promise<"kept" | "gone"> {
    const old = this.state.get(name);
    if (!old) throw new Error(`${name} is not in state`);
    const res = await this.host.read(old.id, this.urn(name), old.outputs, old.inputs);
    if (res.id === "") {
      this.state.delete(name);
      return "gone";
    }
    this.state.set(name, { id: res.id, inputs: res.inputs ?? old.inputs, outputs: res.properties });
    return "kept";
  }

  /**
   * `pulumi refresh` of the whole stack, as deployment_executor.go `refresh` does it: one
   * RefreshStep per resource of the previous snapshot, in state order, all submitted as ONE batch
   * (`stepExec.ExecuteParallel(steps)`) to a step executor with `--parallel` workers
   * (step_executor.go `newStepExecutor`: DegreeOfParallelism workers, or one goroutine per step
   * when unbounded). Pending deletes are old resources of the snapshot too, so they are read as
   * well. A failed Read is recorded and the others go on (the refresh's step executor ignores
   * errors: `newStepExecutor(…, true)`).
   */
  async refreshAll(parallel = Number.MAX_SAFE_INTEGER): Promise<RefreshResult> {
    const out: RefreshResult = { kept: 0, gone: 0, failures: [] };
    const pending = [...this.pendingDeletes];
    const steps: (() => Promise<void>)[] = [
      ...[...this.state.keys()].map((name) => async () => {
        (await this.refresh(name)) === "kept" ? out.kept++ : out.gone++;
      }),
      ...pending.map((old) => async () => {
        const res = await this.host.read(old.id, this.urn(old.name), old.outputs, old.inputs);
        const i = this.pendingDeletes.indexOf(old);
        if (res.id === "" && i >= 0) this.pendingDeletes.splice(i, 1);
        else if (i >= 0) this.pendingDeletes[i] = { ...old, outputs: res.properties };
      }),
    ];
    const names = [...this.state.keys(), ...pending.map((p) => p.name)];
    await pool(steps.map((fn, i) => ({ fn, name: names[i] })), parallel, async ({ fn, name }) => {
      try {
        await fn();
      } catch (err) {
        this.errorTexts.push(messageOf(err));
        out.failures.push({ name, message: messageOf(err), error: err });
      }
    });
    return out;
  }

  /**
   * Adopting an existing task: Read with the id and no previous state. With the `import` resource
   * option the engine sends the program's inputs (the host then reads them as the properties);
   * without a program only `__provider` is known.
   */
  async import(name: string, id: string, program: Props = {}): Promise<StateEntry> {
    const inputs = Object.keys(program).length ? this.registered(name, program) : {};
    const res = await this.host.read(id, this.urn(name), {}, inputs);
    if (res.id === "") throw new Error(`task ${id} does not exist`);
    const st = { id: res.id, inputs: res.inputs ?? {}, outputs: res.properties };
    this.state.set(name, st);
    return st;
  }

  /** `pulumi destroy` for one resource. */
  async destroy(name: string): Promise<void> {
    const old = this.state.get(name);
    if (!old) return;
    await this.host.delete(old.id, this.urn(name), old.outputs);
    this.state.delete(name);
  }

  private fail(result: UpResult, name: string, op: Step, error: unknown, partial = false): void {
    const message = messageOf(error);
    this.errorTexts.push(message);
    result.failures.push({ name, op, message, partial, error });
  }

  /** Check (without olds for a targeted replace) and, for a resource in state, Diff. */
  private async plan(name: string, news: Props, o: UpOptions, result: UpResult): Promise<Plan> {
    const old = this.state.get(name);
    result.operations.check++;
    const olds = old && !o.replace ? old.inputs : {};
    const check = await stepOf("check", () => this.host.check(this.urn(name), olds, news));
    if (!old) return { op: "create", check };
    if (check.failures.length > 0) return { op: "same", check };
    result.operations.diff++;
    const diff = await stepOf("diff", () => this.host.diff(old.id, this.urn(name), old.outputs, check.inputs));
    const onChanges = changedInputs(old.inputs, check.inputs).some((k) => o.replaceOnChanges?.includes(k));
    const forced = o.replace || (diff.changes !== "none" && onChanges);
    const same = diff.changes === "none" && !old.initErrors;
    const op: Operation = diff.replaces.length > 0 || forced ? "replace" : same ? "same" : "update";
    return { op, check, diff };
  }

  private async step(name: string, news: Props | undefined, run: Run): Promise<void> {
    const { result, o } = run;
    const old = this.state.get(name);
    if (!news) {
      if (!old) return;
      result.operations.delete++;
      try {
        await this.host.delete(old.id, this.urn(name), old.outputs);
        this.state.delete(name);
      } catch (err) {
        this.fail(result, name, "delete", err);
      }
      return;
    }
    let plan: Plan;
    try {
      plan = await this.plan(name, news, o, result);
    } catch (err) {
      if (err instanceof StepError) return this.fail(result, name, err.op, err.error);
      throw err;
    }
    run.plan = plan;
    const failures = plan.check.failures;
    if (failures.length > 0) return this.fail(result, name, "check", new CheckFailedError(failures));
    switch (plan.op) {
      case "same":
        this.state.set(name, { ...old!, inputs: plan.check.inputs });
        return;
      case "create":
        // A resource deleted first by a replacement whose create failed is created now.
        if ((await this.create(name, plan.check.inputs, result)) && o.replace) result.replaced.push(name);
        return;
      case "update":
        return this.update(name, old!, plan.check.inputs, result);
      case "replace":
        if (plan.diff!.replaces.length > 0) result.replacements.push(`${name}: ${plan.diff!.replaces.join(",")}`);
        return this.replace(name, old!, plan, news, run);
    }
  }

  /** Creates `name`; on success (or a partial create) records it in state. */
  private async create(name: string, inputs: Props, result: UpResult): Promise<boolean> {
    result.operations.create++;
    try {
      const r = await this.host.create(this.urn(name), inputs);
      this.state.set(name, { id: r.id, inputs, outputs: r.properties });
      return true;
    } catch (err) {
      const init = err instanceof HostCallError ? err.initFailure : undefined;
      if (init?.id) this.state.set(name, { id: init.id, inputs, outputs: init.properties, initErrors: true });
      this.fail(result, name, "create", err, !!init?.id);
      return !!init?.id;
    }
  }

  private async update(name: string, old: StateEntry, inputs: Props, result: UpResult): Promise<void> {
    result.operations.update++;
    try {
      const r = await this.host.update(old.id, this.urn(name), old.outputs, inputs);
      this.state.set(name, { id: old.id, inputs, outputs: r.properties });
    } catch (err) {
      const init = err instanceof HostCallError ? err.initFailure : undefined;
      if (init?.id) this.state.set(name, { id: init.id, inputs, outputs: init.properties, initErrors: true });
      this.fail(result, name, "update", err, !!init?.id);
    }
  }

  /** Deletes the old task of a replacement; kept as a pending delete if that fails. */
  private async deleteOld(old: StateEntry & { name: string }, result: UpResult): Promise<void> {
    result.operations.delete++;
    try {
      await this.host.delete(old.id, this.urn(old.name), old.outputs);
    } catch (err) {
      this.pendingDeletes.push(old);
      this.fail(result, old.name, "delete", err);
    }
  }

  /** A fresh check (a targeted replace already did it), then delete-first or create-first. */
  private async replace(name: string, old: StateEntry, plan: Plan, news: Props, run: Run): Promise<void> {
    const { result, o } = run;
    let fresh = plan.check;
    if (!o.replace) {
      result.operations.check++;
      try {
        fresh = await this.host.check(this.urn(name), {}, news);
      } catch (err) {
        return this.fail(result, name, "check", err);
      }
      if (fresh.failures.length > 0) return this.fail(result, name, "check", new CheckFailedError(fresh.failures));
    }
    if (o.deleteBeforeReplace ?? plan.diff!.deleteBeforeReplace) {
      result.operations.delete++;
      try {
        await this.host.delete(old.id, this.urn(name), old.outputs);
      } catch (err) {
        return this.fail(result, name, "delete", err);
      }
      // Gone from state: until the create succeeds the next run sees a resource to create.
      this.state.delete(name);
      if (await this.create(name, fresh.inputs, result)) result.replaced.push(name);
      return;
    }
    if (!(await this.create(name, fresh.inputs, result))) return;
    result.replaced.push(name);
    await this.deleteOld({ ...old, name }, result);
  }
}
