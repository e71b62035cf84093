// The engine simulator's steps (pkg/resource/deploy/step.go `CreateStep`, `UpdateStep`,
// `DeleteStep` `.Apply`; see engine.ts for the version): the provider call, then what the engine
// records in state, a partial create or update included.
import type { Stack } from "./engine";
import { HostCallError, type Props } from "./host";
import type { Old, Run, StateEntry } from "./engine-types";

/**
 * CreateStep.Apply: records the new resource (a partial create too, with its init errors); a
 * replacement's old is then marked Delete=true, to be deleted at the end of the run.
 */
export async function createStep(
  stack: Stack,
  name: string,
  inputs: Props,
  run: Run,
  live: () => boolean,
  replacing?: Omit<Old, "name">,
): Promise<boolean> {
  if (!live()) return false;
  run.result.operations.create++;
  const provider = stack.host.providerText || undefined;
  try {
    const r = await stack.host.create(stack.urn(name), inputs);
    stack.state.set(name, { id: r.id, inputs, outputs: r.properties, provider });
  } catch (err) {
    const init = err instanceof HostCallError ? err.initFailure : undefined;
    if (init?.id) {
      stack.state.set(name, { id: init.id, inputs, outputs: init.properties, initErrors: true, provider });
      if (replacing) stack.pendingDeletes.push({ ...replacing, name });
    }
    stack.fail(run, name, "create", err, !!init?.id);
    return false;
  }
  if (replacing) stack.pendingDeletes.push({ ...replacing, name });
  return true;
}

/** UpdateStep.Apply; a partial update keeps the OLD inputs with the new outputs (OnResourceStepPost). */
export async function updateStep(
  stack: Stack,
  name: string,
  old: StateEntry,
  inputs: Props,
  run: Run,
  live: () => boolean,
): Promise<void> {
  if (!live()) return;
  run.result.operations.update++;
  const provider = stack.host.providerText || undefined;
  try {
    const r = await stack.host.update(old.id, stack.urn(name), stack.oldOutputs(old), inputs);
    stack.state.set(name, { id: old.id, inputs, outputs: r.properties, provider });
  } catch (err) {
    const init = err instanceof HostCallError ? err.initFailure : undefined;
    if (init?.id) {
      stack.state.set(name, { id: old.id, inputs: old.inputs, outputs: init.properties, initErrors: true, provider });
    }
    stack.fail(run, name, "update", err, !!init?.id);
  }
}

/** DeleteStep.Apply with the old's stored outputs, by the old's provider; a failure leaves it where it was. */
export async function deleteStep(stack: Stack, name: string, old: Omit<Old, "name">, run: Run): Promise<boolean> {
  run.result.operations.delete++;
  try {
    let host = stack.host;
    if (old.oldProvider) host = await (run.oldProvider ??= stack.host.respawn());
    await host.delete(old.id, stack.urn(name), stack.oldOutputs(old));
    return true;
  } catch (err) {
    stack.fail(run, name, "delete", err);
    return false;
  }
}

export async function deletePending(stack: Stack, old: Old, run: Run): Promise<void> {
  if (await deleteStep(stack, old.name, old, run)) stack.pendingDeletes.splice(stack.pendingDeletes.indexOf(old), 1);
}

export async function deleteRemoved(stack: Stack, name: string, old: StateEntry, run: Run): Promise<void> {
  if (await deleteStep(stack, name, old, run)) stack.state.delete(name);
}
