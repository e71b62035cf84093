// Statements the sources contradict must not come back: each line pins what the newest model or
// the package's own source says (docs/api-rules.md, css-api.md).
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8").replace(/\s+/g, " ");

describe("docs agree with the sources", () => {
  it("the destination: the newest Modify forbids only the source type; toUrl replaces for no gap", () => {
    const readme = read("README.md");
    expect(readme).not.toMatch(/cannot change the destination/);
    expect(readme).toMatch(/ModifyLivePullStreamTask cannot change the source type/);
    expect(read("docs/inputs.md")).toMatch(/the new destination gets no gap/);
  });

  it("ended tasks stay and count against the quota unless auto-cleanup is on", () => {
    expect(read("README.md")).not.toMatch(/deleted outside Pulumi or expired/);
    expect(read("docs/schedules.md")).toMatch(/An ended task does not disappear: .* counts against the task quota/);
    expect(read("README.md")).toMatch(/`InvalidParameter.TaskNumMoreThanLimit`/);
  });

  it("Terraform's restart resource, the two bridged packages, and the alarm types that are not events", () => {
    const tf = read("docs/coming-from-terraform.md");
    expect(tf).toMatch(/`tencentcloud_css_pull_stream_task_restart`/);
    expect(tf).not.toMatch(/tencentcloud_css_restart_push_task/);
    expect(tf).toMatch(/`@pulumi\/tencentcloud` on the Pulumi Registry \(resource `tencentcloud.CssPullStreamTask`\)/);
    expect(tf).toMatch(/`@tencentcloud_iac\/pulumi` \(resource `tencentcloud.Css.PullStreamTask`\)/);
    expect(tf).toMatch(/alarm types .*`PullFileUnstable`.* as if they were events/);
  });

  it("README states validate's warning format as validate prints it (file:line:column: path: warning: ...)", () => {
    const help = fs.readFileSync(path.join(root, "cli", "validate.ts"), "utf8");
    expect(help).toContain("file:line:column: path: warning: ...");
    expect(read("README.md")).toContain("warnings as `file:line:column: path: warning: ...`");
  });
});
