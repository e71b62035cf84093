// A tasks file's values without positions, fast: js-yaml reads a 1,000-task file in a sixth of the
// time `yaml` takes to build its document of positioned nodes, and a clean file needs no position.
// `yaml` stays the reference: its document is built whenever a problem must be located, and this
// reader gives up (undefined) wherever the two could differ, so both always agree on the values:
// - every plain scalar is resolved as `yaml`'s YAML 1.2 core-schema tags do (null, bool, int,
//   float; else a string), in their order; js-yaml's types are not used;
// - no tags, anchors, aliases or directives (a `!`, `&`, `*` after a separator, a `%` line), no
//   `<<` (a merge key to js-yaml's default schema, a plain key to `yaml`'s core schema), no
//   explicit or collection keys, no tab in an indentation, no `'#`;
// - no flow collection or quoted string over more than one line (`yaml` is stricter about their
//   indentation);
// - no key that `yaml` turns into a different string (a null key, a collection as a key), and no
//   line of 1,000 characters (yaml refuses a key over 1,024);
// - anything js-yaml refuses or warns about, and a document that is not a map.
import { load, FAILSAFE_SCHEMA, Type } from "js-yaml";

/**
 * YAML 1.2's core schema as `yaml` resolves a plain scalar (yaml/dist/schema/core/*.js), in its
 * order: the first test that matches gives the value, else it is a string. Written out, not taken
 * from `yaml`, which this fast path does not load (a fifth of its time); a test holds the table to
 * `yaml`'s own tags, test for test, value for value.
 */
export const CORE_SCALARS: { test: RegExp; value: (text: string) => unknown }[] = [
  { test: /^(?:~|[Nn]ull|NULL)?$/, value: () => null },
  { test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, value: (s) => s[0] === "t" || s[0] === "T" },
  { test: /^0o[0-7]+$/, value: (s) => parseInt(s.substring(2), 8) },
  { test: /^[-+]?[0-9]+$/, value: (s) => parseInt(s, 10) },
  { test: /^0x[0-9a-fA-F]+$/, value: (s) => parseInt(s.substring(2), 16) },
  {
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    value: (s) => (s.slice(-3).toLowerCase() === "nan" ? NaN : s[0] === "-" ? -Infinity : Infinity),
  },
  { test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, value: (s) => parseFloat(s) },
  { test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, value: (s) => parseFloat(s) },
];

// Each as a js-yaml implicit type under a private tag name: an explicit `!!int` is then unknown to
// js-yaml, which refuses it (and the caller falls back to `yaml`).
const SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: CORE_SCALARS.map(
    (scalar, i) =>
      new Type(`tag:css-pull-tasks,2026:core-${i}`, {
        kind: "scalar",
        resolve: (data: unknown) => typeof data === "string" && scalar.test.test(data),
        construct: (data: string) => scalar.value(data),
      }),
  ),
});

// A tag, anchor or alias starts a node: after whitespace, an indicator or the line's start. An
// explicit key (`? `), a collection as a key (`[a]: b`), a tab in a line's indentation (js-yaml
// takes it, `yaml` refuses it), a comment right after a quote or bracket (the same), an empty list
// item (`-` alone, `- -`: js-yaml may put the next item of an outer list into its list).
const ONLY_YAML = new RegExp(
  [
    /(?:^|[\s[\]{},:?-])[!&*]|^%|<</.source, // tags, anchors, aliases; directives; merge keys
    /(?:^|[\s[{,])\?(?:\s|$)|[\]}][ \t]*:/.source, // explicit keys; collections as keys
    /^ *\t|[\]}'"]#/.source, // a tab in an indentation; a comment right after a quote or bracket
    /(?:^|[ \t])-[ \t]*(?:#.*)?$/.source, // an empty list item
    // A null key (js-yaml writes "null", yaml ""); a line long enough for a key over yaml's limit.
    /(?:^|[\s{,-])(?:~|[Nn]ull|NULL)?[ \t]*:(?:[ \t]|$)|^[^\n]{1000}/.source,
  ].join("|"),
  "m",
);

/** The values of a one-document YAML map, or undefined where only `yaml` can tell them. */
export function quickValues(text: string): { value: unknown } | undefined {
  if (ONLY_YAML.test(text) || !singleLineFlowAndQuotes(text)) return undefined;
  let warned = false;
  let value: unknown;
  try {
    value = load(text, { schema: SCHEMA, onWarning: () => (warned = true) });
  } catch {
    return undefined;
  }
  // A tasks file is a map: the two readers differ on some top-level scalars and lists.
  if (warned || value === null || typeof value !== "object" || Array.isArray(value)) {
    return undefined;
  }
  return { value };
}

const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const HASH = 0x23;

/**
 * Every line closes the flow collections and double-quoted strings it opens. Brackets and quotes
 * in comments and plain text count too: such a file merely takes the slow path. A single quote
 * counts only at the start of a value (an apostrophe in plain text is common).
 */
function singleLineFlowAndQuotes(text: string): boolean {
  if (!/[[{"']/.test(text)) return true;
  let depth = 0;
  let quotes = 0;
  let single = false;
  let previous = 0x0a;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      if (depth !== 0 || quotes % 2 !== 0 || single) return false;
    } else if (single) {
      if (c === APOSTROPHE) single = false; // '' (an escaped quote) closes and opens again
    } else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === QUOTE) quotes++;
    else if (c === APOSTROPHE && quotes % 2 === 0 && isSeparator(previous)) single = true;
    else if (c === HASH && (previous === 0x20 || previous === 0x09 || previous === 0x0a) && quotes % 2 === 0) {
      // A comment runs to the end of the line: skip it, brackets and quotes included.
      const end = text.indexOf("\n", i);
      i = (end < 0 ? text.length : end) - 1;
      continue;
    }
    previous = c;
  }
  return depth === 0 && quotes % 2 === 0 && !single;
}

function isSeparator(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2c || c === 0x5b || c === 0x7b ||
    c === 0x3a || c === 0x2d;
}
