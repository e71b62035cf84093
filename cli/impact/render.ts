// Impacts → text: the one-line summary, a terminal table, Markdown for a PR comment, JSON. Every
// output goes through maskSecrets: a destination may be a toUrl with txSecret in it.
import { maskSecrets } from "../../provider/task/mask";
import { CATEGORIES, type Category, type Impact } from "./types";

const LABEL: Record<Category, string> = {
  refused: "refused",
  cut: "cut",
  restarted: "restarted",
  moved: "moved",
  paused: "paused",
  enabled: "enabled",
  created: "created",
  adopted: "adopted",
  "in-place": "changed in place",
};

export function counts(impacts: readonly Impact[]): Record<Category, number> {
  const out = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  for (const i of impacts) out[i.category] += 1;
  return out;
}

/** "2 streams cut, 1 restarted, 5 changed in place": worst first, the noun once. */
export function summary(impacts: readonly Impact[]): string {
  const n = counts(impacts);
  const parts = CATEGORIES.filter((c) => n[c] > 0).map((c) => `${n[c]} ${LABEL[c]}`);
  if (parts.length === 0) return "no stream changes";
  const [first, ...rest] = parts;
  const [count, ...words] = first.split(" ");
  return [`${count} ${count === "1" ? "stream" : "streams"} ${words.join(" ")}`, ...rest].join(", ");
}

const row = (i: Impact) => [LABEL[i.category], i.name, i.stream, i.fields.join(", ") || "-", i.what];
const HEADER = ["Impact", "Task", "Stream", "Fields", "What happens"];

export function renderTable(impacts: readonly Impact[]): string {
  const rows = [HEADER, ...impacts.map(row)];
  const widths = HEADER.map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
  const body = impacts.length > 0 ? `${rows.map(line).join("\n")}\n\n` : "";
  return maskSecrets(`${body}${summary(impacts)}\n`);
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function renderMarkdown(impacts: readonly Impact[]): string {
  const lines = [`### Stream impact: ${summary(impacts)}`, ""];
  if (impacts.length > 0) {
    lines.push(`| ${HEADER.join(" | ")} |`, `|${HEADER.map(() => "---").join("|")}|`);
    for (const i of impacts) {
      const [label, name, stream, fields, what] = row(i);
      const mark = i.category === "cut" ? `**${label}**` : label;
      lines.push(`| ${[mark, `\`${name}\``, cell(stream), cell(fields), cell(what)].join(" | ")} |`);
    }
    lines.push("");
  }
  return maskSecrets(`${lines.join("\n")}\n`);
}

export function renderJson(impacts: readonly Impact[]): string {
  const report = { summary: summary(impacts), counts: counts(impacts), tasks: impacts };
  return maskSecrets(`${JSON.stringify(report, null, 2)}\n`);
}
