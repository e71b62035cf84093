// An Io for a CLI command run in-process against an emulator: its keys, endpoint and region in
// the environment, HOME (and the cwd) in `dir`, and what the command printed.
import type { Io } from "../../cli/io";

export type CapturedIo = Io & { out: () => string; err: () => string };

export function emulatorIo(url: string, dir: string): CapturedIo {
  let out = "";
  let err = "";
  const env = {
    TENCENTCLOUD_SECRET_ID: "AKIDEMULATOR",
    TENCENTCLOUD_SECRET_KEY: "emulator-secret-key",
    TENCENTCLOUD_CSS_ENDPOINT: url,
    TENCENTCLOUD_REGION: "ap-guangzhou",
    HOME: dir,
  };
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: dir, env, out: () => out, err: () => err };
}
