// The program side of a deployment: what `new LivePullStreamTask(name, args)` registers with the
// engine, captured with pulumi.runtime.setMocks. Tests that must see exactly what the engine would
// hand the provider host (including anything the resource adds to the user's args, and the
// serialised provider) take their inputs from here rather than building them by hand.
//
// The compiled resource (dist/provider/resource.js) is loaded: Pulumi's closure serialiser cannot
// serialise the provider from a module a test runner has transformed.
import * as path from "node:path";
import type * as pulumiTypes from "@pulumi/pulumi";
import { repoRoot, type Props } from "./host";

type Pulumi = typeof pulumiTypes;
interface Registered { type: string; name: string; inputs: Props; additionalSecretOutputs: string[] }

let registered: Promise<Registered[]> | undefined;

function pulumi(): Pulumi {
  return require(require.resolve("@pulumi/pulumi", { paths: [repoRoot()] })) as Pulumi;
}

/**
 * Installs the mocks once per process (setMocks is global to the Pulumi runtime). The mock monitor
 * drops registration options, so its registerResource is wrapped to record the resource's
 * additionalSecretOutputs — the list the real engine uses to encrypt outputs in state.
 */
function ensureMocks(project: string, stack: string): Promise<Registered[]> {
  registered ??= (async () => {
    const seen: Registered[] = [];
    const secretLists = new Map<string, string[]>();
    const p = pulumi();
    await p.runtime.setMocks(
      {
        newResource: (args) => {
          seen.push({ type: args.type, name: args.name, inputs: args.inputs as Props, additionalSecretOutputs: secretLists.get(args.name) ?? [] });
          return { id: `mock-${args.name}`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      project,
      stack,
      false,
    );
    type Req = { getName(): string; getAdditionalsecretoutputsList(): string[] };
    const monitor = (p.runtime as unknown as { getMonitor(): { registerResource(req: Req, cb: unknown): unknown } }).getMonitor();
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: Req, cb: unknown) => {
      secretLists.set(req.getName(), req.getAdditionalsecretoutputsList());
      return original(req, cb);
    };
    return seen;
  })();
  return registered;
}

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * The dynamic provider host tells the engine it does not accept secrets, so the engine unwraps
 * them before check/create; mocks hand them over still wrapped. Returns the plain value and the
 * top-level keys that were secret.
 */
export function unwrapSecrets(inputs: Props): { plain: Props; secretKeys: string[] } {
  const secretKeys: string[] = [];
  const un = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(un);
    if (v && typeof v === "object") {
      const o = v as Props;
      if (o[SIG_KEY] === SECRET_SIG) return un(o.value);
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, un(x)]));
    }
    return v;
  };
  const plain: Props = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (v && typeof v === "object" && (v as Props)[SIG_KEY] === SECRET_SIG) secretKeys.push(k);
    plain[k] = un(v);
  }
  return { plain, secretKeys };
}

export interface ProgramResource {
  /** The registered inputs, as the engine passes them to check (secrets unwrapped). */
  inputs: Props;
  /** Top-level inputs the program registered as secrets. */
  secretInputs: string[];
  /** The registration's additionalSecretOutputs: outputs the engine stores encrypted. */
  additionalSecretOutputs: string[];
  /** The resource object, to inspect its outputs. */
  resource: pulumiTypes.CustomResource & Record<string, unknown>;
}

export interface ProgramOptions {
  /** Registers the task under a component resource of this name (as a program grouping tasks would). */
  parentName?: string;
}

/** Runs `new LivePullStreamTask(name, args)` under mocks and returns what it registered. */
export async function programResource(name: string, args: Props, project = "css", stack = "test", o: ProgramOptions = {}): Promise<ProgramResource> {
  const seen = await ensureMocks(project, stack);
  const { LivePullStreamTask } = require(path.join(repoRoot(), "dist", "provider", "resource.js")) as {
    LivePullStreamTask: new (n: string, a: Props, opts?: pulumiTypes.CustomResourceOptions) => pulumiTypes.CustomResource & Record<string, unknown>;
  };
  const parent = o.parentName ? new (pulumi().ComponentResource)("test:index:Site", o.parentName) : undefined;
  const resource = new LivePullStreamTask(name, args, parent ? { parent } : undefined);
  await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
  const reg = [...seen].reverse().find((r) => r.name === name);
  if (!reg) throw new Error(`LivePullStreamTask ${name} registered nothing`);
  const { plain, secretKeys } = unwrapSecrets(reg.inputs);
  return { inputs: plain, secretInputs: secretKeys, additionalSecretOutputs: reg.additionalSecretOutputs, resource };
}
