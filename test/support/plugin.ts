// The native plugin (dist/plugin/main.js) driven over gRPC as the engine drives a provider plugin:
// ProviderHost.start({ plugin: true }) spawns it and serves check/diff/create/read/update/delete;
// these add the provider-level calls (GetSchema, CheckConfig, DiffConfig, Configure) and the
// wire form of secrets. No vitest here (compiled with the package, like host.ts).
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from "./emulator";
import { ProviderHost, type Props } from "./host";
import { Stack } from "../../harness/engine";

export const PLUGIN_TOKEN = "tencentcloud-css:index:LivePullStreamTask";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

/** A URN as the engine builds it for a plugin LivePullStreamTask named `name`. */
export function pluginUrn(name: string, stack = "test", project = "css"): string {
  return `urn:pulumi:${stack}::${project}::${PLUGIN_TOKEN}::${name}`;
}

/** A provider resource's URN (what the engine names the provider instance in state). */
export function providerUrn(name: string, stack = "test", project = "css"): string {
  return `urn:pulumi:${stack}::${project}::pulumi:providers:tencentcloud-css::${name}`;
}

export function secret(value: unknown): Props {
  return { [SIG]: SECRET, value };
}

export function isSecret(v: unknown): boolean {
  return !!v && typeof v === "object" && (v as Props)[SIG] === SECRET;
}

/** The value with every secret unwrapped (what a program sees after `pulumi.unsecret`). */
export function unwrap<T>(v: T): T {
  if (isSecret(v)) return unwrap((v as Props).value) as T;
  if (Array.isArray(v)) return v.map(unwrap) as T;
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)])) as T;
  return v;
}

/** Top-level keys whose values travel as secrets. */
/** Provider config for the emulator's account at `endpoint` (credentials sent as secrets, as the engine does). */
export function emulatorAccount(endpoint: string): Props {
  return { secretId: secret(EMULATOR_SECRET_ID), secretKey: secret(EMULATOR_SECRET_KEY), cssEndpoint: endpoint };
}

export function secretKeys(props: Props): string[] {
  return Object.keys(props).filter((k) => isSecret(props[k])).sort();
}

function toStruct(obj: Props): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(obj)));
}

export async function startPlugin(env: NodeJS.ProcessEnv = process.env, how: true | "source" = true): Promise<ProviderHost> {
  return ProviderHost.start({ plugin: how, env });
}

export async function getSchema(host: ProviderHost): Promise<Record<string, unknown>> {
  const res = await host.unary<provproto.GetSchemaRequest, provproto.GetSchemaResponse>("getSchema", new provproto.GetSchemaRequest());
  return JSON.parse(res.getSchema()) as Record<string, unknown>;
}

export async function checkConfig(host: ProviderHost, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
  const req = new provproto.CheckRequest();
  req.setUrn(providerUrn("default"));
  req.setOlds(toStruct(olds));
  req.setNews(toStruct(news));
  const res = await host.unary<provproto.CheckRequest, provproto.CheckResponse>("checkConfig", req);
  return {
    inputs: (res.getInputs()?.toJavaScript() ?? {}) as Props,
    failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
  };
}

export async function diffConfig(host: ProviderHost, olds: Props, news: Props): Promise<{ changes: "some" | "none" | "unknown"; diffs: string[]; replaces: string[] }> {
  const req = new provproto.DiffRequest();
  req.setUrn(providerUrn("default"));
  req.setOlds(toStruct(olds));
  req.setNews(toStruct(news));
  const res = await host.unary<provproto.DiffRequest, provproto.DiffResponse>("diffConfig", req);
  const kinds = provproto.DiffResponse.DiffChanges;
  const changes = res.getChanges() === kinds.DIFF_SOME ? "some" : res.getChanges() === kinds.DIFF_NONE ? "none" : "unknown";
  return { changes, diffs: res.getDiffsList(), replaces: res.getReplacesList() };
}

/** Configure as the engine sends it: typed `args` (secrets wrapped) and the flat `variables` map. */
export async function configurePlugin(host: ProviderHost, args: Props, opts: { argsOmitted?: boolean } = {}): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
  const req = new provproto.ConfigureRequest();
  const variables = req.getVariablesMap();
  for (const [k, v] of Object.entries(unwrap(args))) variables.set(`tencentcloud-css:config:${k}`, typeof v === "string" ? v : JSON.stringify(v));
  if (!opts.argsOmitted) req.setArgs(toStruct(args));
  req.setAcceptsecrets(true);
  req.setAcceptresources(true);
  const res = await host.unary<provproto.ConfigureRequest, provproto.ConfigureResponse>("configure", req);
  return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
}

/**
 * The engine simulator for plugin resources: the plugin's URNs, and the program as registered
 * (the plugin takes the resource's identity from the URN, so no `__identity` input).
 */
export class PluginStack extends Stack {
  urn(name: string): string {
    return pluginUrn(name, this.stack, this.project);
  }

  registered(_name: string, program: Props): Props {
    return program;
  }
}
