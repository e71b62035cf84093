// Drives Pulumi's real dynamic provider host (@pulumi/pulumi/cmd/dynamic-provider) over gRPC, the
// way the engine does: every request carries the serialised provider in `__provider`, the host
// deserialises it with require-from-string and calls its methods. Nothing here calls the provider
// module directly, so what the tests see is what `pulumi up` would see.
//
// Shared by tests and bench (harness/ is compiled, never published): no vitest here.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { PROVIDER_KEY } from "../provider/machinery";

export { PROVIDER_KEY };
export type Props = Record<string, unknown>;

/** The repository root: the nearest directory above this file that holds package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/**
 * Serialises a provider object exactly as pulumi.dynamic.Resource does (dynamic/index.js:
 * `serializeFunction(() => provider, { allowSecrets: true })`), returning the module text the
 * engine stores in each resource's `__provider` input.
 */
export async function serialiseProvider(provider: object): Promise<string> {
  // Loaded on demand, as pulumi does, because its dependencies are slow to load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sc = require("@pulumi/pulumi/runtime/closure/serializeClosure") as {
    serializeFunction(
      f: () => unknown,
      args: { allowSecrets: boolean },
    ): Promise<{ text: string; containsSecrets: boolean }>;
  };
  const sf = await sc.serializeFunction(() => provider, { allowSecrets: true });
  if (sf.containsSecrets) throw new Error("the serialised provider captured a Pulumi secret");
  return sf.text;
}

