// The GitOps workflow's stream-impact check: the Markdown as a PR comment, and a cut stream fails the
// check unless the PR carries the allow-stream-cut label (whose adding re-runs the job).
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";

const FILE = path.resolve(__dirname, "../../examples/gitops/.github/workflows/pulumi.yml");
const workflow = () => parse(fs.readFileSync(FILE, "utf8"));
type Step = { name?: string; uses?: string; run?: string; if?: string };

describe("GitOps workflow: stream impact", () => {
  const steps = () => workflow().jobs.preview.steps as Step[];

  test("the preview job comments the impact Markdown of the preview's JSON, after the CLI is installed", () => {
    const markdown = "css-pull-tasks impact --file preview.json --format markdown";
    const i = steps().findIndex((s) => (s.run ?? "").includes(markdown));
    expect(i).toBeGreaterThan(steps().findIndex((s) => s.uses?.startsWith("pulumi/actions@")));
    const run = steps()[i].run as string;
    expect(run).toContain("pulumi preview --json");
    expect(run.indexOf("tencentcloud-oidc-token.sh")).toBeLessThan(run.indexOf("pulumi preview --json"));
    expect(run).toMatch(/gh pr comment .* --body-file impact\.md/);
  });

  test("a cut fails the check unless the PR is labelled allow-stream-cut; labelling re-runs it", () => {
    const gate = steps().find((s) => (s.run ?? "").includes("--fail-on cut")) as Step;
    expect(gate.if).toContain("!contains(github.event.pull_request.labels.*.name, 'allow-stream-cut')");
    expect(workflow().on.pull_request.types).toEqual(expect.arrayContaining(["labeled", "unlabeled", "synchronize"]));
  });
});
