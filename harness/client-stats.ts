// Preloaded into the provider host (NODE_OPTIONS=--require …) when ProviderHost.start is asked for
// client stats: when the host is told to stop, it prints the API client's own counters (calls,
// retries, throttles) on stderr, so bench and soak report the client's retries without any hook in
// the product code. The provider's config module is required by the same absolute path the provider
// stubs load it from, so this is the same module instance, and the same client, that served the run.
// Not imported by anything: host.ts passes this file's compiled path to the host.
import * as path from "node:path";

/** Keep in step with CLIENT_STATS_MARKER in host.ts. */
const STATS_MARKER = "CLIENT-STATS ";

process.once("SIGTERM", () => {
  try {
    const configPath = path.join(__dirname, "..", "provider", "config.js");
    if (require.cache[require.resolve(configPath)]) {
      const cfg = require(configPath) as { apiClient(): { stats(): unknown } };
      process.stderr.write(`${STATS_MARKER}${JSON.stringify(cfg.apiClient().stats())}\n`);
    }
  } catch (e) {
    process.stderr.write(`${STATS_MARKER}{"error":${JSON.stringify(String(e))}}\n`);
  }
  process.exit(0);
});
