// Process-wide settings of the provider host: the stack's `tencentcloud:*` config handed over by
// configure(), and the ONE API client (and read coalescer) built from it. They live in this
// module's state inside the host process, never in the serialised provider, so credentials reach
// neither the state file nor the program's closure. One client per process means one set of
// per-action limiters for every resource of the stack.
// The native plugin (plugin/) runs several provider instances, each with its own settings: a call
// made inside withProviderState(state, …) sees that state instead of the process's (AsyncLocalStorage
// follows the call through every await), so impl.ts serves both faces unchanged.
import { AsyncLocalStorage } from "node:async_hooks";
import type * as pulumi from "@pulumi/pulumi";
import { CssClient } from "./api/client";
import { CONFIG_KEYS, DEFAULT_REGION, ENV_KEYS, resolveCredentials } from "./api/credentials";
import { createReadCoalescer, type ReadCoalescer } from "./reads/coalesce";
import { MAX_TASK_SPAN_CONFIG_KEY, maxTaskSpanDaysFrom, spanMs } from "./task/span";

export const CONFIG_PREFIX = "tencentcloud:";

export type Settings = Record<string, string | undefined>;

/** One provider's settings and what is built from them on first use. */
export interface ProviderState {
  readonly settings: Settings;
  client?: CssClient;
  reader?: ReadCoalescer;
  region?: string;
}

/** The dynamic provider host's: one per process, replaced by configure(). */
let processState: ProviderState = { settings: {} };
const instanceState = new AsyncLocalStorage<ProviderState>();

/** Runs `fn` (and everything it awaits) with `state` as the provider's settings. */
export function withProviderState<T>(state: ProviderState, fn: () => T): T {
  return instanceState.run(state, fn);
}

function current(): ProviderState {
  return instanceState.getStore() ?? processState;
}

/** The settings (and what is built from them) of the provider this call serves. */
export function providerState(): ProviderState {
  return current();
}

function asText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * The `tencentcloud:*` entries of the stack config. The dynamic provider host's Config exposes
 * only get(key); it also keeps the whole map as `rawConfig`, which lets keys added to the
 * client later work without a change here. get() of the documented keys is the fallback.
 */
export function tencentConfig(req: pulumi.dynamic.ConfigureRequest | undefined): Settings {
  const out: Settings = {};
  const raw = (req?.config as { rawConfig?: Record<string, unknown> } | undefined)?.rawConfig;
  if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw)) if (k.startsWith(CONFIG_PREFIX)) out[k] = asText(v);
  }
  for (const key of [...Object.values(CONFIG_KEYS), MAX_TASK_SPAN_CONFIG_KEY]) {
    if (out[key] === undefined && req?.config) out[key] = asText(req.config.get(key));
  }
  return out;
}

function sameSettings(a: Settings, b: Settings): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

/** Called by every deserialised copy of the provider (one per distinct provider text in state). */
export function configure(next: Settings): void {
  if (sameSettings(processState.settings, next)) return;
  processState = { settings: next };
}

/** Stack config bounding each API request (ms); the client's default (15 s) otherwise. */
export const REQUEST_TIMEOUT_KEY = `${CONFIG_PREFIX}requestTimeoutMs`;

function requestTimeoutMs(settings: Settings): number | undefined {
  const text = settings[REQUEST_TIMEOUT_KEY];
  if (text === undefined || text === "") return undefined;
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(`${REQUEST_TIMEOUT_KEY} must be a positive number of milliseconds, got ${JSON.stringify(text)}`);
  }
  return ms;
}

/**
 * A client resolved exactly as the provider's is (stack config, then env, then ~/.tccli), for code
 * outside the provider host: getLivePullStreamTaskStatus in a program, which reads the same
 * `tencentcloud:*` config, and the CLI (no stack config: env and ~/.tccli).
 */
export function clientFor(config: Settings, env?: NodeJS.ProcessEnv, region?: string): CssClient {
  return new CssClient({ config, env, region, timeoutMs: requestTimeoutMs(config) });
}

/** The `tencentcloud:*` entries of a flat config map (a program's pulumi.runtime.allConfig()). */
export function tencentEntries(all: Record<string, string>): Settings {
  const out: Settings = {};
  for (const [k, v] of Object.entries(all)) if (k.startsWith(CONFIG_PREFIX)) out[k] = v;
  return out;
}

/** The process's client, built on first use: check and diff (preview) never need credentials. */
export function apiClient(): CssClient {
  const state = current();
  state.client ??= new CssClient({ config: state.settings, timeoutMs: requestTimeoutMs(state.settings) });
  return state.client;
}

/** The process's client if one has been built; never builds one (no credential lookup). */
export function builtClient(): CssClient | undefined {
  return current().client;
}

export function taskReader(): ReadCoalescer {
  const state = current();
  state.reader ??= createReadCoalescer(apiClient());
  return state.reader;
}

/**
 * The region a task without `region` lives in, filled in by check so that state always names it
 * (a later change of the default then shows as the replacement it is). Resolved like the client
 * does; without credentials (a preview on a machine without keys) from config, env or the default.
 */
export function defaultRegion(): string {
  const state = current();
  if (state.region !== undefined) return state.region;
  const { settings } = state;
  try {
    state.region = resolveCredentials({ config: settings }).region;
  } catch {
    state.region = settings[CONFIG_KEYS.region] ?? process.env[ENV_KEYS.region] ?? DEFAULT_REGION;
  }
  return state.region;
}

/**
 * The span limit check and the rolling schedule work with: stack config
 * `tencentcloud:maxTaskSpanDays`, else env TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS, else 30 days
 * (task/span.ts says why). A bad value is an error naming where it came from.
 */
export function maxTaskSpanMs(env: NodeJS.ProcessEnv = process.env): number {
  return spanMs(maxTaskSpanDaysFrom(current().settings[MAX_TASK_SPAN_CONFIG_KEY], env));
}

// The CLI's and the program's span limit (no config state): in task/span.ts, which `validate`
// loads without the API client this file brings.
export { maxTaskSpanDaysFrom, maxTaskSpanMsForCli } from "./task/span";
