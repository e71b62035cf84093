// `css-pull-tasks impact` names what `up` will refuse, on the REAL `pulumi preview --json`: a tasks.yaml
// key renamed without renamedFrom plans the new key's Create and the old key's Delete, and the Create
// is refused while the old task pushes the stream (issue 23). Both are reported `refused`, the PR
// check (--fail-on cut) fails, and the `up` that follows fails as predicted, leaving the task running.
// Its Markdown is test/fixtures/impact/refused.md (UPDATE_IMPACT_FIXTURES=1 rewrites it).
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, rootStackSpec, stacksOfEachTest, tasksYaml } from "./support/cli";
import { relay } from "./support/tasks";
import { classify } from "../../cli/impact/classify";
import { parsePreview } from "../../cli/impact/parse";
import { renderMarkdown, summary } from "../../cli/impact/render";

const GOLDEN = path.join(ROOT, "test/fixtures/impact/refused.md");
const stacks = stacksOfEachTest();

describe("impact of a rename without renamedFrom, through the real CLI", () => {
  it("both steps refused; up then fails before any write and the old task keeps pushing", async () => {
    // Fixed times (far ahead) so the golden does not move between runs.
    const studio = relay("studio", { startTime: "2030-01-01T00:00:00Z", endTime: "2030-01-03T00:00:00Z" });
    const stack = await stacks.create(rootStackSpec(tasksYaml({ studio })));
    await stack.up();
    const [running] = stack.tasks();
    stack.writeFile("tasks.yaml", tasksYaml({ "main-stage": studio }));

    const preview = await stack.must(["preview", "--json"]);
    const impacts = classify(parsePreview(JSON.parse(preview.stdout) as unknown));
    expect(impacts.map((i) => [i.category, i.name])).toEqual([["refused", "main-stage"], ["refused", "studio"]]);
    expect(summary(impacts)).toBe("2 streams refused");
    const md = renderMarkdown(impacts);
    if (process.env.UPDATE_IMPACT_FIXTURES === "1") fs.writeFileSync(GOLDEN, md);
    expect(md).toBe(fs.readFileSync(GOLDEN, "utf8"));

    stack.emulator.clearRequests();
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toContain(`is already pushed by task ${running.TaskId}`);
    expect(stack.tasks().map((t) => t.TaskId)).toEqual([running.TaskId]);
    expect(stack.emulator.requests.filter((r) => !r.action.startsWith("Describe"))).toEqual([]);
  });
});