/** The compiled provider of this repository (dist/provider/provider.js): run `npm run build` first. */
export function compiledProvider(root = repoRoot()): object {
  const file = path.join(root, "dist", "provider", "provider.js");
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the protocol tests`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(file) as { livePullStreamTaskProvider: object }).livePullStreamTaskProvider;
}

/** The ErrorResourceInitFailed detail of a failed create/update: the resource exists, partially. */
export interface InitFailure {
  id: string;
  properties: Props;
  reasons: string[];
  /** Whether the partial state holds `__provider`: without it the engine cannot update or delete it later. */
  carriesProvider: boolean;
}

/** A gRPC failure from the host, with the partial-state detail decoded when the host sent one. */
export class HostCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
    readonly initFailure?: InitFailure,
  ) {
    super(`${method}: ${details}`);
    this.name = "HostCallError";
  }
}

export interface CheckResult { inputs: Props; failures: { property: string; reason: string }[] }
/** One entry of a provider's detailed diff (pulumirpc.PropertyDiff), keyed by property path. */
export interface PropertyDiff {
  kind: "add" | "addReplace" | "delete" | "deleteReplace" | "update" | "updateReplace";
  inputDiff: boolean;
}
/**
 * What the engine takes from a DiffResponse (sdk/go/common/resource/plugin/provider_plugin.go
 * `Diff`, `decodeDetailedDiff`): `changedKeys` is the response's `diffs`, present here only when the
 * provider sent some; `detailedDiff` only when it set `hasDetailedDiff` (the dynamic host never does).
 */
export interface DiffResult {
  changes: "some" | "none" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
  changedKeys?: string[];
  detailedDiff?: Record<string, PropertyDiff>;
}
/** `noOutputs`: the response carried no property map (nil outputs: the engine's import says "does not exist"). */
export interface ReadResult { id: string; properties: Props; inputs?: Props; noOutputs?: true }

export interface HostOptions {
  /** The provider text put in `__provider`; defaults to the serialised compiled provider of this repo. */
  providerText?: string;
  /** Working directory of the host process (the engine uses the project directory). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Preload client-stats.ts so that clientStats() can tell the API client's counters after close(). */
  clientStats?: boolean;
  /**
   * Start the native plugin instead of the dynamic provider host (no `__provider`): its bin
   * (dist/plugin/main.js), or "source": plugin/ run as the nodejs language host runs a
   * PulumiPlugin.yaml plugin (@pulumi/pulumi/cmd/run-plugin <dir> <engine>).
   */
  plugin?: boolean | "source";
}

/** The line prefix client-stats.ts (preloaded into the host) prints the client's counters with. */
const CLIENT_STATS_MARKER = "CLIENT-STATS ";

/** The API client's own counters in a host process (provider/api/client.ts `stats()`). */
export interface HostClientStats {
  calls: Record<string, number>;
  retries: number;
  throttled: number;
  /** Retries the retry budget refused (the failure surfaced at once). */
  retriesRefused: number;
}

function toStruct(obj: Props): Struct {
  // Struct cannot hold `undefined`; JSON drops it the way the engine's marshalling does.
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(obj)));
}

function fromStruct(s: Struct | undefined): Props {
  return (s?.toJavaScript() ?? {}) as Props;
}

/** Results come back without `__provider` (the host always echoes it); `carriesProvider` says if it was there. */
function plain(props: Props): { props: Props; carriesProvider: boolean } {
  const { [PROVIDER_KEY]: provider, ...rest } = props;
  return { props: rest, carriesProvider: typeof provider === "string" && provider.length > 0 };
}

function decodeInitFailure(err: grpc.ServiceError): InitFailure | undefined {
  const raw = err.metadata?.get("grpc-status-details-bin")[0];
  if (!raw) return undefined;
  const status = statusproto.Status.deserializeBinary(typeof raw === "string" ? Buffer.from(raw, "base64") : raw);
  for (const any of status.getDetailsList()) {
    if (!any.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
    const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
    const { props, carriesProvider } = plain(fromStruct(detail.getProperties()));
    return { id: detail.getId(), properties: props, reasons: detail.getReasonsList(), carriesProvider };
  }
  return undefined;
}

export class ProviderHost {
  private stderrText = "";
  private exited = false;
  /** How this host was started and last configured: respawn() starts its twin. */
  private options: HostOptions = {};
  /** The last ConfigureRequest sent (the dynamic host's or the plugin's): respawn() sends it again. */
  private configureRequest?: unknown;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    /** The serialised provider sent with every request, as the engine stores it in state. */
    readonly providerText: string,
    stderrSoFar: string,
  ) {
    this.stderrText = stderrSoFar;
    child.stderr?.on("data", (chunk: string) => { this.stderrText += chunk; });
    child.on("exit", () => { this.exited = true; });
  }

  static async start(options: HostOptions = {}): Promise<ProviderHost> {
    const root = repoRoot();
    const providerText = options.plugin
      ? ""
      : options.providerText ?? (await serialiseProvider(compiledProvider(root)));
    const cwd = options.cwd ?? root;
    const hostMain =
      options.plugin === "source"
        ? [require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [root] }), path.join(root, "plugin")]
        : [
            options.plugin
              ? path.join(root, "dist", "plugin", "main.js")
              : require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [cwd, root] }),
          ];
    // The engine address is only dialled for engine logging, which these calls never do.
    let env = options.env ?? process.env;
    if (options.clientStats) {
      const preload = path.join(root, "dist", "harness", "client-stats.js");
      if (!fs.existsSync(preload)) throw new Error(`${preload} is missing: client stats need the compiled harness`);
      env = { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --require ${preload}`.trim() };
    }
    const child = spawn(process.execPath, [...hostMain, "127.0.0.1:1"], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let early = "";
    child.stderr?.setEncoding("utf8");
    const collectEarly = (c: string) => { early += c; };
    child.stderr?.on("data", collectEarly);
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout!.setEncoding("utf8");
      child.stdout!.on("data", (chunk: string) => {
        out += chunk;
        const line = out.split("\n")[0];
        if (out.includes("\n") && /^\d+$/.test(line.trim())) resolve(Number(line.trim()));
      });
      child.on("error", reject);
      child.on("exit", (code) => reject(new Error(`provider host exited (${code}) before listening: ${early}`)));
    });
    child.stderr?.off("data", collectEarly);
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new ProviderHost(child, client, providerText, early);
    host.options = { ...options, providerText: options.plugin ? undefined : providerText };
    return host;
  }

  /**
   * A new host process started and configured as this one was: what the engine has for each
   * command (one provider process per deployment), so nothing this one keeps in memory carries over.
   */
  async respawn(): Promise<ProviderHost> {
    const next = await ProviderHost.start(this.options);
    if (this.configureRequest) await next.unary("configure", this.configureRequest);
    return next;
  }

  /** Everything the host wrote to stderr so far (the engine would show it as diagnostics). */
  stderr(): string {
    return this.stderrText;
  }

  /**
   * The API client's counters, printed by the preloaded client-stats.ts when close() stopped the host
   * (start with `clientStats: true`); undefined when it printed none, or an error instead.
   */
  clientStats(): HostClientStats | undefined {
    const line = this.stderrText.split("\n").reverse().find((l) => l.startsWith(CLIENT_STATS_MARKER));
    if (!line) return undefined;
    const parsed = JSON.parse(line.slice(CLIENT_STATS_MARKER.length)) as Partial<HostClientStats>;
    if (!parsed.calls || typeof parsed.retries !== "number") return undefined;
    return {
      calls: parsed.calls,
      retries: parsed.retries,
      throttled: parsed.throttled ?? 0,
      retriesRefused: parsed.retriesRefused ?? 0,
    };
  }

  private withProvider(props: Props): Props {
    return !this.providerText || PROVIDER_KEY in props ? props : { ...props, [PROVIDER_KEY]: this.providerText };
  }

  /** Any ResourceProvider method by its client name (getSchema, checkConfig, …). */
  unary<Req, Res>(method: string, request: Req): Promise<Res> {
    if (method === "configure") this.configureRequest = request;
    return new Promise((resolve, reject) => {
      const fn = (this.client as unknown as Record<string, Function>)[method].bind(this.client);
      fn(request, (err: grpc.ServiceError | null, res: Res) => {
        if (err) reject(new HostCallError(method, err.code, err.details, decodeInitFailure(err)));
        else resolve(res);
      });
    });
  }

  /** Sends the stack config as the engine does for dynamic providers: every key, namespace kept. */
  async configure(vars: Record<string, unknown>): Promise<void> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(toStruct(vars));
    await this.unary("configure", req);
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(toStruct(Object.keys(olds).length ? this.withProvider(olds) : olds));
    req.setNews(toStruct(this.withProvider(news)));
    const res = await this.unary<provproto.CheckRequest, provproto.CheckResponse>("check", req);
    return {
      inputs: plain(fromStruct(res.getInputs())).props,
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** `ignoreChanges`: the resource option's paths, which the engine passes on to the provider's Diff. */
  async diff(id: string, urn: string, olds: Props, news: Props, ignoreChanges: string[] = []): Promise<DiffResult> {
    const req = new provproto.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(this.withProvider(olds)));
    req.setNews(toStruct(this.withProvider(news)));
    if (ignoreChanges.length > 0) req.setIgnorechangesList(ignoreChanges);
    const res = await this.unary<provproto.DiffRequest, provproto.DiffResponse>("diff", req);
    const kinds = provproto.DiffResponse.DiffChanges;
    const got = res.getChanges();
    const changes = got === kinds.DIFF_SOME ? "some" : got === kinds.DIFF_NONE ? "none" : "unknown";
    const out: DiffResult = { changes, replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
    if (res.getDiffsList().length > 0) out.changedKeys = res.getDiffsList();
    if (res.getHasdetaileddiff()) {
      const names = Object.entries(provproto.PropertyDiff.Kind);
      const detailed: Record<string, PropertyDiff> = {};
      res.getDetaileddiffMap().forEach((d: provproto.PropertyDiff, key: string) => {
        const name = names.find(([, v]) => v === d.getKind())?.[0] ?? "UPDATE";
        const kind = name.toLowerCase().replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()) as PropertyDiff["kind"];
        detailed[key] = { kind, inputDiff: d.getInputdiff() };
      });
      out.detailedDiff = detailed;
    }
    return out;
  }

  async create(urn: string, props: Props): Promise<{ id: string; properties: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(toStruct(this.withProvider(props)));
    const res = await this.unary<provproto.CreateRequest, provproto.CreateResponse>("create", req);
    return { id: res.getId(), properties: plain(fromStruct(res.getProperties())).props };
  }

  /**
   * Refresh passes the prior outputs as `props` and the prior inputs. An import (the `import`
   * resource option or `pulumi import`) sends the id alone: pass `{}` and no inputs, and the
   * request carries an empty property map and no inputs, so no `__provider` either
   * (pkg/resource/deploy/step.go `ImportStep.Apply`; provider_plugin.go `Read` marshals the nil
   * state to an empty Struct and leaves nil inputs unset). The dynamic provider host fails there.
   */
  async read(id: string, urn: string, props: Props, inputs?: Props): Promise<ReadResult> {
    const req = new provproto.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    const hasProps = Object.keys(props).length > 0;
    req.setProperties(toStruct(hasProps ? this.withProvider(props) : {}));
    if (inputs) req.setInputs(toStruct(this.withProvider(inputs)));
    const res = await this.unary<provproto.ReadRequest, provproto.ReadResponse>("read", req);
    return {
      id: res.getId(),
      properties: plain(fromStruct(res.getProperties())).props,
      inputs: res.getInputs() ? plain(fromStruct(res.getInputs())).props : undefined,
      ...(res.hasProperties() ? {} : { noOutputs: true as const }),
    };
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }> {
    const req = new provproto.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(this.withProvider(olds)));
    req.setNews(toStruct(this.withProvider(news)));
    const res = await this.unary<provproto.UpdateRequest, provproto.UpdateResponse>("update", req);
    return { properties: plain(fromStruct(res.getProperties())).props };
  }

  async delete(id: string, urn: string, props: Props): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(toStruct(this.withProvider(props)));
    await this.unary("delete", req);
  }

  /** Kills the host the way an interrupted CI job would (no graceful shutdown). */
  kill(): void {
    this.client.close();
    if (!this.exited) this.child.kill("SIGKILL");
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    await gone;
  }
}

/** A URN as the engine builds it for a LivePullStreamTask named `name`. */
export function taskUrn(name: string, stack = "test", project = "css"): string {
  return `urn:pulumi:${stack}::${project}::pulumi-nodejs:dynamic/css:LivePullStreamTask::${name}`;
}
