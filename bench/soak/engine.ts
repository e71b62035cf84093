// A small stand-in for the Pulumi engine's deployment loop, driving the real dynamic provider host
// (harness/host.ts) exactly as `pulumi up` would: check → create for new resources,
// check → diff → update for changed ones, delete for removed ones, all at once (the engine's
// default parallelism is unbounded), and the engine's state rules:
//  - a create that fails with an id (ErrorResourceInitFailed) leaves the resource in state with
//    init errors; the next `up` updates it whether or not its inputs changed;
//  - any other failed operation leaves state as it was; the next `up` tries again;
//  - only a completed operation changes state (a killed host records nothing).
import { HostCallError, type ProviderHost, type Props, taskUrn } from "../../harness/host";
import { pool } from "../pool";

export interface StateEntry {
  id: string;
  inputs: Props;
  outputs: Props;
  initErrors: boolean;
}

export interface OpFailure {
  name: string;
  op: "check" | "diff" | "create" | "update" | "delete";
  message: string;
  partial?: boolean;
}

export interface UpResult {
  operations: Record<"check" | "diff" | "create" | "update" | "delete", number>;
  failures: OpFailure[];
  replacements: string[];
}

export type HostRef = { current: ProviderHost };

function messageOf(err: unknown): string {
  return err instanceof HostCallError ? err.details : err instanceof Error ? err.message : String(err);
}

export class SimEngine {
  readonly state = new Map<string, StateEntry>();
  /** Every error text the host returned, for the secret scans. */
  readonly errorTexts: string[] = [];
  /** Resource operations finished so far (succeeded or failed), across every `up`. */
  finished = 0;
  /** Called after each finished operation (the soak's host killer watches it). */
  onFinish?: (finished: number) => void;

  constructor(
    private readonly host: HostRef,
    private readonly stack = "soak",
  ) {}

  urn(name: string): string {
    return taskUrn(name, this.stack);
  }

  /** One `pulumi up` towards `desired` (name → program inputs). */
  async up(desired: Map<string, Props>, parallel = Number.MAX_SAFE_INTEGER): Promise<UpResult> {
    const result: UpResult = { operations: { check: 0, diff: 0, create: 0, update: 0, delete: 0 }, failures: [], replacements: [] };
    const fail = (name: string, op: OpFailure["op"], err: unknown, partial = false) => {
      const message = messageOf(err);
      this.errorTexts.push(message);
      result.failures.push({ name, op, message, partial });
    };
    const names = [...new Set([...desired.keys(), ...this.state.keys()])];
    await pool(names, parallel, async (name) => {
      try {
        await this.step(name, desired.get(name), result, fail);
      } finally {
        this.finished++;
        this.onFinish?.(this.finished);
      }
    });
    return result;
  }

  private async step(name: string, news: Props | undefined, result: UpResult, fail: (name: string, op: OpFailure["op"], err: unknown, partial?: boolean) => void): Promise<void> {
    const host = this.host.current;
    const urn = this.urn(name);
    const old = this.state.get(name);
    if (!news) {
      if (!old) return;
      result.operations.delete++;
      try {
        await host.delete(old.id, urn, old.outputs);
        this.state.delete(name);
      } catch (err) {
        fail(name, "delete", err);
      }
      return;
    }
    result.operations.check++;
    let checked: Props;
    try {
      const c = await host.check(urn, old ? old.inputs : {}, news);
      if (c.failures.length) {
        fail(name, "check", new Error(c.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")));
        return;
      }
      checked = c.inputs;
    } catch (err) {
      fail(name, "check", err);
      return;
    }
    if (!old) {
      result.operations.create++;
      try {
        const r = await host.create(urn, checked);
        this.state.set(name, { id: r.id, inputs: checked, outputs: r.properties, initErrors: false });
      } catch (err) {
        const init = err instanceof HostCallError ? err.initFailure : undefined;
        if (init?.id) this.state.set(name, { id: init.id, inputs: checked, outputs: init.properties, initErrors: true });
        fail(name, "create", err, !!init?.id);
      }
      return;
    }
    result.operations.diff++;
    let changes = old.initErrors;
    try {
      const d = await host.diff(old.id, urn, old.outputs, checked);
      if (d.replaces.length) {
        // The soak only plans in-place changes; a replacement here is a diff bug worth seeing.
        result.replacements.push(`${name}: ${d.replaces.join(",")}`);
        return;
      }
      changes ||= d.changes !== "none";
    } catch (err) {
      fail(name, "diff", err);
      return;
    }
    if (!changes) {
      this.state.set(name, { ...old, inputs: checked });
      return;
    }
    result.operations.update++;
    try {
      const r = await host.update(old.id, urn, old.outputs, checked);
      this.state.set(name, { id: old.id, inputs: checked, outputs: r.properties, initErrors: false });
    } catch (err) {
      const init = err instanceof HostCallError ? err.initFailure : undefined;
      if (init?.id) this.state.set(name, { id: init.id, inputs: checked, outputs: init.properties, initErrors: true });
      fail(name, "update", err, !!init?.id);
    }
  }
}
