// The relative links of a Markdown file, resolved to paths from the package root: what a reader of
// the README (on npm, in node_modules or in a clone) follows, and what the tarball must carry.
import * as path from "node:path";

/** `[text](target)` and `[text]: target` links that are not absolute URLs or in-page anchors. */
export function relativeLinks(markdown: string, file: string): string[] {
  const targets = [
    ...[...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]),
    ...[...markdown.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
  ];
  const out = new Set<string>();
  for (const t of targets) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith("#")) continue;
    const bare = t.split("#")[0];
    out.add(path.posix.normalize(path.posix.join(path.posix.dirname(file), bare)).replace(/\/$/, ""));
  }
  return [...out];
}

/** A link target is carried when it is a shipped file or a directory holding shipped files. */
export function isCarried(target: string, shipped: ReadonlySet<string>): boolean {
  if (shipped.has(target)) return true;
  for (const f of shipped) if (f.startsWith(`${target}/`)) return true;
  return false;
}
