// What the engine tests (test/engine/) and the real-CLI bench (bench/engine-cli.ts) both need to
// run the REAL Pulumi CLI against the emulator: the CLI itself, the environment of a stack on a
// local file backend, and the arguments of one `pulumi config set`.
import { execFileSync } from "node:child_process";
import * as path from "node:path";

/** Runs tools/pulumi-cli/install.sh (PATH, its cache, or a build) and returns the bin dir it printed last. */
export function installedCliDir(root: string): string {
  const out = execFileSync("bash", [path.join(root, "tools/pulumi-cli/install.sh")], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return out.trim().split("\n").pop() ?? "";
}

export interface LocalBackend {
  /** The directory holding `pulumi` and its plugins. */
  bin: string;
  /** The file backend's directory (`file://` URL) and PULUMI_HOME's parent. */
  stateDir: string;
  homeDir: string;
  passphrase: string;
  /** The emulator's URL, for the native provider's fallback endpoint. */
  endpoint: string;
}

/**
 * The environment of every `pulumi` command of a stack: this CLI first on PATH, a local backend,
 * the passphrase secrets provider, no update check or plugin download, and none of the caller's
 * Tencent Cloud credentials or Pulumi Cloud token (so nothing reaches a real account).
 */
export function localBackendEnv(b: LocalBackend, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${b.bin}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${b.stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: b.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_HOME: b.homeDir,
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    NO_COLOR: "1",
    // The native provider's fallback endpoint (its explicit instances name none).
    TENCENTCLOUD_CSS_ENDPOINT: b.endpoint,
    ...extra,
  };
  for (const k of ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_REGION", "PULUMI_ACCESS_TOKEN"]) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

/** `pulumi config set` arguments for one key: credentials as secrets, `ns:a.b` as b inside a (--path). */
export function configSetArgs(key: string, value: string): string[] {
  const secret = /secret(Key|Id)$/i.test(key) ? ["--secret"] : [];
  const nested = key.includes(".") ? ["--path"] : [];
  return ["config", "set", ...secret, ...nested, key, value];
}
