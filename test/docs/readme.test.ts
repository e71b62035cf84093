// The README's promises that a test can hold it to: its input reference is the schema's, and its
// first screen gives the commands .ci/run and package.json actually have.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { BEGIN, END, renderInputReference, withFreshReference } from "../../docs/reference";
import { FIELD_NAMES } from "../../provider/task/fields";

const root = path.join(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

/** The committed README's input reference: the text between the markers, markers included. */
function committedReference(text: string): string {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  expect(start, "README.md has the input-reference markers").toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return text.slice(start, end + END.length);
}

describe("README", () => {
  it("its committed input reference is a fresh rendering of the schema (run `npm run docs` when this fails)", () => {
    expect(committedReference(readme)).toBe(renderInputReference());
  });

  it("its committed input reference has one row per schema property, in the schema's order", () => {
    const inputs = committedReference(readme).split("Each `watermarkList` item:")[0];
    const names = [...inputs.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect(names).toEqual([...FIELD_NAMES]);
  });

  it("npm run docs rewrites only the reference: a stale table is replaced, the rest kept", () => {
    const stale = readme.replace(renderInputReference(), `${BEGIN}\n| stale |\n${END}`);
    expect(stale).not.toBe(readme);
    expect(withFreshReference(stale)).toBe(readme);
  });

  it("its first screen gives npm ci, npm start and npm test, and .ci/run runs that test command", () => {
    const firstScreen = readme.split("\n").slice(0, 25).join("\n");
    for (const cmd of ["npm ci", "npm start", "npm test"]) expect(firstScreen).toContain(cmd);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(pkg.scripts.start).toBeTruthy();
    expect(pkg.scripts.test).toBeTruthy();
    const ci = fs.readFileSync(path.join(root, ".ci", "run"), "utf8");
    // Installed on Node 22, the suite run on Node 22 and on the machine's Node, the pack test once.
    expect(ci).toMatch(/-p node@22/);
    expect(ci).toMatch(/'npm ci\b/m);
    expect(ci).toMatch(/"\$\{NODE22\[@\]\}" 'npm test'/);
    expect(ci).toMatch(/^suite .* npm test$/m);
    expect(ci).toMatch(/'npm run test:pack'/);
  });
});
