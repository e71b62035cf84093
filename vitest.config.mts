import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// An ES module (.mts): vitest loads its config as ESM, and a .ts file in a CommonJS package made it
// print "ESM syntax in a file loaded as CommonJS" on every run.
const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    // Examples import the published name; in tests it is this repository's source, wherever the
    // importer sits (the package's own "exports" would otherwise resolve it to dist/ from test/ only).
    alias: [
      { find: /^pulumi-css-pull-tasks$/, replacement: path.join(root, "index.ts") },
      { find: /^pulumi-css-pull-tasks\/emulator$/, replacement: path.join(root, "emulator", "index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // The fresh-clone packaging test installs from npm: `npm run test:pack` (vitest.pack.config.mts).
    // The real-CLI tests need the CLI its global setup finds: `npm run test:engine` (vitest.engine.config.mts).
    exclude: ["test/pack/**", "test/engine/**", "**/node_modules/**"],
    // Protocol tests spawn the real provider host and an emulator each; keep the machine's two cores usable.
    maxWorkers: 2,
    testTimeout: 60_000,
    // The JSON report lets .ci/run close with a plain "N passed, N failed" line that any reader of
    // CI logs (human or tool) understands, whatever vitest's own summary looks like.
    reporters: ["default", ["json", { outputFile: ".local/vitest-report.json" }]],
    hookTimeout: 60_000,
  },
});
