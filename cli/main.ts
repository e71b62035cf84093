#!/usr/bin/env node
// css-pull-tasks: the command-line entry. Each command lives in its own file; this only dispatches,
// and loads a command's file when it runs: `validate` in CI must not pay for the Pulumi SDK that
// `export` loads (a third of validate's time before).
import type { Io } from "./io";
import { interruptMessage, processIo, EXIT_OK, EXIT_USAGE } from "./io";

interface Command {
  run: (argv: string[], io: Io) => Promise<number>;
  usage: string;
  help: string;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => {
    const m = await import("./validate");
    return { run: m.runValidate, usage: m.VALIDATE_USAGE, help: m.VALIDATE_HELP };
  },
  export: async () => {
    const m = await import("./export");
    return { run: m.runExport, usage: m.EXPORT_USAGE, help: m.EXPORT_HELP };
  },
  status: async () => {
    const m = await import("./status");
    return { run: m.runStatus, usage: m.STATUS_USAGE, help: m.STATUS_HELP };
  },
  restart: async () => {
    const m = await import("./restart");
    return { run: m.runRestart, usage: m.RESTART_USAGE, help: m.RESTART_HELP };
  },
  prune: async () => {
    const m = await import("./prune");
    return { run: m.runPrune, usage: m.PRUNE_USAGE, help: m.PRUNE_HELP };
  },
  impact: async () => {
    const m = await import("./impact");
    return { run: (argv, io) => m.runImpact(argv, io), usage: m.IMPACT_USAGE, help: m.IMPACT_HELP };
  },
  emulator: async () => {
    const m = await import("../emulator/cli");
    const run = async (argv: string[], io: Io): Promise<number> => {
      try {
        await m.runEmulatorCli(argv);
        return EXIT_OK;
      } catch (e) {
        io.stderr(`css-pull-tasks emulator: ${e instanceof Error ? e.message : String(e)}\n`);
        return EXIT_USAGE;
      }
    };
    return { run, usage: m.EMULATOR_USAGE.split("\n")[0], help: m.EMULATOR_USAGE };
  },
  preview: () => local("preview"),
  up: () => local("up"),
  refresh: () => local("refresh"),
  destroy: () => local("destroy"),
};

async function local(command: "preview" | "up" | "refresh" | "destroy"): Promise<Command> {
  const m = await import("./local-stack");
  const run = { preview: m.runPreview, up: m.runUp, refresh: m.runRefresh, destroy: m.runDestroy }[command];
  return { run, usage: m.localUsage(command), help: m.localHelp(command) };
}

const LISTED = ["validate", "export", "status", "restart", "prune", "impact", "emulator"];
const LOCAL = ["preview", "up", "refresh", "destroy"];

/** The main help: it names every command's usage, so it loads them all (only help needs that). */
export async function mainHelp(): Promise<string> {
  const commands = await Promise.all([...LISTED, ...LOCAL].map((c) => COMMANDS[c]()));
  const usages = commands.map((c) => `  ${c.usage}`).join("\n");
  return `Usage: css-pull-tasks <command> [options]

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

${usages}
`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "help" && rest.length > 0) {
    const load = Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]] : undefined;
    if (load === undefined) {
      io.stderr(`css-pull-tasks help: unknown command "${rest[0]}"\n\n${await mainHelp()}`);
      return EXIT_USAGE;
    }
    io.stdout((await load()).help);
    return EXIT_OK;
  }
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.stdout(await mainHelp());
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) {
    io.stderr(`css-pull-tasks: unknown command "${command}"\n\n${await mainHelp()}`);
    return EXIT_USAGE;
  }
  return (await load()).run(rest, io);
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
