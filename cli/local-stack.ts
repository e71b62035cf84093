// The local demo: `css-pull-tasks preview | up | refresh | destroy` (`npm start` is `up`) run the root
// stack against a local emulator, on the same emulator state and local Pulumi state, so a newcomer
// can create, preview a change, apply it, see a replacement and tear it all down without an account.
import * as fs from "fs";
import * as path from "path";
import { spawn } from "child_process";
import { parseArgs } from "util";
import { parse } from "yaml";
import { Io, EXIT_OK, EXIT_FAILED, UsageError, usageFailure } from "./io";
import { startEmulator, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "../emulator";
import { PULUMI_INSTALL_COMMAND, selectPulumi, type PulumiCli } from "./pulumi-cli";

export { PULUMI_INSTALL_COMMAND } from "./pulumi-cli";

export const STACK = "dev";
/** Protects only the local demo stack's secrets under .local/state; override with PULUMI_CONFIG_PASSPHRASE. */
export const LOCAL_PASSPHRASE = "css-pull-tasks-local";
const DEMO_REGION = "ap-guangzhou";
/** Role, profile and OIDC settings of the user's environment: they would outrank the emulator's key pair. */
const ROLE_ENV = /^TENCENTCLOUD_(ASSUME_ROLE_|CAM_ROLE_NAME|PROFILE|SHARED_CREDENTIALS_DIR|STS_ENDPOINT)|^TKE_/;

/** The four commands: what each runs, and the line it ends with when Pulumi succeeded. */
export const LOCAL_COMMANDS = {
  preview: {
    pulumi: ["preview"],
    summary: "show what `up` would change in the local demo, changing nothing",
    done:
      "\nPreview only: nothing was changed. `css-pull-tasks up` (or `npm start`) applies it.\n",
  },
  up: {
    pulumi: ["up", "--yes"],
    summary: "apply tasks.yaml to the local demo (what `npm start` does)",
    done:
      "\nDone. The emulator's tasks are in .local/emulator-state.json. Edit tasks.yaml (e.g. a comment for an\n" +
      "in-place update, a streamName for a replacement), run `css-pull-tasks preview` to see the change,\n" +
      "and `npm start` again to apply it.\n",
  },
  refresh: {
    pulumi: ["refresh", "--yes"],
    summary: "read the local demo's tasks back from the emulator into the state",
    done: "\nThe state now matches the emulator's tasks; `css-pull-tasks preview` shows what `up` would change.\n",
  },
  destroy: {
    pulumi: ["destroy", "--yes"],
    summary: "delete every task of the local demo from the emulator",
    done:
      "\nEvery task of the local demo was deleted. The empty stack stays in .local/state; `rm -rf .local`\n" +
      "starts from nothing.\n",
  },
} as const;

export type LocalCommand = keyof typeof LOCAL_COMMANDS;

export function localUsage(command: LocalCommand): string {
  return `Usage: css-pull-tasks ${command} [-- PULUMI_${command.toUpperCase()}_ARGS...]`;
}

export function localHelp(command: LocalCommand): string {
  const c = LOCAL_COMMANDS[command];
  return `${localUsage(command)}

${c.summary[0].toUpperCase()}${c.summary.slice(1)}: runs \`pulumi ${c.pulumi.join(" ")}\` on the root
stack (Pulumi.yaml, tasks.yaml) against a local CSS emulator, without a Tencent Cloud account:
  - starts the emulator on 127.0.0.1 with its tasks kept in .local/emulator-state.json
  - points the provider at it (TENCENTCLOUD_CSS_ENDPOINT and the emulator's credentials)
  - uses a local file backend, .local/state (PULUMI_BACKEND_URL), stack "${STACK}"
  - runs \`pulumi ${c.pulumi.join(" ")} --stack ${STACK}\` (arguments after -- are passed on, e.g. -- --diff),
    then stops the emulator
preview, up, refresh and destroy share that emulator state and that stack, so they follow each
other: up creates the tasks, preview shows an edit of tasks.yaml, up applies it, destroy deletes them.
Run it from the project directory (where Pulumi.yaml is), after \`npm run build\` (\`npm start\` does both).

The Pulumi CLI used: a \`pulumi\` on PATH (or in ~/.pulumi/bin), else the build of
\`npm run pulumi:install\` (made now from the Go module proxy if Go is on PATH), else the one the
project's npm dev dependency \`pulumi\` downloads on first use (needs network once). To install one
yourself: ${PULUMI_INSTALL_COMMAND}
`;
}

/** `pulumi` arguments of a local command: the command's own, the stack, then the user's. */
export function pulumiArgs(command: LocalCommand, passThrough: string[]): string[] {
  return [...LOCAL_COMMANDS[command].pulumi, "--stack", STACK, ...passThrough];
}

export const UP_USAGE = localUsage("up");
export const UP_HELP = localHelp("up");

function run(cli: PulumiCli, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    // A build's language hosts and dynamic provider plugin are found on PATH, beside its `pulumi`.
    const withPlugins = cli.pluginDir ? { ...env, PATH: `${cli.pluginDir}${path.delimiter}${env.PATH ?? ""}` } : env;
    const child = spawn(cli.command, [...cli.prefix, ...args], { cwd, env: withPlugins, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function runLocal(command: LocalCommand, argv: string[], io: Io): Promise<number> {
  let passThrough: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      options: { help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    if (parsed.values.help) {
      io.stdout(localHelp(command));
      return EXIT_OK;
    }
    const terminator = parsed.tokens.find((t) => t.kind === "option-terminator");
    if (!terminator && parsed.positionals.length > 0) {
      throw new UsageError(`unexpected argument "${parsed.positionals[0]}" (pass pulumi arguments after --)`);
    }
    passThrough = parsed.positionals;
  } catch (e) {
    return usageFailure(io, command, localUsage(command), e);
  }

  const root = io.cwd;
  if (!fs.existsSync(path.join(root, "Pulumi.yaml"))) {
    io.stderr(`css-pull-tasks ${command}: no Pulumi.yaml in ${root}; run it from the project directory\n`);
    return EXIT_FAILED;
  }
  // Pulumi would report a missing compiled program as a module error deep in its output.
  const main = (parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { main?: unknown } | null)?.main;
  if (typeof main === "string" && !fs.existsSync(path.resolve(root, main))) {
    io.stderr(
      `css-pull-tasks ${command}: ${main} (Pulumi.yaml's main) does not exist; ` +
        "run `npm run build` first (`npm start` does both)\n",
    );
    return EXIT_FAILED;
  }
  // Chosen (and, for the npm package's CLI, downloaded) before anything is started or written.
  const selection = await selectPulumi(io.env, [root, __dirname], io.stderr, command);
  if (!selection.ok) {
    io.stderr(selection.message);
    return EXIT_FAILED;
  }
  const pulumi = selection.cli;
  const local = path.join(root, ".local");
  fs.mkdirSync(path.join(local, "state"), { recursive: true });

  const emulator = await startEmulator({ port: 0, stateFile: path.join(local, "emulator-state.json") });
  io.stdout(`emulator listening on ${emulator.url} (tasks kept in .local/emulator-state.json)\n`);
  const env: NodeJS.ProcessEnv = {
    ...io.env,
    TENCENTCLOUD_CSS_ENDPOINT: emulator.url,
    TENCENTCLOUD_SECRET_ID: DEFAULT_SECRET_ID,
    TENCENTCLOUD_SECRET_KEY: DEFAULT_SECRET_KEY,
    TENCENTCLOUD_REGION: io.env.TENCENTCLOUD_REGION ?? DEMO_REGION,
    PULUMI_BACKEND_URL: `file://${path.join(local, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: io.env.PULUMI_CONFIG_PASSPHRASE ?? LOCAL_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  // The emulator's keys are permanent: a token from the user's shell must not be paired with them.
  delete env.TENCENTCLOUD_SESSION_TOKEN;
  delete env.TENCENTCLOUD_SECURITY_TOKEN;
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  // Nor may a role, profile or OIDC setting of the user's shell outrank the emulator's key pair.
  for (const k of Object.keys(env)) {
    if (ROLE_ENV.test(k)) delete env[k];
  }

  // Ctrl-C reaches pulumi too (same process group); stay alive to stop the emulator after it.
  const ignore = (): void => undefined;
  process.on("SIGINT", ignore);
  try {
    const selected = await run(
      pulumi,
      ["stack", "select", STACK, "--create", "--secrets-provider", "passphrase"],
      root,
      env,
    );
    if (selected !== 0) return selected;
    const code = await run(pulumi, pulumiArgs(command, passThrough), root, env);
    if (code === 0) io.stdout(LOCAL_COMMANDS[command].done);
    return code;
  } finally {
    process.off("SIGINT", ignore);
    await emulator.close();
  }
}

export const runPreview = (argv: string[], io: Io): Promise<number> => runLocal("preview", argv, io);
export const runUp = (argv: string[], io: Io): Promise<number> => runLocal("up", argv, io);
export const runRefresh = (argv: string[], io: Io): Promise<number> => runLocal("refresh", argv, io);
export const runDestroy = (argv: string[], io: Io): Promise<number> => runLocal("destroy", argv, io);
