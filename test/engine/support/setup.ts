// Global setup of `npm run test:engine`: a real Pulumi CLI before any test runs (built once and
// cached by `npm run pulumi:install`), its directory handed to the test workers by environment.
import * as path from "node:path";
import { installedCliDir } from "../../../harness/local-backend";

export default function setup(): void {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) {
    // The language host runs the `node` on PATH, and @pulumi/pulumi 3.270 needs 22.
    throw new Error(`test:engine needs Node >= 22 on PATH (this is ${process.version}): npx -p node@22 -c 'npm run test:engine'`);
  }
  if (process.env.PULUMI_CSS_CLI_DIR) return;
  const root = path.resolve(__dirname, "../../..");
  const started = Date.now();
  const dir = installedCliDir(root);
  process.env.PULUMI_CSS_CLI_DIR = dir;
  console.log(`Pulumi CLI: ${dir} (pulumi:install took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
