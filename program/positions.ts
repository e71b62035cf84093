// Maps a path inside a parsed YAML document to the line and column a user should look at.
import type { Document, LineCounter, Node } from "yaml";

/**
 * `yaml`, loaded when a position is first needed: a clean file never needs one (tasks-file.ts), and
 * loading it is a fifth of such a validate.
 */
export function yamlLib(): typeof import("yaml") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("yaml") as typeof import("yaml");
}

export type Segment = string | number;

export interface Position {
  line: number;
  column: number;
  /** true when every segment of the path exists; false when we fell back to the closest parent. */
  exact: boolean;
  /** The node at the path, when exact. */
  node?: unknown;
}

interface Found {
  /** The offset to report: a map entry's key, a sequence item, or the node itself. */
  offset: number;
  depth: number;
  node: unknown;
}

// For a map entry the key is reported, not the value: for an unknown or misspelt property the key is
// the offending text, and for a bad value the key is still the field the user has to look at.
function step(node: unknown, seg: Segment): Found | undefined {
  const { isMap, isScalar, isSeq } = yamlLib();
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(key) === String(seg)) {
        const keyNode = pair.key as Node | null;
        const offset = keyNode?.range?.[0] ?? (pair.value as Node | null)?.range?.[0];
        if (offset === undefined) return undefined;
        return { offset, depth: 0, node: pair.value };
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === "number") {
    const item = node.items[seg] as Node | undefined;
    if (!item?.range) return undefined;
    return { offset: item.range[0], depth: 0, node: item };
  }
  return undefined;
}

/**
 * Walks `path` from `start` (a node of `doc`) as far as it exists. `anchor` is the offset reported when
 * not even the first segment exists (e.g. the task's own key for a missing required property).
 */
export function locate(start: unknown, path: Segment[], anchor: number, lines: LineCounter): Position {
  let node = start;
  let offset = anchor;
  let depth = 0;
  for (const seg of path) {
    const found = step(node, seg);
    if (!found) break;
    node = found.node;
    offset = found.offset;
    depth++;
  }
  const pos = lines.linePos(offset);
  const exact = depth === path.length;
  return { line: pos.line, column: pos.col, exact, ...(exact ? { node } : {}) };
}

/**
 * The first line of a plain value running over lines that reads as a list item (`- x`): a list item
 * indented deeper than the item above it, which YAML takes into that item's value.
 */
export function listItemContinuation(node: unknown, text: string, lines: LineCounter): Position | undefined {
  if (!yamlLib().isScalar(node) || node.type !== "PLAIN" || !node.range) return undefined;
  const [start, end] = node.range;
  const m = /\n([ \t]*)- /.exec(text.slice(start, end));
  if (!m) return undefined;
  const pos = lines.linePos(start + m.index + 1 + m[1].length);
  return { line: pos.line, column: pos.col, exact: true, node };
}

/** The offset of `key`'s key node inside the map at `path` of `doc`, or undefined. */
export function keyOffset(doc: Document, path: Segment[], key: string): number | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
  const found = step(parent, key);
  return found?.offset;
}

/** True when the map at `node` has an entry `key`. */
export function hasKey(node: unknown, key: Segment): boolean {
  return step(node, key) !== undefined;
}
