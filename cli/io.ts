// What a command needs from the outside world, passed in so tests run commands in-process.
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stderr is a terminal: long commands draw a progress line there (progress.ts). */
  stderrIsTTY?: boolean;
}

export function processIo(): Io {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

/** Exit codes shared by every command: 0 fine, 1 the command's own failure, 2 a usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A usage error: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {}

export function usageFailure(io: Io, command: string, usage: string, err: unknown): number {
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`css-pull-tasks ${command}: ${message}\n${usage}\nRun \`css-pull-tasks ${command} --help\` for details.\n`);
  return EXIT_USAGE;
}

/** What an interrupted command wrote (files, in order): its interrupt message says so. */
const written: string[] = [];
export function noteWritten(file: string): void {
  written.push(file);
}

/** The line an interrupt (Ctrl-C) prints, so that exit 130 is never silent about what it left. */
export function interruptMessage(command: string): string {
  const left = written.length === 0 ? "nothing was written" : `it had written ${written.join(", ")}`;
  return `css-pull-tasks ${command}: interrupted; ${left}\n`;
}
