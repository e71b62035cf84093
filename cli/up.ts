// css-pull-tasks up (`npm start`): the root stack against a local emulator, no cloud account needed.
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

export const UP_USAGE = "Usage: css-pull-tasks up [-- PULUMI_UP_ARGS...]";

export const UP_HELP = `${UP_USAGE}

Runs the root stack (Pulumi.yaml, tasks.yaml) against a local CSS emulator, so you can watch
tasks being created, previewed and changed without a Tencent Cloud account:
  - starts the emulator on 127.0.0.1 with its tasks kept in .local/emulator-state.json
  - points the provider at it (TENCENTCLOUD_CSS_ENDPOINT and the emulator's credentials)
  - uses a local file backend, .local/state (PULUMI_BACKEND_URL), stack "${STACK}"
  - runs \`pulumi up --yes\` (arguments after -- are passed on, e.g. -- --diff), then stops the emulator
Run it from the project directory (where Pulumi.yaml is), after \`npm run build\` (\`npm start\` does both).
Edit tasks.yaml and run it again to see an in-place update or a replacement.

The Pulumi CLI used: a \`pulumi\` on PATH (or in ~/.pulumi/bin), else the one the project's npm
dev dependency \`pulumi\` downloads on first use (needs network once). To install one yourself:
  ${PULUMI_INSTALL_COMMAND}
`;

function run(cli: PulumiCli, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli.command, [...cli.prefix, ...args], { cwd, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export async function runUp(argv: string[], io: Io): Promise<number> {
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
      io.stdout(UP_HELP);
      return EXIT_OK;
    }
    const terminator = parsed.tokens.find((t) => t.kind === "option-terminator");
    if (!terminator && parsed.positionals.length > 0) {
      throw new UsageError(`unexpected argument "${parsed.positionals[0]}" (pass pulumi arguments after --)`);
    }
    passThrough = parsed.positionals;
  } catch (e) {
    return usageFailure(io, "up", UP_USAGE, e);
  }

  const root = io.cwd;
  if (!fs.existsSync(path.join(root, "Pulumi.yaml"))) {
    io.stderr(`css-pull-tasks up: no Pulumi.yaml in ${root}; run it from the project directory\n`);
    return EXIT_FAILED;
  }
  // Pulumi would report a missing compiled program as a module error deep in its output.
  const main = (parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { main?: unknown } | null)?.main;
  if (typeof main === "string" && !fs.existsSync(path.join(root, main))) {
    io.stderr(
      `css-pull-tasks up: ${main} (Pulumi.yaml's main) does not exist; ` +
        "run `npm run build` first (`npm start` does both)\n",
    );
    return EXIT_FAILED;
  }
  // Chosen (and, for the npm package's CLI, downloaded) before anything is started or written.
  const selection = await selectPulumi(io.env, [root, __dirname], io.stderr);
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
    if (/^TENCENTCLOUD_(ASSUME_ROLE_|CAM_ROLE_NAME|PROFILE|SHARED_CREDENTIALS_DIR|STS_ENDPOINT)|^TKE_/.test(k)) delete env[k];
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
    const code = await run(pulumi, ["up", "--yes", "--stack", STACK, ...passThrough], root, env);
    if (code === 0) {
      io.stdout(
        "\nDone. The emulator's tasks are in .local/emulator-state.json. Edit tasks.yaml (e.g. a comment for an\n" +
          "in-place update, a streamName for a replacement) and run `npm start` again to see the preview change.\n",
      );
    }
    return code;
  } finally {
    process.off("SIGINT", ignore);
    await emulator.close();
  }
}
