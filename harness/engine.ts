// The engine's side of `pulumi preview` / `up` / `refresh` / `import` / `destroy` for
// LivePullStreamTask resources, reduced to the provider calls it makes, in its order, against
// Pulumi's real dynamic provider host (or the native plugin). Read from pulumi/pulumi at v3.259/3.260
// (our @pulumi/pulumi is 3.270); docs/engine.md tabulates each behaviour, its source and its test.
// pkg/resource/deploy/ unless named otherwise:
//  - Step generation is serial (step_generator.go `continueStepsFromImport`, `generateStepsFromDiff`:
//    Check, then Diff, one resource at a time; ParallelDiff is off by default); steps run on
//    `--parallel` workers (executor.ts), default 4 x CPUs.
//  - Check gets the old inputs unless the resource is new or a targeted replace (`--replace`,
//    `pulumi state taint`: `isTargetedReplace`); a Check failure stops the run (`issueCheckErrors`
//    → invalid → BailErrorf).
//  - `diff`: a targeted replace or a ReplaceWith/DeletedWith cascade is replaced WITHOUT calling the
//    provider's Diff ("replace, blame id/replaceWith/deletedWith", deleteBeforeReplace false).
//    A changed explicit provider replaces only when the new provider's DiffConfig says so, which
//    neither the dynamic host (unimplemented) nor our plugin (no replace keys) does: an ordinary
//    Diff, but the old object's Delete goes to the OLD provider's process (step.go DeleteStep
//    `old.Provider`; pkg/host/host.go: one plugin process per provider load).
//    Otherwise the provider's Diff (`diffResource`).
//  - `--refresh` (up, destroy): the refresh (Read, then Diff: step.go RefreshStep.Apply) runs first
//    in the same deployment, so in the same provider process as the steps and deletes after it.
//  - `--continue-on-error`: a failed step cancels nothing and the end-of-run deletes still run.
//  - `continueStepsFromDiff`: changes (or an old PendingReplacement) with replace keys → replace:
//    Check again WITHOUT olds unless targeted; delete-before-replace = the resource option if set,
//    else the Diff's. DBR: Delete (skipped when the old is already PendingReplacement) then Create;
//    CBD: Create, which marks the old Delete=true (step.go `CreateStep.Apply`); its Delete runs at
//    the END of the run (deployment_executor.go `performPostSteps` → `GenerateDeletes`), only if
//    no step failed; else it stays in state and a later run deletes it at its end.
//  - DeleteStep.Apply sets PendingReplacement on a DBR old after its Delete: if the Create then
//    fails, the next run checks WITH olds, diffs the deleted id and replaces with no second Delete.
//  - A partial create/update (ErrorResourceInitFailed) keeps the resource with its InitErrors; a
//    partial UPDATE stores the OLD inputs with the new outputs (pkg/engine/update.go
//    `OnResourceStepPost`); the next run updates it even without changes.
//  - Any step failure cancels the run (step_executor.go `cancelDueToError`).
//  - Olds carry the `__provider` stored in state (what the run that last created/updated them
//    sent); Create/Update/Diff news carry the current one.
import { defaultParallel, StepExecutor, type Chain } from "./executor";
import { refreshOne, refreshStack, type RefreshResult } from "./refresh";
import { importResource } from "./import";
import { generate } from "./step-generator";
import { deletePending, deleteRemoved } from "./steps";
import { IDENTITY_KEY, resourceIdentity } from "../provider/identity";
import { PROVIDER_KEY, taskUrn, type CheckResult, type ProviderHost, type Props } from "./host";
import { CheckFailedError, emptyResult, messageOf, StepError } from "./engine-types";
import type {
  ApplyOptions, HostRef, Old, Operation, Plan, Registration, Run, StateEntry, Step, UpOptions, UpResult,
} from "./engine-types";

export { defaultParallel };
export { CheckFailedError };
export type {
  ApplyOptions, HostRef, OpFailure, Operation, Plan, StateEntry, UpOptions, UpResult,
} from "./engine-types";

export type { RefreshResult };

export class Stack {
  readonly state = new Map<string, StateEntry>();
  /** Olds marked Delete=true by a create-before-delete replacement whose delete has not succeeded. */
  readonly pendingDeletes: Old[] = [];
  /** Every error text the host returned, for the secret scans. */
  readonly errorTexts: string[] = [];
  /** Step chains finished so far (succeeded or failed). */
  finished = 0;
  /** Called after each finished chain (the soak's host killer watches it). */
  onFinish?: (finished: number) => void;
  /**
   * Run each command that may delete a task the engine cannot have seen in this process (a destroy,
   * removed resources, pending deletes, a forced replacement) in a provider process of its own, as
   * the engine does for every command. Drivers that give every run its own host already (the soak)
   * turn it off. What a process keeps of a run (placement.ts) must not leak into the next one.
   */
  ownProcessForDeletes = true;
  /** The stderr of every process a command ran in on its own (for the secret scans). */
  readonly ownProcessStderr: string[] = [];
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

