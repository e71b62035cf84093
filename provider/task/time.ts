// Time and duration parsing. The API takes UTC times to the second (`2019-01-08T10:00:00Z`);
// users may write any ISO 8601 offset and milliseconds. Milliseconds are TRUNCATED (not
// rounded): `10:00:00.999Z` becomes `10:00:00Z`, so a value never moves past its next second.

const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Parses an ISO 8601 date-time with a zone (Z or ±HH:MM / ±HHMM). Returns epoch ms truncated to the
 * second, or null.
 */
export function parseTime(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  // Every check and diff parses each time: no array or Date per call.
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (day > daysIn(year, month)) return null;
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  return local - offsetMinutes * 60_000;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1];
}

/** Formats epoch ms as the API's canonical `YYYY-MM-DDTHH:MM:SSZ` (seconds truncated). */
export function formatTime(ms: number): string {
  const text = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  // `YYYY-MM-DDTHH:MM:SS.000Z`; past year 9999 it is the extended `+YYYYYY-…` form.
  return text.length === 24 ? `${text.slice(0, 19)}Z` : text.replace(/\.\d{3}Z$/, "Z");
}

/** Canonical UTC form of an ISO 8601 time, or null when it is not one. */
export function canonicalTime(text: string): string | null {
  const ms = parseTime(text);
  if (ms === null) return null;
  // Already `YYYY-MM-DDTHH:MM:SSZ` (valid, no fraction, no offset): its own canonical form.
  if (text.length === 20 && text[10] === "T" && text[19] === "Z") return text;
  return formatTime(ms);
}

const DURATION = /^(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses "7d", "36h", "90m", "3600s" or combinations in that order ("1d12h") to ms, or null. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text);
  if (!m) return null;
  const [d, h, min, s] = [1, 2, 3, 4].map((i) => Number(m[i] ?? 0));
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
}
