// The Terraform provider's own acceptance test (TestAccTencentCloudCssPullStreamTaskResource_basic
// in tencentcloud/services/css/resource_tc_css_pull_stream_task_test.go), replayed with its values
// through Pulumi's real dynamic provider host against the emulator: create, one in-place Modify,
// then adoption with no diff (Terraform's import check ignores operator; ours needs no exception,
// since operator is not a task attribute).
import { describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { iso } from "../support/tasks";
import { hostedStack } from "../support/hosted";

const HOUR = 3600_000;

const t = hostedStack("test", {});

describe("the Terraform acceptance test's cases", () => {
  it("create, one in-place Modify, import with no diff", async () => {
    // Go's time.RFC3339 of a UTC time: whole seconds.
    const base = Math.floor((Date.now() + 10 * HOUR) / 1000) * 1000;
    const common = {
      sourceType: "PullLivePushLive",
      sourceUrls: ["rtmp://5000.liveplay.myqcloud.com/live/stream1"],
      domainName: "177154.push.tlivecloud.com",
      appName: "live",
      streamName: "tf_css_test_stream_name",
    };
    const step1 = { ...common, startTime: iso(base), endTime: iso(base + HOUR), operator: "tf_admin", comment: "This is a e2e test case." };
    const step2 = {
      ...common,
      startTime: iso(base + HOUR / 2),
      endTime: iso(base + 2 * HOUR),
      operator: "tf_admin_changed",
      comment: "This is a e2e test case_changed.",
    };

    const stack = new Stack(t.host, "tf", "replay");
    expect((await stack.up("pull_stream_task", step1)).op).toBe("create");
    const { id, outputs } = stack.state.get("pull_stream_task")!;
    // What Terraform checks after step 1.
    expect(outputs).toMatchObject({ appName: "live", streamName: "tf_css_test_stream_name", domainName: "177154.push.tlivecloud.com" });
    expect(outputs).toMatchObject({ comment: step1.comment, sourceType: "PullLivePushLive", startTime: step1.startTime, endTime: step1.endTime });
    for (const k of ["createTime", "updateTime", "createBy"]) expect(outputs[k], k).toEqual(expect.any(String));
    expect(t.emu.task(id)).toMatchObject({ Operator: "tf_admin", CreateBy: "tf_admin" });

    t.emu.clearRequests();
    const plan = await stack.up("pull_stream_task", step2);
    expect(plan.op).toBe("update");
    expect(plan.diff?.replaces).toEqual([]);
    const writes = t.emu.requests.filter((r) => r.action !== "DescribeLivePullStreamTasks");
    expect(writes.map((r) => r.action)).toEqual(["ModifyLivePullStreamTask"]);
    expect(writes[0].body).toEqual({
      TaskId: id,
      Operator: "tf_admin_changed",
      StartTime: step2.startTime,
      EndTime: step2.endTime,
      Comment: step2.comment,
    });
    expect(stack.state.get("pull_stream_task")).toMatchObject({ id, outputs: { comment: step2.comment, startTime: step2.startTime, endTime: step2.endTime } });
    expect(t.emu.task(id)).toMatchObject({ UpdateBy: "tf_admin_changed", Comment: step2.comment });

    // Adopted by a fresh stack (adoptTaskId: the engine's import cannot serve a dynamic resource),
    // the program unchanged: one no-op Modify (the comment as it is: only an accepted write shows
    // the task is there), then no diff (operator is not a task attribute).
    const adopted = new Stack(t.host, "tf-import", "replay");
    t.emu.clearRequests();
    expect((await adopted.up("pull_stream_task", { ...step2, adoptTaskId: id })).op).toBe("create");
    const again = await adopted.preview("pull_stream_task", step2);
    expect(again.check.failures).toEqual([]);
    expect(again.op).toBe("same");
    expect(adopted.state.get("pull_stream_task")!.outputs).toMatchObject({ ...common, startTime: step2.startTime, endTime: step2.endTime, comment: step2.comment });
    const adoptionWrites = t.emu.requests.filter((r) => r.action !== "DescribeLivePullStreamTasks");
    expect(adoptionWrites.map((r) => r.body)).toEqual([{ TaskId: id, Operator: `${step2.operator} (adoptTaskId)`, Comment: step2.comment }]);
    // And importing with another operator is still no change.
    const other = await adopted.preview("pull_stream_task", { ...step2, operator: "someone_else" });
    expect(other.op).toBe("same");
    // Terraform's ImportState reads the task with no configuration at all: for Pulumi that is the
    // native plugin's `pulumi import` (test/plugin/import-diff.test.ts).
  });
});
