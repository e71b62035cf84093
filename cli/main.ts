#!/usr/bin/env node
// css-pull-tasks: the command-line entry. Each command lives in its own file; this only dispatches.
import { Io, processIo, EXIT_OK, EXIT_USAGE } from "./io";
import { runValidate, VALIDATE_USAGE } from "./validate";
import { runExport, EXPORT_USAGE } from "./export";
import { runUp, UP_USAGE } from "./up";
import { runStatus, STATUS_USAGE } from "./status";
import { runRestart, RESTART_USAGE } from "./restart";
import { runEmulatorCli, EMULATOR_USAGE } from "../emulator/cli";

export const MAIN_HELP = `Usage: css-pull-tasks <command> [options]

Tencent Cloud CSS stream-pulling tasks as code (Pulumi).

Commands:
  validate   check a tasks file offline, with the resource's own rules
  export     write the account's live tasks as a tasks file (adopt an existing account)
  status     run status of tasks; --wait-active is a health gate after \`pulumi up\`
  restart    restart tasks (RestartLivePullStreamTask), each at most once
  up         run the root stack against a local emulator (what \`npm start\` does)
  emulator   run the local CSS API emulator in the foreground

Run \`css-pull-tasks <command> --help\` for a command's options.

  ${VALIDATE_USAGE}
  ${EXPORT_USAGE}
  ${STATUS_USAGE}
  ${RESTART_USAGE}
  ${UP_USAGE}
  ${EMULATOR_USAGE.split("\n")[0]}
`;

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
  up: runUp,
  emulator: runEmulator,
};

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
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

if (require.main === module) {
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
