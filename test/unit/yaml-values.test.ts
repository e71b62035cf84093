// The fast reader of a tasks file's values agrees with `yaml`, the reference, whenever it answers:
// same values, and only for text `yaml` reads without an error. Where it does not answer, the
// caller builds `yaml`'s document, so a wrong "undefined" costs time and a wrong value costs truth.
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Document, isScalar, parseDocument } from "yaml";
import { CORE_SCALARS, quickValues } from "../../program/yaml-values";

/** What `yaml` reads: its values, or undefined when it reports an error. */
function reference(text: string): { value: unknown } | undefined {
  try {
    const doc = parseDocument(text, { prettyErrors: false });
    if (doc.errors.length > 0) return undefined;
    return { value: doc.toJS() };
  } catch {
    return undefined;
  }
}

function agrees(text: string): void {
  const quick = quickValues(text);
  if (quick === undefined) return;
  const ref = reference(text);
  expect(ref, `yaml refuses what the fast reader accepted:\n${text}`).toBeDefined();
  expect(quick.value, text).toStrictEqual(ref!.value);
}

const EDGES = [
  "",
  "# only a comment\n",
  "a: 1\n",
  "a: 1.50\nb: 0o17\nc: 0x1F\nd: 017\ne: 0b11\nf: 1e3\ng: .inf\nh: -.Inf\ni: .nan\nj: +12\nk: 1_000\n",
  "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nul\n",
  "a: true\nb: True\nc: TRUE\nd: yes\ne: no\nf: on\ng: tRUE\n",
  "a: 2026-01-08T10:00:00Z\nb: 2026-01-08\nc: 12:30:00\n",
  "a: 12345678901234567890\nb: -0\nc: 00\n",
  "1: a\n2.0: b\ntrue: c\n",
  "~: a\n",
  "null: a\n",
  "'': a\n",
  '"": a\n',
  "[a, b]: c\n",
  "{a: 1}: c\n",
  "? a\n: b\n",
  "? [a]\n: b\n",
  "a: b\na: c\n",
  "1: a\n'1': b\n",
  "a:\n  - 1\n  - two\n  -\n  - [x, y]\n  - {k: v}\n",
  "a: [1, 2,]\nb: {x: 1,}\nc: []\nd: {}\n",
  "a: [1,\n  2]\n",
  "a: [1,\n2]\n",
  "a:\n  b: [1,\n  2]\n",
  "a: {x: 1,\n y: 2}\n",
  'a: "x\n  y"\n',
  'a: "x\ny"\n',
  "k:\n  a: 'x\n  y'\n",
  "k:\n  a: 'x\ny'\n",
  "a: 'it''s'\nb: \"q\\\"q\"\nc: \"\\u00e9\\t\\x41\\/\"\n",
  'a: "\\q"\n',
  "a: plain # comment\nb: plain#not\nc: 'q'#c\n",
  "a: |\n  line 1\n  line 2\nb: >\n  folded\n  text\n\n  para\nc: |-\n  x\nd: |+\n  y\n\ne: x\n",
  "a: |2\n   indented\n",
  "a: multi\n  line\n  plain\n",
  "a: multi\n\n  blank\n",
  "a:\tb\n",
  "a:\n\tb: 1\n",
  "a: b\n\t# tab comment\n",
  "a: &x 1\nb: *x\n",
  "a: !!str 1\n",
  "a: !custom 1\n",
  "%YAML 1.1\n---\na: yes\n",
  "<<: {a: 1}\nb: 2\n",
  "---\na: 1\n...\n",
  "---\na: 1\n---\nb: 2\n",
  "a: b: c\n",
  "a:\n  b: 1\n    c: 2\n",
  "a:\n  b: 1\n c: 2\n",
  "- a\n- b\n",
  "a: -1\nb: - 1\n",
  "a: @x\n",
  "a: `x\n",
  "a: %x\n",
  "a: x%y\n",
  "a: \"unterminated\n",
  "__proto__: {x: 1}\n",
  "a: {__proto__: 1}\n",
  "a: 'x' y\n",
  "a: \"x\" y\n",
  "a: [b, c] d\n",
  "a:\n- b\n- c\n",
  "a:\r\n  b: 1\r\n",
  "\ufeffa: 1\n",
  "a: \u0007\n",
  "a: x\u2028y\n",
  `${"k".repeat(1100)}: v\n`,
  "a: ? b\n",
  "a:\n  ? b\n  : c\n",
  "a: b:\n",
  "a:b\n",
  "a : b\n",
  "'a' : b\n",
  '{"a":1}\n',
  '{"a":"b"}\n',
  "[a, b]\n",
  "plain\n",
  "a: {b: [c, {d: e}]}\n",
  "a: ,x\n",
  "a: x,\n",
  "a: [x]]\n",
  "a: \"x\" # \"\n",
  "a: 'x # y'\nb: \"[\"\n",
];

