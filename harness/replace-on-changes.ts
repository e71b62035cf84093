// The engine's replaceOnChanges decision, as pkg/resource/deploy/step_generator.go
// `applyReplaceOnChanges` makes it (called from `continueStepsFromDiff` on the provider's
// DiffResult): it reads only what the provider's Diff returned. A detailed-diff entry under a
// replaceOnChanges path becomes a replacement, and so does a changed key (the response's `diffs`)
// under one; the engine never compares inputs itself here. The Node dynamic provider host returns
// neither (cmd/dynamic-provider/index.js `diff` sets changes, replaces, deleteBeforeReplace only),
// so replaceOnChanges never replaces a dynamic resource; the native plugin returns both.
import type { DiffResult } from "./host";

type Path = (string | number)[];

/**
 * A property path as resource.ParsePropertyPath reads the common forms: `a.b`, `a[0]`, `a["k.x"]`,
 * `*` (sdk/go/common/resource/properties_path.go). Anything else is taken as one plain key.
 */
export function parsePropertyPath(text: string): Path {
  const path: Path = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\[\*\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[1] !== undefined) path.push(m[1]);
    else if (m[2] !== undefined) path.push(Number(m[2]));
    else if (m[3] !== undefined) path.push(m[3]);
    else path.push("*");
  }
  return path.length ? path : [text];
}

/** PropertyPath.Contains: `outer` is a prefix of `inner`, `*` matching any one key. */
export function pathContains(outer: Path, inner: Path): boolean {
  if (inner.length < outer.length) return false;
  return outer.every((p, i) => p === "*" || p === inner[i]);
}

/** The engine's special key for "the old state has init errors" (step_generator.go initErrorSpecialKey). */
const INIT_ERROR_KEY = "#initerror";

/**
 * Whether replaceOnChanges turns this diff into a replacement (the replace keys it adds, or a
 * detailed-diff entry it turns into a replace). Init errors count only under a path matching
 * `#initerror`, i.e. `*`, as in the engine.
 */
export function replaceOnChangesApplies(diff: DiffResult, replaceOnChanges: string[] = [], hasInitErrors = false): boolean {
  if (diff.changes !== "some" && !hasInitErrors) return false;
  const paths = replaceOnChanges.map(parsePropertyPath);
  const covered = (key: string) => paths.some((p) => pathContains(p, parsePropertyPath(key)));
  const detailed = Object.keys(diff.detailedDiff ?? {}).some(covered);
  const changed = (diff.changedKeys ?? []).some(covered);
  const initError = hasInitErrors && paths.some((p) => pathContains(p, [INIT_ERROR_KEY]));
  return detailed || changed || initError;
}
