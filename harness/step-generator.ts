// The engine simulator's step generator for one registration (see engine.ts for the sources and
// the version): Check, then the provider's Diff or the engine's own replace verdict, then the chain
// of steps (steps.ts) the executor runs. pkg/resource/deploy/step_generator.go
// `generateStepsFromDiff` / `continueStepsFromDiff`.
import type { Stack } from "./engine";
import type { Chain } from "./executor";
import type { DiffResult } from "./host";
import { replaceOnChangesApplies } from "./replace-on-changes";
import { changedInputs, CheckFailedError, StepError, stepOf } from "./engine-types";
import type { Plan, Registration, Run } from "./engine-types";
import { createStep, deleteStep, updateStep } from "./steps";

/** The step generator for one registration: Check, Diff (or the engine's own verdict), the chain. */
export async function generate(
  stack: Stack,
  reg: Registration,
  run: Run,
  dry = false,
): Promise<{ plan: Plan; chain?: Chain }> {
  const { name, news, o } = reg;
  const { result } = run;
  const old = stack.state.get(name);
  const urn = stack.urn(name);
  const targeted = !!o.replace || !!old?.taint; // isTargetedReplace
  result.operations.check++;
  const olds = old && !targeted ? stack.oldInputs(old) : {};
  const check = await stepOf("check", () => stack.host.check(urn, olds, news!));
  // A preview reports check failures (and fails at the end); the harness returns them.
  if (dry && check.failures.length > 0) return { plan: { op: old ? "same" : "create", check } };
  if (check.failures.length > 0) throw new StepError("check", new CheckFailedError(check.failures));
  if (!old) return { plan: { op: "create", check }, chain: (live) => createStep(stack, name, check.inputs, run, live) };
  // sg.diff: the engine's own "replace" verdicts come before the provider is asked.
  const blame = targeted ? "id" : o.replaceWith ? "replaceWith" : undefined;
  let diff: DiffResult;
  if (blame) {
    diff = { changes: "some", replaces: [blame], deleteBeforeReplace: false };
  } else {
    result.operations.diff++;
    diff = await stepOf("diff", () => stack.host.diff(old.id, urn, stack.oldOutputs(old), check.inputs));
    // diffResource: an unknown answer is decided by the engine's own comparison of the inputs.
    if (diff.changes === "unknown") {
      diff = { ...diff, changes: changedInputs(old.inputs, check.inputs).length > 0 ? "some" : "none" };
    }
  }
  // applyReplaceOnChanges: from the provider's changed keys / detailed diff only (replace-on-changes.ts).
  const onChanges = replaceOnChangesApplies(diff, o.replaceOnChanges, old.initErrors);
  const changed = diff.changes === "some" || !!old.pendingReplacement || onChanges;
  const replace = changed && (diff.replaces.length > 0 || onChanges || !!old.pendingReplacement);
  const plan: Plan = { op: "same", check, diff, diffCalled: !blame };
  if (!replace) {
    if (!changed && !old.initErrors) {
      // SameStep.Apply: the new inputs, the old id and outputs.
      stack.state.set(name, { ...old, inputs: check.inputs });
      return { plan };
    }
    plan.op = "update";
    return { plan, chain: (live) => updateStep(stack, name, old, check.inputs, run, live) };
  }
  plan.op = "replace";
  if (!blame && diff.replaces.length > 0) result.replacements.push(`${name}: ${diff.replaces.join(",")}`);
  let fresh = check;
  if (!targeted) {
    result.operations.check++;
    fresh = await stepOf("check", () => stack.host.check(urn, {}, news!));
    if (fresh.failures.length > 0) throw new StepError("check", new CheckFailedError(fresh.failures));
  }
  const dbr = o.deleteBeforeReplace ?? diff.deleteBeforeReplace;
  plan.deleteBeforeReplace = dbr;
  if (dbr) {
    return {
      plan,
      chain: async (live) => {
        if (!old.pendingReplacement) {
          if (!(await deleteStep(stack, name, { ...old, oldProvider: o.providerChanged }, run))) return;
          // DeleteStep.Apply: the old stays in state, marked, until its replacement is created.
          stack.state.set(name, { ...old, pendingReplacement: true });
        }
        if (live() && (await createStep(stack, name, fresh.inputs, run, live))) result.replaced.push(name);
      },
    };
  }
  return {
    plan,
    chain: async (live) => {
      if (!(await createStep(stack, name, fresh.inputs, run, live, { ...old, oldProvider: o.providerChanged }))) return;
      result.replaced.push(name);
    },
  };
}