  /** How this stack names its resources (the native plugin's type token differs). */
  urnFor: (name: string, stack: string, project: string) => string = taskUrn;

  urn(name: string): string {
    return this.urnFor(name, this.stack, this.project);
  }

  /** The inputs as LivePullStreamTask registers them: the program plus the resource's identity. */
  registered(name: string, program: Props): Props {
    return { ...program, [IDENTITY_KEY]: resourceIdentity(this.project, this.stack, name) };
  }

  /** `pulumi state taint <urn>`: the next up replaces the resource as `--replace` does. */
  taint(name: string): void {
    const old = this.state.get(name);
    if (!old) throw new Error(`${name} is not in state`);
    old.taint = true;
  }

  /** What `pulumi preview` decides for one resource (no writes). */
  async preview(name: string, program: Props, o: UpOptions = {}): Promise<Plan> {
    const run = this.newRun(1);
    try {
      return (await generate(this, { name, news: this.registered(name, program), o }, run, true)).plan;
    } catch (err) {
      throw err instanceof StepError ? err.error : err;
    }
  }

  /**
   * `pulumi up --target <urn>` for one resource: its steps, then its own pending deletes (none of
   * another resource: they are not targeted). The plan it carried out, or the first failure, thrown.
   */
  async up(name: string, program: Props, o: UpOptions = {}): Promise<Plan> {
    const run = this.newRun(defaultParallel());
    const forced = o.replace || o.providerChanged || o.replaceWith || this.state.get(name)?.taint;
    const deletes = forced || this.pendingDeletes.some((p) => p.name === name);
    await this.inOwnProcess(!!deletes, async () => {
      try {
        await this.execute([{ name, news: this.registered(name, program), o }], run, (old) => old.name === name);
      } finally {
        await (await run.oldProvider)?.close();
      }
    });
    if (run.result.failures.length > 0) throw run.result.failures[0].error;
    return run.plans.get(name)!;
  }

  /**
   * One `pulumi up` towards `desired` (name → registered inputs): every registration in order
   * through the step generator, steps on `parallel` workers (default: the engine's, 4 x CPUs);
   * at the end, if nothing failed, the deletes: removed resources and pending deletes.
   */
  async apply(desired: Map<string, Props>, parallel = defaultParallel(), o: ApplyOptions = {}): Promise<UpResult> {
    const run = this.newRun(parallel);
    run.continueOnError = o.continueOnError;
    const regs: Registration[] = [...desired].map(([name, news]) => ({
      name,
      news,
      o: {
        replace: o.replace?.has(name),
        providerChanged: o.providerChanged?.has(name),
        deleteBeforeReplace: o.deleteBeforeReplace?.(name),
      },
    }));
    const removed = [...this.state.keys()].filter((name) => !desired.has(name));
    const forced = regs.some((r) => r.o.replace || r.o.providerChanged || this.state.get(r.name)?.taint);
    const deletes = forced || removed.length > 0 || this.pendingDeletes.length > 0 || !!o.refresh;
    const all = [...regs, ...removed.map((name) => ({ name, o: {} }))];
    await this.inOwnProcess(deletes, async () => {
      if (o.refresh) await refreshStack(this, parallel);
      try {
        await this.execute(all, run, () => true);
      } finally {
        await (await run.oldProvider)?.close();
      }
    });
    return run.result;
  }

  /** `pulumi refresh` for one resource: the state follows the real task, or drops it (refresh.ts). */
  refresh(name: string): Promise<"kept" | "gone"> {
    return refreshOne(this, name);
  }

  /** `pulumi refresh` of the whole stack: every Read in one batch on `parallel` workers (refresh.ts). */
  refreshAll(parallel = Number.MAX_SAFE_INTEGER): Promise<RefreshResult> {
    return refreshStack(this, parallel);
  }

  /** `pulumi import` of a task, or the `import` resource option with a program (import.ts). */
  import(
    name: string,
    id: string,
    program?: Props,
  ): Promise<StateEntry & { checkFailures: CheckResult["failures"]; op?: Operation }> {
    return importResource(this, name, id, program);
  }

