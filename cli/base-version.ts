// `validate --base REF|FILE`: the tasks file's base version, read from a file, or from git at a
// ref (`git show REF:./FILE`, run in the file's directory so that a file in a subdirectory of the
// repository is found). The only git this package runs; the comparison itself is program/renames.ts.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./io";

export type BaseVersion =
  /** The base's text, and how to name it in messages (`origin/main:tasks.yaml`, `old.yaml`). */
  | { text: Buffer; label: string }
  /** The ref is a commit, but the file was not in it (a pull request adding the tasks file). */
  | { missing: string };

function git(cwd: string, args: string[]): { ok: boolean; stdout: Buffer; stderr: string } {
  const r = spawnSync("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) return { ok: false, stdout: Buffer.alloc(0), stderr: r.error.message };
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr.toString("utf8").trim().split("\n")[0] ?? "" };
}

/**
 * An existing file at `base` (relative to `cwd`) is the base; anything else must be a git commit
 * of the repository holding `file`. A ref that is none is a usage error, as is a file base for
 * several files (each file has its own base).
 */
export function readBase(base: string, file: string, cwd: string, fileCount: number): BaseVersion {
  const asFile = path.resolve(cwd, base);
  if (fs.existsSync(asFile) && fs.statSync(asFile).isFile()) {
    if (fileCount > 1) throw new UsageError(`--base ${base} is a file: give one FILE to compare with it`);
    return { text: fs.readFileSync(asFile), label: base };
  }
  const full = path.resolve(cwd, file);
  const dir = path.dirname(full);
  const commit = git(dir, ["rev-parse", "--verify", "--quiet", `${base}^{commit}`]);
  if (!commit.ok) {
    const why = commit.stderr ? ` (git: ${commit.stderr})` : "";
    throw new UsageError(`--base ${base}: neither a file nor a git commit of the repository holding ${file}${why}`);
  }
  const spec = `${base}:./${path.basename(full)}`;
  if (!git(dir, ["cat-file", "-e", spec]).ok) return { missing: `not in ${base}` };
  const shown = git(dir, ["show", spec]);
  if (!shown.ok) throw new UsageError(`--base ${base}: cannot read ${file} there (git: ${shown.stderr})`);
  return { text: shown.stdout, label: `${base}:${file}` };
}
