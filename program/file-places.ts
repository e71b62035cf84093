// Where in a tasks file a problem is: `yaml`'s document of positioned nodes, built only when a
// problem or warning must be located (a clean file is judged on its values alone, yaml-values.ts).
import type { Document, LineCounter, YAMLError } from "yaml";
import type { Failure } from "../provider/task/types";
import { locate, keyOffset, hasKey, listItemContinuation, yamlLib, type Segment } from "./positions";

export interface Place {
  line: number;
  column: number;
}

/** Locates what the judgement of a tasks file reports. */
export interface Places {
  /** A file-level (shape) problem at `segs` from the document's root. */
  shape(segs: Segment[]): Place;
  /**
   * A task's failure or warning: in the task's own entry when its first segment is written there,
   * else in `defaults` when it came from there, else at the task's name (a missing property).
   */
  failure(name: string, f: Failure): Place & { inDefaults: boolean; reason: string };
  /** The entry `name` of the top-level map `top`. */
  entry(top: "tasks" | "imports", name: string): Place;
}

/** Thrown by UNPLACED: this judgement needs positions, so the document must be built. */
export class NeedsPlaces extends Error {}

/** For a judgement on values alone: the first problem or warning stops it. */
export const UNPLACED: Places = {
  shape: () => {
    throw new NeedsPlaces();
  },
  failure: () => {
    throw new NeedsPlaces();
  },
  entry: () => {
    throw new NeedsPlaces();
  },
};

export interface ParsedFile {
  /** YAML syntax problems, located; when there are any, `values` is not to be used. */
  syntax: (Place & { message: string })[];
  values: unknown;
  places: Places;
}

export function parseWithPlaces(text: string): ParsedFile {
  const { LineCounter, parseDocument } = yamlLib();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const places = documentPlaces(doc, lines, text);
  if (doc.errors.length > 0) return { syntax: syntaxProblems(doc, lines, text), values: undefined, places };
  return { syntax: [], values: doc.toJS(), places };
}

function documentPlaces(doc: Document, lines: LineCounter, text: string): Places {
  const at = (pos: { line: number; column: number }): Place => ({ line: pos.line, column: pos.column });
  return {
    shape: (segs) => at(locate(doc.contents, segs, doc.contents?.range?.[0] ?? 0, lines)),
    entry: (top, name) => at(locate(doc.get(top, true), [name], 0, lines)),
    // A value that took in a list item indented too deep is reported at that item's line, saying so.
    failure: (name, f) => {
      const taskNode = doc.getIn(["tasks", name], true);
      const defaultsNode = doc.get("defaults", true);
      const nameOffset = keyOffset(doc, ["tasks"], name) ?? 0;
      const first = f.path[0];
      const fromDefaults = yamlLib().isMap(defaultsNode) && hasKey(defaultsNode, first);
      const inDefaults = first !== undefined && !hasKey(taskNode, first) && fromDefaults;
      const pos = locate(inDefaults ? defaultsNode : taskNode, f.path, nameOffset, lines);
      const item = listItemContinuation(pos.node, text, lines);
      if (!item) return { line: pos.line, column: pos.column, inDefaults, reason: f.reason };
      const note = `line ${item.line} continues this value from line ${pos.line}: is it indented too deep?`;
      const reason = `${f.reason} (${note})`;
      return { line: item.line, column: item.column, inDefaults, reason };
    },
  };
}

function syntaxProblems(doc: Document, lines: LineCounter, text: string): (Place & { message: string })[] {
  const problems: (Place & { message: string })[] = [];
  const taken = new Set<YAMLError>();
  for (const e of doc.errors) {
    if (taken.has(e)) continue;
    const deep = e.code === "BLOCK_AS_IMPLICIT_KEY" ? tooDeep(e, doc.errors, lines, text) : undefined;
    if (deep) {
      taken.add(deep.multiline);
      problems.push({ line: deep.line, column: deep.column, message: deep.message });
      continue;
    }
    const pos = lines.linePos(e.pos[0]);
    problems.push({ line: pos.line, column: pos.col, message: `YAML: ${e.message.split("\n")[0]}` });
  }
  return problems;
}

/**
 * A line indented deeper than `key: value` above it continues that value, up to its own colon; yaml
 * reports it twice at the start of the value (a block map as an implicit key, a multi-line implicit
 * key, both from one offset). The mistake is the line of the colon: reported there, once.
 */
function tooDeep(
  block: YAMLError,
  errors: YAMLError[],
  lines: LineCounter,
  text: string,
): { line: number; column: number; message: string; multiline: YAMLError } | undefined {
  const multiline = errors.find((m) => m.code === "MULTILINE_IMPLICIT_KEY" && m.pos[0] === block.pos[0]);
  if (!multiline) return undefined;
  const above = lines.linePos(block.pos[0]).line;
  const line = lines.linePos(multiline.pos[1]).line;
  if (line <= above) return undefined;
  const lineStart = lines.lineStarts[line - 1];
  const column = 1 + (/^[ \t]*/.exec(text.slice(lineStart, lineStart + 200))?.[0].length ?? 0);
  const aboveStart = lines.lineStarts[above - 1];
  const key = /^[ \t]*(?:- +)?([^\s:#][^:#]*?)[ \t]*:[ \t]/.exec(text.slice(aboveStart, block.pos[0]))?.[1];
  const what = key === undefined ? `the value on line ${above}` : `the value of ${key} (line ${above})`;
  const message =
    `YAML: this line continues ${what}, and a plain value cannot hold "key: value": ` +
    "indent it as the keys of its map, or quote the value";
  return { line, column, message, multiline };
}
