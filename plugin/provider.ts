// LivePullStreamTask as a native Pulumi provider (`tencentcloud-css:index:LivePullStreamTask`): the
// same core as the dynamic resource. Every method calls the function provider/impl.ts gives the
// dynamic provider host, inside this instance's settings (provider/config.ts withProviderState), so
// both faces answer alike and share one client implementation; what differs is only the wire:
//  - secrets arrive wrapped and leave wrapped (secrets.ts);
//  - the resource identity behind idempotent creates comes from the URN, not a hidden input;
//  - settings come from this provider's Configure, not from the process's stack config.
import type * as pulumi from "@pulumi/pulumi";
import * as impl from "../provider/impl";
import { apiClient, withProviderState, type ProviderState } from "../provider/config";
import { IDENTITY_KEY, resourceIdentity } from "../provider/identity";
import { packageSchemaText, PLUGIN_VERSION, RESOURCE_TOKEN } from "./schema";
import { toSettings } from "./config";
import { invokeFunction } from "./functions";
import { keepSecrets, maskTexts, secretTexts, unwrapSecrets, wrapSecretFields } from "./secrets";

type Bag = Record<string, unknown>;
type ProviderApi = pulumi.provider.Provider;

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → its parts (the name may itself hold "::"). */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
  const prefix = "urn:pulumi:";
  const parts = urn.startsWith(prefix) ? urn.slice(prefix.length).split("::") : [];
  if (parts.length < 4) throw new Error(`not a resource URN: ${JSON.stringify(urn)}`);
  return { stack: parts[0], project: parts[1], type: parts[2], name: parts.slice(3).join("::") };
}

/**
 * The identity behind idempotent creates (provider/identity.ts): the dynamic resource's for a
 * top-level task; a child's names its parents' types, as its URN does (the URN is unique, the name
 * alone is not).
 */
export function identityFromUrn(urn: string): string {
  const { project, stack, type, name } = parseUrn(urn);
  const parents = type.split("$").slice(0, -1).join("$");
  return resourceIdentity(project, stack, name, parents || undefined);
}

function bag(v: unknown): Bag {
  return (unwrapSecrets(v) ?? {}) as Bag;
}

/** The type part of a URN is the resource's token, after any parent types (`parent$type`). */
function requireTask(urn: string): void {
  const type = parseUrn(urn).type.split("$").pop();
  if (type !== RESOURCE_TOKEN) throw new Error(`unknown resource type ${type}: this provider serves ${RESOURCE_TOKEN}`);
}

/**
 * What leaves for the engine: the schema's secret fields wrapped, and every value the user sent as
 * a secret (`ins`, as received) wrapped again on whatever field (secrets.ts keepSecrets).
 */
function secretOuts(outs: Bag | undefined, ins: unknown): Bag | undefined {
  return keepSecrets(wrapSecretFields(outs), ins);
}

/**
 * An error a create/update fails with after the task exists (ErrorResourceInitFailed): the
 * engine records `properties` as the resource's state, so its secrets are wrapped too.
 */
function withSecretPartial(err: unknown, ins: unknown): unknown {
  const e = err as Error & { id?: string; properties?: Bag };
  if (e && typeof e === "object" && e.id && e.properties) e.properties = secretOuts(e.properties, ins);
  return err;
}

/** How one property changes (pulumirpc.PropertyDiff.Kind, by name). */
export type DiffKind = "ADD" | "ADD_REPLACE" | "DELETE" | "DELETE_REPLACE" | "UPDATE" | "UPDATE_REPLACE";

export interface TaskDiffResult extends pulumi.provider.DiffResult {
  /** Every changed input (the response's `diffs`, the engine's ChangedKeys). */
  changed: string[];
  /** Per changed input; compared with the state's outputs, so not an input diff. */
  detailedDiff: Record<string, { kind: DiffKind; inputDiff: boolean }>;
}

const absent = (v: unknown) => v === undefined || v === null || v === "";

/** The detailed diff of the changed fields: added, deleted or updated, and whether that replaces the task. */
export function detailedDiff(
  changed: string[],
  replaces: string[],
  olds: Bag,
  news: Bag,
): TaskDiffResult["detailedDiff"] {
  const out: TaskDiffResult["detailedDiff"] = {};
  for (const key of changed) {
    const base = absent(olds[key]) ? "ADD" : absent(news[key]) ? "DELETE" : "UPDATE";
    out[key] = { kind: (replaces.includes(key) ? `${base}_REPLACE` : base) as DiffKind, inputDiff: false };
  }
  return out;
}

