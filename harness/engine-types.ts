// The engine simulator's vocabulary (harness/engine.ts): state entries, plans, options, results,
// and the small helpers its step generator and executor share.
import type { StepExecutor } from "./executor";
import { HostCallError, type CheckResult, type DiffResult, type ProviderHost, type Props } from "./host";

export interface StateEntry {
  id: string;
  inputs: Props;
  outputs: Props;
  /** The last create/update failed part-way (ErrorResourceInitFailed): the next run updates it. */
  initErrors?: boolean;
  /** The `__provider` text stored with the outputs (the host's text when absent). */
  provider?: string;
  /** Deleted by a delete-before-replace whose Create has not succeeded yet (DeleteStep.Apply). */
  pendingReplacement?: boolean;
  /** `pulumi state taint`: the next up replaces it as a targeted replace. */
  taint?: boolean;
}

export type Operation = "create" | "update" | "replace" | "same";
export type Step = "check" | "diff" | "create" | "update" | "delete";

export interface Plan {
  op: Operation;
  check: CheckResult;
  /** The provider's Diff, or the engine's own "replace" result when it does not call Diff. */
  diff?: DiffResult;
  /** Whether the provider's Diff was called. */
  diffCalled?: boolean;
  /** The replacement's order (replace only). */
  deleteBeforeReplace?: boolean;
}

/**
 * `replace` is `pulumi up --replace <urn>` / `--target-replace` (isTargetedReplace); `providerChanged`
 * the resource's explicit provider changed: NOT a replacement by itself (the dynamic host's
 * DiffConfig is unimplemented and the plugin's sets no replace keys: step_generator.go
 * `providerChanged`), an ordinary Diff through the new provider, but the old object's Delete (of a
 * replacement in the same run) goes to the OLD provider's process (step.go DeleteStep: `old.Provider`);
 * `replaceWith` a resource in its ReplaceWith list (or its DeletedWith) is replaced in this run.
 * `replaceOnChanges` lists input keys whose change forces a replacement; `deleteBeforeReplace`
 * is the resource option, overriding the provider's choice of order either way.
 */
export interface UpOptions {
  replace?: boolean;
  providerChanged?: boolean;
  replaceWith?: boolean;
  replaceOnChanges?: string[];
  deleteBeforeReplace?: boolean;
}

/** UpOptions per resource, for apply(). */
export interface ApplyOptions {
  replace?: ReadonlySet<string>;
  providerChanged?: ReadonlySet<string>;
  deleteBeforeReplace?: (name: string) => boolean | undefined;
  /**
   * `pulumi up --refresh` (`refresh: always`): the whole stack refreshed first, in the SAME provider
   * process as the steps and deletes that follow (deployment_executor.go Execute: opts.Refresh).
   */
  refresh?: boolean;
  /**
   * `--continue-on-error`: a failed step cancels nothing; the end-of-run deletes still run
   * (step_executor.go `cancelDueToError`; deployment_executor.go `performPostSteps`).
   */
  continueOnError?: boolean;
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
  /** The run was cancelled by a failure: steps not begun and the end-of-run deletes did not run. */
  cancelled: boolean;
}

export class CheckFailedError extends Error {
  constructor(readonly failures: { property: string; reason: string }[]) {
    super(`check failed: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
}

/** Lets a driver swap the host between runs (a fresh host per `pulumi up`, or after a kill). */
export type HostRef = { current: ProviderHost };

/** Input keys whose values differ (the engine's own comparison of old and new inputs). */
export function changedInputs(olds: Props, news: Props): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
}

export function messageOf(err: unknown): string {
  return err instanceof HostCallError ? err.details : err instanceof Error ? err.message : String(err);
}

export const emptyResult = (): UpResult => ({
  operations: { check: 0, diff: 0, create: 0, update: 0, delete: 0 },
  failures: [],
  replacements: [],
  replaced: [],
  cancelled: false,
});

/** A failure while generating steps (Check, Diff, or a check failure): the engine bails. */
export class StepError {
  constructor(
    readonly op: Step,
    readonly error: unknown,
  ) {}
}

export async function stepOf<T>(op: Step, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new StepError(op, err);
  }
}

/** One registration: its name and program inputs (undefined: no longer in the program). */
export interface Registration {
  name: string;
  news?: Props;
  o: UpOptions;
}

export type Old = StateEntry & {
  name: string;
  /** Its explicit provider was replaced by another in the run that left it: deleted by the old one. */
  oldProvider?: boolean;
};

export interface Run {
  result: UpResult;
  exec: StepExecutor;
  plans: Map<string, Plan>;
  continueOnError?: boolean;
  /** The old provider's process, for the Delete of an old object whose provider changed. */
  oldProvider?: Promise<ProviderHost>;
}
