// A warning for the user from inside a provider process, said so that the engine surely shows it.
// The engine shows a plugin's stderr line by line (sdk/go/common/resource/plugin/plugin.go), but
// on its own reader: a line written during a deployment's last Check can reach the engine after
// its display has closed, and is then lost (seen with Pulumi YAML on the native plugin, whose
// preview ends the moment the last Check returns). The engine's Log RPC (pulumirpc.Engine/Log)
// returns only once the engine holds the message, so the Check that warns returns after it. A
// provider process knows the engine's address from its first argument (both the native plugin
// and the dynamic provider host are started as `<program> <engine address>`); stderr stays the
// fallback (no address, or no answer: the test hosts give an address that refuses).
import * as path from "node:path";

/** How long a warning waits for the engine before it goes to stderr instead. */
export const ENGINE_LOG_TIMEOUT_MS = 3_000;

type Logger = (message: string) => Promise<void>;
let engineLog: Logger | undefined | null = null; // null: not looked for yet

/** The engine's address among a provider process's arguments, as @pulumi/pulumi's parseArgs finds it. */
export function engineAddressOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--tracing") i++;
    else if (args[i] !== "--logtostderr" && !args[i].startsWith("-v=")) return args[i];
  }
  return undefined;
}

/** A Log RPC client of the engine at `address`, on the grpc-js @pulumi/pulumi itself uses. */
function loggerFor(address: string): Logger {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
  const { EngineClient } = require("@pulumi/pulumi/proto/engine_grpc_pb");
  const engproto = require("@pulumi/pulumi/proto/engine_pb");
  const client = new EngineClient(address, grpc.credentials.createInsecure());
  return (message) =>
    new Promise<void>((resolve, reject) => {
      const req = new engproto.LogRequest();
      req.setSeverity(engproto.LogSeverity.WARNING);
      req.setMessage(message);
      req.setUrn("");
      const deadline = Date.now() + ENGINE_LOG_TIMEOUT_MS;
      client.log(req, { deadline }, (err: unknown) => (err ? reject(err) : resolve()));
    });
}

/** Used by the native plugin's main, which is handed its arguments. */
export function useEngineAt(address: string | undefined): void {
  try {
    engineLog = address ? loggerFor(address) : undefined;
  } catch {
    engineLog = undefined; // a @pulumi/pulumi without these modules: stderr serves
  }
}

/** The dynamic provider host's: @pulumi/pulumi's cmd/dynamic-provider, started with the engine address. */
function dynamicHostLogger(): Logger | undefined {
  const main = require.main?.filename ?? "";
  if (!/[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/.test(main)) return undefined;
  const address = engineAddressOf(process.argv.slice(2));
  return address ? loggerFor(address) : undefined;
}

/** Says `text` (which starts "warning: ") to the user: through the engine if it answers, else on stderr. */
export async function warnUser(text: string): Promise<void> {
  if (engineLog === null) {
    try {
      engineLog = dynamicHostLogger();
    } catch {
      engineLog = undefined;
    }
  }
  if (engineLog) {
    try {
      return await engineLog(text.replace(/^warning: /, ""));
    } catch {
      // no engine there (a test host): stderr below
    }
  }
  console.warn(text);
}