export class TaskProvider implements ProviderApi {
  readonly version = PLUGIN_VERSION;
  private state: ProviderState = { settings: {} };

  /** Configure: this instance's settings; the client is built from them on first use. */
  configure(inputs: Bag): void {
    this.state = { settings: toSettings(inputs) };
  }

  private run<T>(urn: string, fn: () => Promise<T>): Promise<T> {
    requireTask(urn);
    return withProviderState(this.state, fn);
  }

  async getSchema(): Promise<string> {
    return packageSchemaText();
  }

  check(urn: string, olds: unknown, news: unknown): Promise<pulumi.provider.CheckResult> {
    return this.run(urn, async () => {
      // The identity lets the quota count tell a delete-first replacement's Create (quota/watch.ts).
      const r = await impl.check(bag(olds), bag(news), identityFromUrn(urn));
      // A failure may quote the value (an endTime in the past): the CLI prints it, so secrets are masked.
      const hidden = secretTexts(news);
      const failures = r.failures?.map((f) => ({ ...f, reason: maskTexts(f.reason, hidden) }));
      return { inputs: secretOuts(r.inputs as Bag, news), failures };
    });
  }

  /**
   * The core's diff plus what the engine needs beyond it, which only a plugin can send (the dynamic
   * host drops it): the changed keys and a detailed diff, for `pulumi preview --diff` and the
   * `replaceOnChanges` option (step_generator.go `applyReplaceOnChanges` reads only these).
   * `ignoreChanges` (top-level names) keep the state's value, as the engine does with the inputs.
   */
  diff(id: string, urn: string, olds: unknown, news: unknown, ignoreChanges: string[] = []): Promise<TaskDiffResult> {
    return this.run(urn, async () => {
      const old = bag(olds);
      const wanted = bag(news);
      for (const key of ignoreChanges) if (key in old || key in wanted) wanted[key] = old[key];
      // Diff notes the task a Create of this resource would replace: it needs the identity too.
      const d = await impl.diff(id, old, { ...wanted, [IDENTITY_KEY]: identityFromUrn(urn) });
      return { ...d, detailedDiff: detailedDiff(d.changed, d.replaces ?? [], old, wanted) };
    });
  }

  create(urn: string, inputs: unknown): Promise<pulumi.provider.CreateResult> {
    return this.run(urn, async () => {
      try {
        const r = await impl.create({ ...bag(inputs), [IDENTITY_KEY]: identityFromUrn(urn) });
        return { id: r.id, outs: secretOuts(r.outs as Bag, inputs) };
      } catch (err) {
        throw withSecretPartial(err, inputs);
      }
    });
  }

  /**
   * Refresh (props = the state's outputs, inputs = the state's inputs) and `pulumi import` (props
   * empty: region = the provider's). What the state held as secret stays secret.
   */
  read(id: string, urn: string, props?: unknown, inputs?: unknown): Promise<pulumi.provider.ReadResult> {
    return this.run(urn, async () => {
      const r = await impl.read(id, bag(props));
      // Gone: an empty id tells the engine so (refresh drops it, import reports it missing).
      if (!r.id) return { id: "", props: {} };
      return {
        id: r.id,
        props: secretOuts(r.props as Bag, props),
        // An older engine sends no inputs: the state's outputs hold the same secrets.
        inputs: secretOuts(r.inputs as Bag, inputs ?? props),
      };
    });
  }

  update(id: string, urn: string, olds: unknown, news: unknown): Promise<pulumi.provider.UpdateResult> {
    return this.run(urn, async () => {
      try {
        // The identity lets the replacement guard note the task this resource is held live under.
        const r = await impl.update(id, bag(olds), { ...bag(news), [IDENTITY_KEY]: identityFromUrn(urn) });
        return { outs: secretOuts(r.outs as Bag, news) };
      } catch (err) {
        throw withSecretPartial(err, news);
      }
    });
  }

  /** Provider functions (functions.ts): getLivePullStreamTaskStatus with this provider's settings. */
  invoke(token: string, inputs: unknown): Promise<pulumi.provider.InvokeResult> {
    return withProviderState(this.state, async () => ({
      outputs: await invokeFunction(token, bag(inputs), apiClient),
    }));
  }

  delete(id: string, urn: string, props: unknown): Promise<void> {
    return this.run(urn, () => impl.delete(id, bag(props)));
  }
}