describe("the fast YAML reader", () => {
  it("resolves plain scalars with yaml's own core-schema tests, in yaml's order, to yaml's values", () => {
    type Tag = { test?: RegExp; resolve: (s: string, e: () => void, o: object) => unknown };
    const tags = (new Document().schema.tags as unknown as Tag[]).filter((t) => t.test !== undefined);
    expect(CORE_SCALARS.map((c) => c.test.source)).toEqual(tags.map((t) => t.test!.source));
    const samples = ["", "~", "null", "NULL", "true", "False", "0o17", "-0", "+12", "007", "0x1F", ".inf", "-.Inf",
      ".NaN", "1e3", "-1.5E-2", ".5", "1.", "1.50", "12345678901234567890"];
    for (const s of samples) {
      const i = tags.findIndex((t) => t.test!.test(s));
      expect(i, s).toBeGreaterThanOrEqual(0);
      const theirs = tags[i].resolve(s, () => undefined, { intAsBigInt: false });
      expect(CORE_SCALARS[i].value(s), s).toStrictEqual(isScalar(theirs) ? theirs.value : theirs);
    }
  });

  it("agrees with yaml on every edge case it answers", () => {
    const disagreements = EDGES.filter((text) => {
      try {
        agrees(text);
        return false;
      } catch {
        return true;
      }
    });
    expect(disagreements).toEqual([]);
  });

  it("answers for the files this project writes: the sample, the examples and a generated big file", () => {
    const root = path.resolve(__dirname, "../..");
    const files = [path.join(root, "tasks.yaml")];
    const examples = path.join(root, "examples");
    for (const dir of fs.readdirSync(examples)) {
      const candidate = path.join(examples, dir, "tasks.yaml");
      if (fs.existsSync(candidate)) files.push(candidate);
    }
    for (const f of files) {
      const text = fs.readFileSync(f, "utf8");
      expect(quickValues(text), f).toBeDefined();
      agrees(text);
    }
  });

  it("declines tags, anchors, aliases, directives and merge keys, which only yaml reads as this project does", () => {
    for (const text of ["a: &x 1\nb: *x\n", "a: !!int 1\n", "%YAML 1.1\n---\na: yes\n", "<<: {a: 1}\n"]) {
      expect(quickValues(text), text).toBeUndefined();
    }
  });

  it("agrees with yaml on generated YAML-like text", () => {
    const key = fc.constantFrom("a", "b", "sourceUrls", "'q'", '"d q"', "1", "~", "true", "k k", "a-b", "x.y");
    const scalar = fc.constantFrom(
      "1", "-2", "0o7", "0x1f", "1.5", "1e3", ".inf", ".NaN", "~", "null", "", "true", "False", "yes",
      "plain text", "a#b", "a #c", "'s q'", "'it''s'", '"d\\"q"', '"\\u0041"', "[1, 2]", "{x: 1}", "[]",
      "2026-01-01T00:00:00Z", "rtmp://h/a?x=1&y=2", "- x", "x: y", "|", ">-", "'", '"', "[", "]", "{", "}",
      "@x", "`x", "%x", "!x", "&x", "*x", "a: b: c", "\t", "'q'#c", "[x]#c", '"q"x', "'q' x", "[x] y", "x\ty",
      "-", "- - x", "? x", "x ? y", ": x", "a, b", "{a, b}", "[a: b]", "{a: [b, c]}", '"a\\', "'a\\'", "x #", "- -", "- - -", "-  ", "k:", "- k:", "k: -", "- k: v",
    );
    const indent = fc.constantFrom("", " ", "  ", "   ", "    ", "\t", "  \t");
    const line = fc.oneof(
      fc.tuple(indent, key, scalar).map(([i, k, v]) => `${i}${k}: ${v}`),
      fc.tuple(indent, key).map(([i, k]) => `${i}${k}:`),
      fc.tuple(indent, scalar).map(([i, v]) => `${i}- ${v}`),
      fc.tuple(indent, scalar).map(([i, v]) => `${i}${v}`),
      fc.tuple(indent, fc.constantFrom("# c", "#", "# [ ' \"")).map(([i, c]) => `${i}${c}`),
      fc.constant(""),
      fc.constant("---"),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.boolean(), (lines, crlf, nest) => {
        agrees((nest ? ["tasks:", ...lines] : lines).join(crlf ? "\r\n" : "\n") + "\n");
      }),
      { numRuns: 3000, seed: Number(process.env.YAML_FUZZ_SEED ?? 24) },
    );
  });
});