  /**
   * `pulumi destroy` for one resource (and its pending deletes), in a provider process of its own;
   * `refresh`: `destroy --refresh`, the refresh (Read and Diff) first in that same process.
   */
  async destroy(name: string, o: { refresh?: boolean } = {}): Promise<void> {
    await this.inOwnProcess(true, async () => {
      if (o.refresh && this.state.has(name)) await refreshOne(this, name);
      for (const old of this.pendingDeletes.filter((p) => p.name === name)) {
        await this.host.delete(old.id, this.urn(name), this.oldOutputs(old));
        this.pendingDeletes.splice(this.pendingDeletes.indexOf(old), 1);
      }
      const old = this.state.get(name);
      if (!old) return;
      if (!old.pendingReplacement) await this.host.delete(old.id, this.urn(name), this.oldOutputs(old));
      this.state.delete(name);
    });
  }

  /** Runs `fn` with a fresh provider process (respawn()) when `needed` and enabled; restores the shared one. */
  private async inOwnProcess<T>(needed: boolean, fn: () => Promise<T>): Promise<T> {
    if (!needed || !this.ownProcessForDeletes) return fn();
    const shared = this.ref.current;
    this.ref.current = await shared.respawn();
    try {
      return await fn();
    } finally {
      const own = this.ref.current;
      await own.close();
      this.ownProcessStderr.push(own.stderr());
      this.ref.current = shared;
    }
  }

  newRun(parallel: number): Run {
    const exec = new StepExecutor(parallel, () => {
      this.finished++;
      this.onFinish?.(this.finished);
    });
    return { result: emptyResult(), exec, plans: new Map() };
  }

  /** The outputs as state holds them: with the `__provider` stored there (a dynamic resource's). */
  oldOutputs(old: StateEntry): Props {
    const provider = old.provider ?? this.host.providerText;
    return provider ? { ...old.outputs, [PROVIDER_KEY]: provider } : old.outputs;
  }

  /** The inputs as state holds them, likewise. */
  oldInputs(old: StateEntry): Props {
    const provider = old.provider ?? this.host.providerText;
    return provider ? { ...old.inputs, [PROVIDER_KEY]: provider } : old.inputs;
  }

  /** A step failed: recorded, and the run cancelled as the engine does (steps.ts, step-generator.ts). */
  fail(run: Run, name: string, op: Step, error: unknown, partial = false): void {
    const message = messageOf(error);
    this.errorTexts.push(message);
    run.result.failures.push({ name, op, message, partial, error });
    // step_executor.go `cancelDueToError` (not with --continue-on-error, for a step's failure);
    // deployment_executor.go: a bail from the step generator always stops the run.
    if (run.continueOnError && op !== "check" && op !== "diff") return;
    run.exec.cancel();
    run.result.cancelled = true;
  }

  /**
   * deploymentExecutor.Execute: registrations through the step generator one at a time (each
   * waiting for a free worker, `ExecuteSerial`), then, unless cancelled, `performPostSteps`:
   * `GenerateDeletes` deletes the pending-delete olds and the resources no longer registered.
   */
  private async execute(regs: Registration[], run: Run, deletable: (old: Old) => boolean): Promise<void> {
    const registered = new Set<string>();
    for (const reg of regs) {
      if (run.exec.cancelled) break;
      if (!reg.news) continue;
      registered.add(reg.name);
      let chain: Chain | undefined;
      try {
        const generated = await generate(this, reg, run);
        run.plans.set(reg.name, generated.plan);
        chain = generated.chain;
      } catch (err) {
        if (!(err instanceof StepError)) throw err;
        this.fail(run, reg.name, err.op, err.error);
        break;
      }
      if (chain) await run.exec.submit(chain);
    }
    await run.exec.idle();
    if (run.exec.cancelled) return;
    const deletes: Chain[] = [];
    for (const old of this.pendingDeletes.filter(deletable)) deletes.push(() => deletePending(this, old, run));
    for (const reg of regs) {
      const old = this.state.get(reg.name);
      if (reg.news || registered.has(reg.name) || !old) continue;
      // A removed resource still pending replacement was deleted already: RemovePendingReplaceStep.
      if (old.pendingReplacement) this.state.delete(reg.name);
      else deletes.push(() => deleteRemoved(this, reg.name, old, run));
    }
    // ScheduleDeletes: these resources depend on nothing, so one antichain, ExecuteParallel.
    await Promise.all(deletes.map((chain) => run.exec.submit(chain)));
    await run.exec.idle();
  }
}
