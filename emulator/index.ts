// Programmatic entry, published as `pulumi-css-pull-tasks/emulator`: start an emulator on 127.0.0.1
// (port 0 = any free port) and drive it.
import type { AddressInfo } from "node:net";
import { type CallCounts, EmulatorContext, type EmulatorOptions } from "./context";
import type { FaultKind, FaultSpec } from "./faults";
import { setClockOffset, setTaskLimit } from "./inspect";
import { createEmulatorServer } from "./server";
import type { StoredTask, TaskStore } from "./store";

export { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, DEFAULT_TASK_LIMIT } from "./context";
export { DEFAULT_ACCOUNT_UIN } from "./sts";
export type { CallCounts, EmulatorOptions } from "./context";
export type { FaultKind, FaultSpec } from "./faults";
export type { StoredTask, TaskStore } from "./store";

export interface FaultState {
  spec: FaultSpec;
  seed: number;
  injected: Record<FaultKind, number>;
  total: number;
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT — the endpoint to give a client. */
  url: string;
  port: number;
  /** Stops listening, cancels delayed ("timeout") answers and drops open connections. */
  close(): Promise<void>;
  /** The live task table (read-only use, please: mutate through the API). */
  store: TaskStore;
  /** Same data as GET /_emulator/tasks: full stored tasks incl. write-only fields. */
  tasks(): StoredTask[];
  /** Same as GET /_emulator/calls. */
  calls(): CallCounts;
  /** Same as GET /_emulator/faults. */
  faults(): FaultState;
  /** Same as POST /_emulator/reset. */
  reset(): void;
  /** Same as POST /_emulator/faults. */
  setFaults(spec: string | Record<string, number> | undefined, seed?: number): FaultState;
  /** Same as POST /_emulator/clock: shifts the emulator's clock by offsetMs. */
  setClockOffset(offsetMs: number): { offsetMs: number; now: string };
  /** Same as POST /_emulator/limit: the account's task quota (LimitTaskNum) from now on. */
  setTaskLimit(taskLimit: number): { taskLimit: number };
  /** STS: the account, the web identity tokens accepted now (replaceable: a rotated token) and counts. */
  sts: {
    accountUin: string;
    setOidcTokens(tokens: string[]): void;
    /** The MFA device's SerialNumber, and the codes it accepts from now on (a new code every 30 s). */
    mfaSerialNumber: string;
    setMfaCodes(codes: string[]): void;
    /** Temporary credentials issued per action ("AssumeRole", …, "metadata"). */
    issued(): Record<string, number>;
    /** Every temporary SecretKey and token issued so far (tests prove none leaks). */
    secrets(): string[];
  };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const ctx = new EmulatorContext(options);
  const { server, pending } = createEmulatorServer(ctx);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    store: ctx.store,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const t of pending.timers) clearTimeout(t);
        pending.timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    tasks: () => ctx.store.all(),
    calls: () => ctx.callCounts(),
    faults: () => ctx.faults.state(),
    reset: () => ctx.reset(),
    setFaults(spec, seed) {
      ctx.faults.configure(spec, seed);
      return ctx.faults.state();
    },
    setClockOffset(offsetMs) {
      return setClockOffset(ctx, offsetMs);
    },
    setTaskLimit(taskLimit) {
      return setTaskLimit(ctx, taskLimit);
    },
    sts: {
      accountUin: ctx.sts.accountUin,
      setOidcTokens(tokens) {
        ctx.sts.oidcTokens = new Set(tokens);
      },
      mfaSerialNumber: ctx.sts.mfaSerialNumber,
      setMfaCodes(codes) {
        ctx.sts.mfaCodes = new Set(codes);
      },
      issued: () => ({ ...ctx.sts.counts }),
      secrets: () => ctx.sts.secrets(),
    },
  };
}
