// The engine's side of a `pulumi up` / `refresh` / `destroy` for LivePullStreamTask resources,
// reduced to the provider calls it makes, in its order (pkg/resource/deploy/step_generator.go):
// Check(old inputs, program) → Diff(id, old outputs, checked) → Create / Update / Replace, where a
// replacement re-checks the program without olds and then deletes before or after creating as
// Diff's deleteBeforeReplace says. A create failing with ErrorResourceInitFailed is kept in state
// with the partial outputs, as the engine does. Used by the protocol tests and by bench/.
import { IDENTITY_KEY, resourceIdentity } from "../../provider/identity";
import { HostCallError, ProviderHost, taskUrn, type CheckResult, type DiffResult, type Props } from "./host";

export interface ResourceState {
  id: string;
  inputs: Props;
  outputs: Props;
}

export type Operation = "create" | "update" | "replace" | "same";

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

/** Input keys whose values differ (the engine's own comparison of old and new inputs). */
function changedInputs(olds: Props, news: Props): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
}

export class CheckFailedError extends Error {
  constructor(readonly failures: { property: string; reason: string }[]) {
    super(`check failed: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
}

export class Stack {
  readonly state = new Map<string, ResourceState>();

  constructor(
    readonly host: ProviderHost,
    readonly stack = "test",
    readonly project = "css",
  ) {}

  urn(name: string): string {
    return taskUrn(name, this.stack, this.project);
  }

  /** The inputs as LivePullStreamTask registers them: the program plus the resource's identity. */
  registered(name: string, program: Props): Props {
    return { ...program, [IDENTITY_KEY]: resourceIdentity(this.project, this.stack, name) };
  }

  /** What `pulumi preview` decides for one resource (no writes). */
  async preview(name: string, program: Props, o: UpOptions = {}): Promise<Plan> {
    const old = this.state.get(name);
    // A targeted replace ignores the old inputs (step_generator: isTargetedReplace).
    const check = await this.host.check(this.urn(name), o.replace ? {} : (old?.inputs ?? {}), this.registered(name, program));
    if (!old) return { op: "create", check };
    const diff = await this.host.diff(old.id, this.urn(name), old.outputs, check.inputs);
    const forced = o.replace || (diff.changes !== "none" && changedInputs(old.inputs, check.inputs).some((k) => o.replaceOnChanges?.includes(k)));
    const op: Operation = diff.replaces.length > 0 || forced ? "replace" : diff.changes === "none" ? "same" : "update";
    return { op, check, diff };
  }

  /** `pulumi up` for one resource. Returns the plan it carried out. */
  async up(name: string, program: Props, o: UpOptions = {}): Promise<Plan> {
    const plan = await this.preview(name, program, o);
    if (plan.check.failures.length > 0) throw new CheckFailedError(plan.check.failures);
    const old = this.state.get(name);
    const urn = this.urn(name);
    switch (plan.op) {
      case "same":
        return plan;
      case "create":
        await this.create(name, plan.check.inputs);
        return plan;
      case "update": {
        const res = await this.host.update(old!.id, urn, old!.outputs, plan.check.inputs);
        this.state.set(name, { id: old!.id, inputs: plan.check.inputs, outputs: res.properties });
        return plan;
      }
      case "replace": {
        // The engine checks the replacement's inputs afresh, as for a new resource (a targeted
        // replace already did).
        const fresh = o.replace ? plan.check : await this.host.check(urn, {}, this.registered(name, program));
        if (fresh.failures.length > 0) throw new CheckFailedError(fresh.failures);
        if (o.deleteBeforeReplace ?? plan.diff!.deleteBeforeReplace) {
          await this.host.delete(old!.id, urn, old!.outputs);
          this.state.delete(name);
          await this.create(name, fresh.inputs);
        } else {
          await this.create(name, fresh.inputs);
          await this.host.delete(old!.id, urn, old!.outputs);
        }
        return plan;
      }
    }
  }

  private async create(name: string, inputs: Props): Promise<void> {
    try {
      const res = await this.host.create(this.urn(name), inputs);
      this.state.set(name, { id: res.id, inputs, outputs: res.properties });
    } catch (err) {
      // The resource exists but did not finish: the engine keeps it, so the next up updates it.
      if (err instanceof HostCallError && err.initFailure) {
        this.state.set(name, { id: err.initFailure.id, inputs, outputs: err.initFailure.properties });
      }
      throw err;
    }
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
   * Adopting an existing task: Read with the id and no previous state. With the `import` resource
   * option the engine sends the program's inputs (the host then reads them as the properties);
   * without a program only `__provider` is known.
   */
  async import(name: string, id: string, program: Props = {}): Promise<ResourceState> {
    const res = await this.host.read(id, this.urn(name), {}, Object.keys(program).length ? this.registered(name, program) : {});
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
}
