// `css-pull-tasks emulator …` and `node dist/emulator/main.js …`: run the emulator in the foreground.
import { parseArgs } from "node:util";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, DEFAULT_TASK_LIMIT, startEmulator } from "./index";
import { DEFAULT_MAX_TASK_SPAN_DAYS } from "./rules";
import { DEFAULT_ACCOUNT_UIN } from "./sts";

export const EMULATOR_USAGE = `Usage: css-pull-tasks emulator [options]

Runs a local Tencent CSS pull-task API (live 2018-08-01) on 127.0.0.1.

  --port N           port to listen on (default 0: any free port)
  --secret-id ID     SecretId clients must sign with (default ${DEFAULT_SECRET_ID})
  --secret-key KEY   SecretKey clients must sign with (default ${DEFAULT_SECRET_KEY})
  --state FILE       keep tasks in FILE across restarts (written atomically)
  --task-limit N     task quota, LimitTaskNum (default ${DEFAULT_TASK_LIMIT})
  --faults SPEC      inject faults: kind=prob[,kind=prob], kinds throttle, internal,
                     http5xx, timeout, reset, lost-response, stale-read
  --seed N           seed for fault injection, for repeatable runs
  --rate-scale X     multiply the documented per-action rate limits by X (default 1)
  --timeout-delay-ms N  how long a "timeout" fault holds the answer (default 30000)
  --max-task-span-days N  EndTime - StartTime must be less than N days, 1..30 (default
                     ${DEFAULT_MAX_TASK_SPAN_DAYS}: the newest API model; the spec page says 7)
  --clock-offset-ms N   run the emulator's clock N ms ahead of this machine's (negative:
                     behind: --clock-offset-ms=-N), as a server whose clock differs;
                     answers carry it in their Date header
  --stale-ms N       how far behind the writes a "stale-read" Describe may be (default 3000)
  --account-uin UIN  the account's UIN, as STS GetCallerIdentity answers it (default
                     ${DEFAULT_ACCOUNT_UIN}); role ARNs must name it
  --oidc-token T     a web identity token AssumeRoleWithWebIdentity accepts (repeatable)
  --cam-role NAME    a CVM instance role the metadata route
                     (/latest/meta-data/cam/security-credentials/NAME) hands credentials for
                     (repeatable)
  --mfa-role NAME    a role AssumeRole grants only with MFA: SerialNumber
                     qcs::cam:uin/<UIN>::mfa/softToken and a TokenCode given by --mfa-code
                     (repeatable)
  --mfa-code CODE    a code the account's MFA device accepts (repeatable)
  --help             show this text

Prints "listening on http://127.0.0.1:PORT" first; stops on SIGINT or SIGTERM.
`;

function number(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be ${integer ? "an integer" : "a number"}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Resolves once the emulator has stopped after SIGINT/SIGTERM. Bad arguments reject with a usage message. */
export async function runEmulatorCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      "secret-id": { type: "string" },
      "secret-key": { type: "string" },
      state: { type: "string" },
      "task-limit": { type: "string" },
      faults: { type: "string" },
      seed: { type: "string" },
      "rate-scale": { type: "string" },
      "timeout-delay-ms": { type: "string" },
      "max-task-span-days": { type: "string" },
      "clock-offset-ms": { type: "string" },
      "stale-ms": { type: "string" },
      "account-uin": { type: "string" },
      "oidc-token": { type: "string", multiple: true },
      "cam-role": { type: "string", multiple: true },
      "mfa-role": { type: "string", multiple: true },
      "mfa-code": { type: "string", multiple: true },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(EMULATOR_USAGE);
    return;
  }
  if ((values["secret-id"] === undefined) !== (values["secret-key"] === undefined)) {
    throw new Error("--secret-id and --secret-key go together");
  }
  const port = number("port", values.port, true);
  const emulator = await startEmulator({
    port,
    secretId: values["secret-id"],
    secretKey: values["secret-key"],
    stateFile: values.state,
    taskLimit: number("task-limit", values["task-limit"], true),
    faults: values.faults,
    seed: number("seed", values.seed, true),
    rateScale: number("rate-scale", values["rate-scale"], false),
    timeoutDelayMs: number("timeout-delay-ms", values["timeout-delay-ms"], true),
    maxTaskSpanDays: number("max-task-span-days", values["max-task-span-days"], true),
    clockOffsetMs: number("clock-offset-ms", values["clock-offset-ms"], true),
    staleMs: number("stale-ms", values["stale-ms"], true),
    accountUin: values["account-uin"],
    oidcTokens: values["oidc-token"],
    camRoles: values["cam-role"],
    mfaRoles: values["mfa-role"],
    mfaCodes: values["mfa-code"],
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== "EADDRINUSE") throw e;
    throw new Error(`port ${port} is in use: give another --port, or --port 0 for any free port`);
  });
  process.stdout.write(`listening on ${emulator.url}\n`);
  const seedNote = values.faults ? ` (faults ${values.faults}, seed ${emulator.faults().seed})` : "";
  process.stderr.write(`emulator: SecretId ${values["secret-id"] ?? DEFAULT_SECRET_ID}${seedNote}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      emulator.close().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
