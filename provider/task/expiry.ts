// Signatures that end before the task: a push or pull URL signed with an expiry (Tencent's txTime,
// hex Unix seconds; CloudFront-style `Expires`, decimal Unix seconds) that passes before endTime
// makes the task fail mid-broadcast. Create's ToUrl: "the signature time must exceed the task's end
// time, or the task fails when it expires". Reported as a warning naming the field, the expiry and
// the end, never the signature itself (the API cannot be asked, and a renewed URL may be coming).
import { formatTime } from "./time";

type Path = (string | number)[];

/** Fields whose URLs or query strings the task uses while it runs. */
const SIGNED_FIELDS = ["toUrl", "pushArgs", "backupToUrl", "sourceUrls", "backupSourceUrl", "backupVodUrl"];

/** Expiry parameters: name → how its value reads as Unix seconds. */
const EXPIRY_PARAMS: Readonly<Record<string, (v: string) => number | null>> = {
  txtime: (v) => (/^[0-9a-f]{1,12}$/i.test(v) ? parseInt(v, 16) : null),
  expires: (v) => (/^\d{9,12}$/.test(v) ? Number(v) : null),
};

/** The earliest expiry (ms) a URL or query string carries, or null. */
export function signatureExpiry(text: string): number | null {
  const query = text.includes("?") ? text.slice(text.indexOf("?") + 1) : text;
  let earliest: number | null = null;
  for (const pair of query.split(/[&;]/)) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    const read = EXPIRY_PARAMS[pair.slice(0, eq).toLowerCase()];
    const seconds = read?.(pair.slice(eq + 1));
    if (seconds !== null && seconds !== undefined && (earliest === null || seconds * 1000 < earliest)) {
      earliest = seconds * 1000;
    }
  }
  return earliest;
}

/**
 * Warns of each signed field whose expiry comes before `endMs` (the task's end, or for a rolling
 * schedule the end its next renewal gives). `what` names that end in the message.
 */
export function expiryWarnings(
  task: Record<string, unknown>,
  endMs: number,
  what: string,
  warn: (path: Path, reason: string) => void,
): void {
  for (const field of SIGNED_FIELDS) {
    const value = task[field];
    const items: [Path, unknown][] = Array.isArray(value) ? value.map((v, i) => [[field, i], v]) : [[[field], value]];
    for (const [path, text] of items) {
      if (typeof text !== "string") continue;
      const expiry = signatureExpiry(text);
      if (expiry === null || expiry >= endMs) continue;
      warn(
        path,
        `its signature expires at ${formatTime(expiry)}, before ${what} ${formatTime(endMs)}: the task fails ` +
          "from then; sign it to outlive the task's end",
      );
    }
  }
}
