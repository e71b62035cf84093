// The engine's step executor, reduced to what decides which provider calls happen and when
// (pulumi/pulumi pkg/resource/deploy/step_executor.go, read at v3.259/3.260; our @pulumi/pulumi is 3.270):
//  - `--parallel` workers; `ExecuteSerial` hands a chain to a worker over an unbuffered channel, so
//    the step generator WAITS until a worker is free (submit() resolves when the chain has started);
//  - a chain runs its steps one after another and checks the deployment's context before each
//    (`executeChain`): once cancelled, no further step starts;
//  - any step failing cancels the deployment's context (`cancelDueToError`, without
//    --continue-on-error): steps in flight finish, nothing new starts, and deploymentExecutor.Execute
//    leaves its loop on ctx.Done() before `performPostSteps`, so no deletes run in that run.
import * as os from "node:os";

/**
 * The engine's default `--parallel`: 4 x GOMAXPROCS, i.e. 4 x the CPUs (pkg/cmd/pulumi/operations/up.go
 * `defaultParallel`; `PULUMI_PARALLEL` overrides it there, as it does here).
 */
export function defaultParallel(): number {
  const env = Number(process.env.PULUMI_PARALLEL);
  if (Number.isInteger(env) && env > 0) return env;
  return 4 * (os.availableParallelism?.() ?? os.cpus().length);
}

/** One chain: its steps run in order; `live()` says whether the next may start. */
export type Chain = (live: () => boolean) => Promise<unknown>;

export class StepExecutor {
  private cancelledFlag = false;
  private running = 0;
  private readonly waiting: { chain: Chain; started: () => void }[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly parallel: number,
    /** Called after every chain finishes (the soak's host killer counts them). */
    private readonly onChainDone: () => void = () => undefined,
  ) {
    if (!(parallel >= 1)) throw new RangeError(`--parallel must be at least 1, got ${parallel}`);
  }

  get cancelled(): boolean {
    return this.cancelledFlag;
  }

  /** `cancelDueToError`: nothing new starts; what is in flight finishes. */
  cancel(): void {
    this.cancelledFlag = true;
    for (const w of this.waiting.splice(0)) w.started();
    this.settle();
  }

  /** `ExecuteSerial`: resolves once a worker has taken the chain (or the run is cancelled). */
  submit(chain: Chain): Promise<void> {
    if (this.cancelledFlag) return Promise.resolve();
    return new Promise((started) => {
      this.waiting.push({ chain, started });
      this.pump();
    });
  }

  /** Resolves when no chain runs or waits. */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (!this.cancelledFlag && this.running < this.parallel && this.waiting.length > 0) {
      const { chain, started } = this.waiting.shift()!;
      this.running++;
      started();
      void chain(() => !this.cancelledFlag)
        .catch(() => undefined)
        .finally(() => {
        this.running--;
        this.onChainDone();
        this.pump();
        this.settle();
      });
    }
  }

  private settle(): void {
    if (this.running > 0 || this.waiting.length > 0) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
