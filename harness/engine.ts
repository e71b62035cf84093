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
import { replaceOnChangesApplies } from "./replace-on-changes";
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

export class CheckFailedError extends Error {
  constructor(readonly failures: { property: string; reason: string }[]) {
    super(`check failed: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
}

/** Lets a driver swap the host between runs (a fresh host per `pulumi up`, or after a kill). */
export type HostRef = { current: ProviderHost };

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
   * Adopting an existing task as the engine does (pkg/resource/deploy/step.go `ImportStep.Apply`):
   * Read with the id alone, no inputs, so the dynamic provider host gets no `__provider` and fails
   * (pulumi/pulumi#16175, #3550, #7534: the dynamic resource adopts with `adoptTaskId` instead).
   * An empty id fails the import ("does not exist"), and so do missing inputs ("provider does not
   * support importing resources"). Then:
   *  - `pulumi import` (no program): the read inputs are the state; Check(read inputs, read inputs)
   *    failures are only warnings (`ImportStep.Apply`, planned), returned as `checkFailures`.
   *  - the `import` resource option (a program): step_generator.go `continueStepsFromImport` checks
   *    the program with the read inputs as olds and diffs; a difference is an update, a replacement
   *    is refused (`continueStepsFromDiff`: "previously-imported resources that still specify an ID
   *    may not be replaced"); no difference keeps the imported state as read.
   */
  async import(name: string, id: string, program?: Props): Promise<StateEntry & { checkFailures: CheckResult["failures"]; op?: Operation }> {
    const res = await this.host.read(id, this.urn(name), {});
    if (res.noOutputs) throw new Error(`resource '${id}' does not exist`);
    if (!res.inputs) throw new Error("provider does not support importing resources");
    const imported: StateEntry = { id: res.id || id, inputs: res.inputs, outputs: res.properties };
    this.state.set(name, imported);
    if (!program) {
      const check = await this.host.check(this.urn(name), imported.inputs, imported.inputs);
      return { ...imported, checkFailures: check.failures };
    }
    const result = emptyResult();
    let plan: Plan;
    try {
      plan = await this.plan(name, this.registered(name, program), {}, result);
    } catch (err) {
      throw err instanceof StepError ? err.error : err;
    }
    if (plan.check.failures.length > 0) throw new CheckFailedError(plan.check.failures);
    if (plan.op === "replace") {
      throw new Error("previously-imported resources that still specify an ID may not be replaced; " +
        "please remove the `import` declaration from your program");
    }
    if (plan.op === "update") {
      await this.update(name, imported, plan.check.inputs, result);
      if (result.failures.length > 0) throw result.failures[0].error;
    }
    return { ...this.state.get(name)!, checkFailures: [], op: plan.op };
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
    const onChanges = replaceOnChangesApplies(diff, o.replaceOnChanges, old.initErrors);
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
