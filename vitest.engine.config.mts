import { defineConfig } from "vitest/config";

// `npm run test:engine`: the REAL Pulumi CLI against the emulator (test/engine/). Apart from the
// main suite: each test runs several `pulumi` commands (seconds each), and the CLI must be built
// or found first (support/setup.ts).
export default defineConfig({
  test: {
    include: ["test/engine/**/*.test.ts"],
    globalSetup: ["test/engine/support/setup.ts"],
    // Each test starts a CLI, a language host and provider processes: two at a time on two cores.
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ["default", ["json", { outputFile: ".local/vitest-report.json" }]],
  },
});
