// `pulumi refresh` in the engine simulator: Reads of the previous snapshot's resources, the state
// following what they find. Read from pulumi/pulumi pkg/resource/deploy/deployment_executor.go
// `refresh` and step_executor.go `newStepExecutor` (see engine.ts for the version).
import { messageOf } from "./engine-types";
import type { Props } from "./host";
import type { Stack } from "./engine";
import { pool } from "./pool";

/** What `pulumi refresh` of the whole stack did (refreshStack). */
export interface RefreshResult {
  kept: number;
  gone: number;
  failures: { name: string; message: string; error: unknown }[];
}

/**
 * step.go `RefreshStep.Apply`: after the Read the engine calls the provider's Diff to show drift
 * (`diffResource` with the refreshed inputs/outputs as the olds and the state's inputs as the news),
 * unless PULUMI_ENABLE_LEGACY_REFRESH_DIFF; in the same process as the steps of the run around it.
 */
async function refreshDiff(stack: Stack, id: string, urn: string, refreshed: Props, stateInputs: Props): Promise<void> {
  if (process.env.PULUMI_ENABLE_LEGACY_REFRESH_DIFF) return;
  await stack.host.diff(id, urn, refreshed, stateInputs);
}

/** One resource: the state follows the real task, or drops it (an empty id: gone). */
export async function refreshOne(stack: Stack, name: string): Promise<"kept" | "gone"> {
  const old = stack.state.get(name);
  if (!old) throw new Error(`${name} is not in state`);
  const res = await stack.host.read(old.id, stack.urn(name), stack.oldOutputs(old), old.inputs);
  if (res.id === "") {
    stack.state.delete(name);
    return "gone";
  }
  stack.state.set(name, { id: res.id, inputs: res.inputs ?? old.inputs, outputs: res.properties });
  await refreshDiff(stack, res.id, stack.urn(name), res.properties, stack.oldInputs(old));
  return "kept";
}

/**
 * The whole stack, as deployment_executor.go `refresh` does it: one RefreshStep per resource of the
 * previous snapshot, in state order, all submitted as ONE batch (`stepExec.ExecuteParallel(steps)`)
 * to a step executor with `--parallel` workers (step_executor.go `newStepExecutor`:
 * DegreeOfParallelism workers, or one goroutine per step when unbounded). Pending deletes are old
 * resources of the snapshot too, so they are read as well. A failed Read is recorded and the others
 * go on (the refresh's step executor ignores errors: `newStepExecutor(…, true)`).
 */
export async function refreshStack(stack: Stack, parallel: number): Promise<RefreshResult> {
  const out: RefreshResult = { kept: 0, gone: 0, failures: [] };
  const pending = [...stack.pendingDeletes];
  const steps: { name: string; fn: () => Promise<void> }[] = [
    ...[...stack.state.keys()].map((name) => ({
      name,
      fn: async () => {
        (await refreshOne(stack, name)) === "kept" ? out.kept++ : out.gone++;
      },
    })),
    ...pending.map((old) => ({
      name: old.name,
      fn: async () => {
        const res = await stack.host.read(old.id, stack.urn(old.name), stack.oldOutputs(old), stack.oldInputs(old));
        const i = stack.pendingDeletes.indexOf(old);
        if (res.id === "" && i >= 0) stack.pendingDeletes.splice(i, 1);
        else if (i >= 0) stack.pendingDeletes[i] = { ...old, outputs: res.properties };
        if (res.id !== "") await refreshDiff(stack, res.id, stack.urn(old.name), res.properties, stack.oldInputs(old));
      },
    })),
  ];
  await pool(steps, parallel, async ({ fn, name }) => {
    try {
      await fn();
    } catch (err) {
      stack.errorTexts.push(messageOf(err));
      out.failures.push({ name, message: messageOf(err), error: err });
    }
  });
  return out;
}
