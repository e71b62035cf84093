// The README's promises that a test can hold it to: it fits a first hour (short; the detail lives in
// docs/), its first screen gives the commands .ci/run and package.json actually have, and the input
// reference it links (docs/inputs.md) is the schema's.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { BEGIN, END, INPUTS_PAGE, renderInputReference, withFreshReference } from "../../docs/reference";
import { FIELD_NAMES } from "../../provider/task/fields";

const root = path.join(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const inputsPage = fs.readFileSync(path.join(root, INPUTS_PAGE), "utf8");

/** The committed README's input reference: the text between the markers, markers included. */
function committedReference(text: string): string {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  expect(start, `${INPUTS_PAGE} has the input-reference markers`).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return text.slice(start, end + END.length);
}

describe("input reference (docs/inputs.md)", () => {
  it("its committed input reference is a fresh rendering of the schema (run `npm run docs` when this fails)", () => {
    expect(committedReference(inputsPage)).toBe(renderInputReference());
  });

  it("its committed input reference has one row per schema property, in the schema's order", () => {
    const inputs = committedReference(inputsPage).split("Each `watermarkList` item:")[0];
    const names = [...inputs.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect(names).toEqual([...FIELD_NAMES]);
  });

  it("npm run docs rewrites only the reference: a stale table is replaced, the rest kept", () => {
    const stale = inputsPage.replace(renderInputReference(), `${BEGIN}\n| stale |\n${END}`);
    expect(stale).not.toBe(inputsPage);
    expect(withFreshReference(stale)).toBe(inputsPage);
  });
});

describe("README", () => {
  it("fits a first hour: under 280 lines, no generated reference, links the input reference", () => {
    expect(readme.split("\n").length).toBeLessThan(280);
    expect(readme).not.toContain(BEGIN);
    expect(readme).toContain("](docs/inputs.md)");
  });

  it("says Node 22 or newer, as package.json engines and the GitOps workflow do", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(pkg.engines.node).toBe(">=22");
    expect(readme).toMatch(/Node 22 LTS or newer/);
    expect(readme).not.toMatch(/Node 20/);
    const workflow = fs.readFileSync(path.join(root, "examples", "gitops", ".github", "workflows", "pulumi.yml"), "utf8");
    const versions = [...workflow.matchAll(/node-version: (\S+)/g)].map((m) => m[1]);
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions)).toEqual(new Set(["22"]));
  });

  it("walks the local demo through create, preview, a replacement and destroy with the commands that exist", () => {
    for (const cmd of ["css-pull-tasks validate", "npm start", "css-pull-tasks preview", "css-pull-tasks up", "css-pull-tasks destroy", "css-pull-tasks refresh"]) {
      expect(readme).toContain(cmd);
    }
    // Pulumi's own output is the real CLI's, checked line by line by test/engine/readme-walkthrough.test.ts.
    expect(readme).not.toMatch(/illustrative/i);
    expect(readme).toContain("npm run test:engine runs this walkthrough".replace("npm run test:engine", "`npm run test:engine`"));
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
