#!/usr/bin/env node
// css-pull-tasks: the command-line entry. Each command lives in its own file; this only dispatches.
import { Io, interruptMessage, processIo, EXIT_OK, EXIT_USAGE } from "./io";
import { runValidate, VALIDATE_USAGE, VALIDATE_HELP } from "./validate";
import { runExport, EXPORT_USAGE, EXPORT_HELP } from "./export";
import { runDestroy, runPreview, runRefresh, runUp, localHelp, localUsage } from "./local-stack";
import { runStatus, STATUS_USAGE, STATUS_HELP } from "./status";
import { runRestart, RESTART_USAGE, RESTART_HELP } from "./restart";
import { PRUNE_HELP, PRUNE_USAGE, runPrune } from "./prune";
import { runImpact, IMPACT_USAGE, IMPACT_HELP } from "./impact";
import { runEmulatorCli, EMULATOR_USAGE } from "../emulator/cli";

export const MAIN_HELP = `Usage: css-pull-tasks <command> [options]

Tencent Cloud CSS stream-pulling tasks as code (Pulumi).

Commands:
  validate   check a tasks file offline, with the resource's own rules
  export     write the account's live tasks as a tasks file (adopt an existing account)
  status     run status of tasks; --wait-active is a health gate after \`pulumi up\`
  restart    restart tasks (RestartLivePullStreamTask), each at most once
  prune      delete the account's ended tasks no stack holds (dry run without --yes)
  impact     what a change does to each live stream, from \`pulumi preview --json\`
  emulator   run the local CSS API emulator in the foreground

The local demo (the root stack against a local emulator, no account needed):
  preview    show what up would change, changing nothing
  up         create or update the tasks of tasks.yaml (what \`npm start\` does)
  refresh    read the tasks back from the emulator into the state
  destroy    delete every task of the demo

Run \`css-pull-tasks help <command>\` (or \`<command> --help\`) for a command's options.

  ${VALIDATE_USAGE}
  ${EXPORT_USAGE}
  ${STATUS_USAGE}
  ${RESTART_USAGE}
  ${PRUNE_USAGE}
  ${IMPACT_USAGE}
  ${EMULATOR_USAGE.split("\n")[0]}
  ${localUsage("preview")}
  ${localUsage("up")}
  ${localUsage("refresh")}
  ${localUsage("destroy")}
`;

/** Each command's full help, for \`css-pull-tasks help COMMAND\`. */
const HELP: Record<string, string> = {
  validate: VALIDATE_HELP,
  export: EXPORT_HELP,
  status: STATUS_HELP,
  restart: RESTART_HELP,
  prune: PRUNE_HELP,
  impact: IMPACT_HELP,
  emulator: EMULATOR_USAGE,
  preview: localHelp("preview"),
  up: localHelp("up"),
  refresh: localHelp("refresh"),
  destroy: localHelp("destroy"),
};

async function runEmulator(argv: string[], io: Io): Promise<number> {
  try {
    await runEmulatorCli(argv);
    return EXIT_OK;
  } catch (e) {
    io.stderr(`css-pull-tasks emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_USAGE;
  }
}

const COMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  validate: runValidate,
  export: runExport,
  status: runStatus,
  restart: runRestart,
  prune: runPrune,
  impact: (argv, io) => runImpact(argv, io),
  emulator: runEmulator,
  preview: runPreview,
  up: runUp,
  refresh: runRefresh,
  destroy: runDestroy,
};

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "help" && rest.length > 0) {
    const text = HELP[rest[0]];
    if (text === undefined) {
      io.stderr(`css-pull-tasks help: unknown command "${rest[0]}"\n\n${MAIN_HELP}`);
      return EXIT_USAGE;
    }
    io.stdout(text);
    return EXIT_OK;
  }
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.stdout(MAIN_HELP);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(`css-pull-tasks: unknown command "${command}"\n\n${MAIN_HELP}`);
    return EXIT_USAGE;
  }
  return run(rest, io);
}

// Commands that wait on the API (status --wait-active, export) say so when Ctrl-C stops them; the
// local-stack commands handle SIGINT themselves (the Pulumi CLI they run gets it first).
const SAYS_WHEN_INTERRUPTED = new Set(["status", "export", "validate"]);

if (require.main === module) {
  const command = process.argv[2];
  if (command !== undefined && SAYS_WHEN_INTERRUPTED.has(command)) {
    process.once("SIGINT", () => {
      process.stderr.write(interruptMessage(command));
      process.exit(130);
    });
  }
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`css-pull-tasks: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
