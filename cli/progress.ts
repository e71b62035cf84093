// One status line for long CLI work (export of many tasks, status --wait-active), redrawn in place
// on a terminal and absent when stderr is piped or redirected: CI logs and scripts get only results.
import type { Io } from "./io";

export interface Progress {
  /** Replaces the line (redrawn at most every `intervalMs`; the first text at once). */
  update(text: string): void;
  /** Clears the line, so the command's own output starts on a clean line. */
  done(): void;
}

const QUIET: Progress = { update: () => undefined, done: () => undefined };

export function progress(io: Io, intervalMs = 100, clock: () => number = Date.now): Progress {
  if (!io.stderrIsTTY) return QUIET;
  let shown = false;
  let last = -Infinity;
  return {
    update(text) {
      const t = clock();
      if (t - last < intervalMs) return;
      last = t;
      shown = true;
      // \r back to the line's start, ESC[K clears what a longer earlier text left.
      io.stderr(`\r\x1b[K${text}`);
    },
    done() {
      if (shown) io.stderr("\r\x1b[K");
      shown = false;
    },
  };
}
