#!/usr/bin/env node
// Standalone launcher: node dist/emulator/main.js [options]
import { runEmulatorCli } from "./cli";

runEmulatorCli(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`css-pull-tasks emulator: ${(e as Error).message}\n`);
    process.exit(2);
  },
);
