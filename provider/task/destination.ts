// Which stream a task pushes to. Two tasks must never push one stream, so a replacement deletes
// the old task first exactly when the old and new tasks share a destination. Identity is
// deliberately coarse (host and path only; scheme, port, query and pushArgs ignored): a signature
// or protocol change still pushes the same stream, and when in doubt the safe answer is "same".
import { TaskInputs } from "./types";
import { parseUrl } from "./urls";
import { containsUnknown } from "./unknown";

/** Destination identities of a task; null when one is not known yet (preview with unknowns). */
export function destinations(t: TaskInputs): Set<string> | null {
  const out = new Set<string>();
  const primary = [t.toUrl, t.domainName, t.appName, t.streamName];
  if (primary.some(containsUnknown) || containsUnknown(t.backupToUrl)) return null;
  if (t.toUrl !== undefined) out.add(urlIdentity(t.toUrl));
  else if (t.domainName !== undefined || t.appName !== undefined || t.streamName !== undefined)
    out.add(`${(t.domainName ?? "").toLowerCase()}/${t.appName ?? ""}/${t.streamName ?? ""}`);
  if (t.backupToUrl !== undefined) out.add(urlIdentity(t.backupToUrl));
  return out;
}

function urlIdentity(text: string): string {
  const url = parseUrl(text);
  if (!url) return text;
  const path = url.path.replace(/\/+$/, "");
  return `${url.host}${path.startsWith("/") ? path : `/${path}`}`;
}

/** True when the two tasks may push to a common stream (or that cannot be ruled out). */
export function shareDestination(a: TaskInputs, b: TaskInputs): boolean {
  const da = destinations(a);
  const db = destinations(b);
  if (da === null || db === null) return true;
  // State without a destination comes from an import that could not read toUrl: assume shared.
  if (da.size === 0 || db.size === 0) return true;
  for (const d of da) if (db.has(d)) return true;
  return false;
}
