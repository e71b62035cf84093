// `pulumi import` and the `import` resource option in the engine simulator (see engine.ts for the
// version).
import type { Stack } from "./engine";
import { defaultParallel, type Chain } from "./executor";
import type { CheckResult, Props } from "./host";
import { StepError } from "./engine-types";
import type { Operation, Plan, StateEntry } from "./engine-types";
import { generate } from "./step-generator";

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
export async function importResource(
  stack: Stack,
  name: string,
  id: string,
  program?: Props,
): Promise<StateEntry & { checkFailures: CheckResult["failures"]; op?: Operation }> {
  const res = await stack.host.read(id, stack.urn(name), {});
  if (res.noOutputs) throw new Error(`resource '${id}' does not exist`);
  if (!res.inputs) throw new Error("provider does not support importing resources");
  const provider = stack.host.providerText || undefined;
  const imported: StateEntry = { id: res.id || id, inputs: res.inputs, outputs: res.properties, provider };
  stack.state.set(name, imported);
  if (!program) {
    const check = await stack.host.check(stack.urn(name), imported.inputs, imported.inputs);
    return { ...imported, checkFailures: check.failures };
  }
  const run = stack.newRun(defaultParallel());
  let generated: { plan: Plan; chain?: Chain };
  try {
    generated = await generate(stack, { name, news: stack.registered(name, program), o: {} }, run);
  } catch (err) {
    throw err instanceof StepError ? err.error : err;
  }
  const { plan, chain } = generated;
  if (plan.op === "replace") {
    throw new Error("previously-imported resources that still specify an ID may not be replaced; " +
      "please remove the `import` declaration from your program");
  }
  if (chain) {
    await run.exec.submit(chain);
    await run.exec.idle();
    if (run.result.failures.length > 0) throw run.result.failures[0].error;
  }
  return { ...stack.state.get(name)!, checkFailures: [], op: plan.op };
}
