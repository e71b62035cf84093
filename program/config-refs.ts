// `${config:KEY}` in a tasks-file string: the value (or part of it) comes from Pulumi stack config
// as a secret, so push-auth query strings (txSecret, txTime) need not be committed to git.
//   toUrl: "rtmp://push.example.com/live/main?${config:mainPushAuth}"
//   pulumi config set --secret mainPushAuth "txSecret=...&txTime=..."
// KEY is `name` (the project's namespace) or `namespace:name`.

const REF = /\$\{config:([A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)?)\}/g;

const HAS_REF = new RegExp(REF.source);

// Called for every string of every task a tasks file holds: one regex, no copy of it per call.
export function hasConfigRef(text: string): boolean {
  return text.includes("${config:") && HAS_REF.test(text);
}

/** Literal text and config keys, in order: "a${config:k}b" → ["a", {key: "k"}, "b"]. */
export function splitConfigRefs(text: string): (string | { key: string })[] {
  const parts: (string | { key: string })[] = [];
  let last = 0;
  for (const m of text.matchAll(REF)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ key: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Deep copy of `value` with every string holding a reference replaced by `replace(text)`. */
export function mapConfigRefs<T>(value: unknown, replace: (text: string) => T): unknown {
  if (typeof value === "string") return hasConfigRef(value) ? replace(value) : value;
  if (Array.isArray(value)) return value.map((v) => mapConfigRefs(v, replace));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapConfigRefs(v, replace)]));
  }
  return value;
}

/** Whether any string in `value` holds a reference (no copy made: most tasks hold none). */
export function holdsConfigRef(value: unknown): boolean {
  if (typeof value === "string") return hasConfigRef(value);
  if (Array.isArray(value)) return value.some(holdsConfigRef);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsConfigRef);
  return false;
}
