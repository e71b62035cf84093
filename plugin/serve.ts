// Serves TaskProvider with @pulumi/pulumi/provider's main(provider, args): the gRPC server, the
// port printed on stdout as plugins do, error details (ErrorResourceInitFailed) for partial creates.
//
// Why the three config methods are added here (and diff and read, see there): in @pulumi/pulumi
// 3.270 that server answers Configure without handing its arguments to the provider, and
// CheckConfig/DiffConfig with UNIMPLEMENTED, so a provider built on it could never see its own
// credentials. main() registers
// its service synchronously before its first await; for that one call we wrap grpc-js's addService
// so the service object gets our configure/checkConfig/diffConfig on top of Pulumi's own methods.
import * as path from "node:path";
import { main } from "@pulumi/pulumi/provider";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { checkConfig, checkedConfig, configDeprecations, fromVariables } from "./config";
import { PACKAGE_NAME } from "./schema";
import { secret, unwrapSecrets } from "./secrets";
import { engineAddressOf, useEngineAt } from "../provider/user-warning";
import type { TaskProvider } from "./provider";

type Bag = Record<string, unknown>;
type Callback = (err: unknown, value?: unknown) => void;
interface Call<T> {
  request: T;
}

/** The grpc-js that @pulumi/pulumi's server uses (the same module instance, wherever npm put it). */
function pulumiGrpc(): { Server: { prototype: { addService(service: unknown, impl: object): void } } } {
  const serverFile = require.resolve("@pulumi/pulumi/provider/server");
  return require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(serverFile)] }));
}

function struct(s: Struct | undefined): Bag {
  return (s?.toJavaScript() ?? {}) as Bag;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(unwrapSecrets(a) ?? null) === JSON.stringify(unwrapSecrets(b) ?? null);
}

/** The config methods, answering as the engine expects of a provider that accepts secrets, and diff and read. */
function configHandlers(provider: TaskProvider): Record<string, (call: Call<never>, cb: Callback) => void> {
  return {
    checkConfig(call: Call<provproto.CheckRequest>, cb: Callback) {
      const news = struct(call.request.getNews());
      // The engine shows a plugin's stderr to the user (sdk/go/common/resource/plugin/plugin.go).
      for (const line of configDeprecations(news, PACKAGE_NAME)) process.stderr.write(`${line}\n`);
      const resp = new provproto.CheckResponse();
      resp.setInputs(Struct.fromJavaScript(checkedConfig(news, secret) as never));
      resp.setFailuresList(
        checkConfig(news).map((f) => {
          const failure = new provproto.CheckFailure();
          failure.setProperty(f.property);
          failure.setReason(f.reason);
          return failure;
        }),
      );
      cb(null, resp);
    },
    diffConfig(call: Call<provproto.DiffRequest>, cb: Callback) {
      const olds = struct(call.request.getOlds());
      const news = struct(call.request.getNews());
      // No setting names a task: new credentials, region or endpoint apply in place. (A new default
      // region moves no task: one whose program names no region stays where it is, impl.ts check.)
      const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
        (k) => !sameValue(olds[k], news[k]),
      );
      const resp = new provproto.DiffResponse();
      const kinds = provproto.DiffResponse.DiffChanges;
      resp.setChanges(changed.length ? kinds.DIFF_SOME : kinds.DIFF_NONE);
      resp.setDiffsList(changed);
      cb(null, resp);
    },
    // Pulumi's server passes on only changes/replaces/deleteBeforeReplace, and no ignoreChanges:
    // without the rest, `--diff` shows nothing per field and replaceOnChanges never replaces.
    async diff(call: Call<provproto.DiffRequest>, cb: Callback) {
      try {
        const req = call.request;
        const olds = struct(req.getOlds());
        const news = struct(req.getNews());
        const r = await provider.diff(req.getId(), req.getUrn(), olds, news, req.getIgnorechangesList());
        const resp = new provproto.DiffResponse();
        const kinds = provproto.DiffResponse.DiffChanges;
        resp.setChanges(r.changes ? kinds.DIFF_SOME : kinds.DIFF_NONE);
        resp.setReplacesList(r.replaces ?? []);
        resp.setDeletebeforereplace(!!r.deleteBeforeReplace);
        resp.setDiffsList(r.changed);
        resp.setHasdetaileddiff(true);
        const detailed = resp.getDetaileddiffMap();
        for (const [key, d] of Object.entries(r.detailedDiff)) {
          const entry = new provproto.PropertyDiff();
          entry.setKind(provproto.PropertyDiff.Kind[d.kind]);
          entry.setInputdiff(d.inputDiff);
          detailed.set(key, entry);
        }
        cb(null, resp);
      } catch (e) {
        console.error(`${e}: ${(e as Error).stack}`);
        cb(e);
      }
    },
    // A task that is gone answers with no properties at all: the engine's import then says the
    // resource does not exist (step.go ImportStep.Apply tests the outputs for nil); Pulumi's server
    // always sends a property map, which made it "provider does not support importing resources".
    async read(call: Call<provproto.ReadRequest>, cb: Callback) {
      try {
        const req = call.request;
        const inputs = req.hasInputs() ? struct(req.getInputs()) : undefined;
        const r = await provider.read(req.getId(), req.getUrn(), struct(req.getProperties()), inputs);
        const resp = new provproto.ReadResponse();
        resp.setId(r.id ?? "");
        if (r.id) {
          resp.setProperties(Struct.fromJavaScript(r.props as never));
          if (r.inputs) resp.setInputs(Struct.fromJavaScript(r.inputs as never));
        }
        cb(null, resp);
      } catch (e) {
        console.error(`${e}: ${(e as Error).stack}`);
        cb(e);
      }
    },
    configure(call: Call<provproto.ConfigureRequest>, cb: Callback) {
      try {
        const req = call.request;
        // `args` carries typed values (and secrets); older engines send only `variables`.
        const variables: Record<string, string> = {};
        req.getVariablesMap().forEach((value: string, key: string) => (variables[key] = value));
        const args = req.hasArgs() ? struct(req.getArgs()) : fromVariables(variables, PACKAGE_NAME);
        provider.configure(args);
        const resp = new provproto.ConfigureResponse();
        resp.setAcceptsecrets(true);
        resp.setAcceptresources(true);
        resp.setAcceptoutputs(false);
        // false: the engine must never call Create/Update during a preview (the core has no dry run).
        resp.setSupportspreview(false);
        cb(null, resp);
      } catch (e) {
        cb(e);
      }
    },
  } as never;
}

/** Serves until the engine closes it; `args` are the plugin's command-line arguments (the engine address). */
export async function serve(provider: TaskProvider, args: string[]): Promise<void> {
  // Warnings such as the preview's quota one go through the engine's Log (user-warning.ts).
  useEngineAt(engineAddressOf(args));
  const { Server } = pulumiGrpc();
  const addService = Server.prototype.addService;
  let wrapped = false;
  Server.prototype.addService = function (this: unknown, service: unknown, impl: object) {
    if (service === ResourceProviderService) {
      impl = Object.assign(Object.create(impl) as object, configHandlers(provider));
      wrapped = true;
    }
    return addService.call(this, service, impl);
  };
  let serving: Promise<void>;
  try {
    serving = main(provider, args);
  } finally {
    Server.prototype.addService = addService;
  }
  if (!wrapped)
    throw new Error(
      "@pulumi/pulumi/provider main() did not register its service synchronously: configure cannot be served",
    );
  await serving;
}
