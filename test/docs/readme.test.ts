// The README's promises that a test can hold it to: its input reference is the schema's, and its
// first screen gives the commands .ci/run and package.json actually have.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { renderInputReference, withFreshReference } from "../../docs/reference";
import { FIELD_NAMES } from "../../provider/task/fields";

const root = path.join(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

describe("README", () => {
  it("has an input reference equal to a fresh rendering of the schema (run `npm run docs` when this fails)", () => {
    expect(withFreshReference(readme)).toBe(readme);
  });

  it("the reference has one row per schema property", () => {
    const table = renderInputReference();
    for (const name of FIELD_NAMES) expect(table).toContain(`| \`${name}\` |`);
  });

  it("its first screen gives npm ci, npm start and npm test, and .ci/run runs that test command", () => {
    const firstScreen = readme.split("\n").slice(0, 25).join("\n");
    for (const cmd of ["npm ci", "npm start", "npm test"]) expect(firstScreen).toContain(cmd);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(pkg.scripts.start).toBeTruthy();
    expect(pkg.scripts.test).toBeTruthy();
    const ci = fs.readFileSync(path.join(root, ".ci", "run"), "utf8");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test\b/m);
  });
});
