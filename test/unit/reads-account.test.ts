// The region listing Create's shared-destination check reads (provider/reads/account.ts): served
// only by a listing whose first page went out after the call, shared by callers that came before
// it went out, whole the first time and only the changed pages (newest first) after.
import { describe, expect, it } from "vitest";
import { createAccountView } from "../../provider/reads/account";
import type { DescribeClient, TaskInfo } from "../../provider/reads/types";

const at = (s: number) => new Date(Date.parse("2026-12-07T12:00:00Z") + s * 1000).toISOString().slice(0, 19) + "Z";

/** An account of `n` tasks, newest first, task i updated at second i; pages of `size`. */
function account(n: number, size = 20) {
  let tasks: TaskInfo[] = Array.from({ length: n }, (_, i) => ({ TaskId: `t${i}`, SourceType: "PullLivePushLive", UpdateTime: at(i) }) as TaskInfo);
  const asked: number[] = [];
  let gate: Promise<void> | undefined;
  const client: DescribeClient = {
    async describeTasks(req, opts) {
      await gate;
      opts?.onSend?.();
      asked.push(req.PageNum ?? 1);
      const sorted = [...tasks].sort((a, b) => Date.parse(b.UpdateTime!) - Date.parse(a.UpdateTime!));
      const page = req.PageNum ?? 1;
      return { TaskInfos: sorted.slice((page - 1) * size, page * size), TotalNum: sorted.length };
    },
    async describeTask() {
      return undefined;
    },
  };
  return {
    client,
    asked,
    write(id: string, second: number) {
      tasks = [...tasks.filter((t) => t.TaskId !== id), { TaskId: id, SourceType: "PullLivePushLive", UpdateTime: at(second) } as TaskInfo];
    },
    remove(id: string) {
      tasks = tasks.filter((t) => t.TaskId !== id);
    },
    hold() {
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

describe("the region listing of Create's shared-destination check", () => {
  it("reads every page the first time, then only the pages down to the last listing's second", async () => {
    const a = account(95);
    // The API's earliest second when the first page went out: after every task so far.
    let clock = 100;
    const view = createAccountView(a.client, () => Date.parse(at(clock)));
    expect((await view.list("r", [])).length).toBe(95);
    expect(a.asked.sort()).toEqual([1, 2, 3, 4, 5]);
    a.asked.length = 0;
    a.write("new1", 101);
    // This process created to stream x since: its next Create to x needs a listing sent later.
    view.created("r", ["x"]);
    clock = 102;
    const rows = await view.list("r", ["x"]);
    expect(rows.map((t) => t.TaskId)).toContain("new1");
    expect(a.asked).toEqual([1]);
  });

  it("follows the changes down past page 1 when more than a page changed since", async () => {
    const a = account(60);
    let clock = 100;
    const view = createAccountView(a.client, () => Date.parse(at(clock)));
    await view.list(undefined, []);
    for (let i = 0; i < 25; i++) a.write(`n${i}`, 101);
    view.created(undefined, ["x"]);
    clock = 102;
    a.asked.length = 0;
    const rows = await view.list(undefined, ["x"]);
    expect(rows.filter((t) => t.TaskId.startsWith("n"))).toHaveLength(25);
    expect(a.asked).toEqual([1, 2]);
  });

  it("keeps rows of deleted tasks (the caller confirms by TaskId) and the newer row of a task", async () => {
    const a = account(3);
    let clock = 10;
    const view = createAccountView(a.client, () => Date.parse(at(clock)));
    await view.list("r", []);
    a.remove("t0");
    a.write("t1", 11);
    view.created("r", ["x"]);
    clock = 12;
    const rows = await view.list("r", ["x"]);
    expect(rows.map((t) => t.TaskId).sort()).toEqual(["t0", "t1", "t2"]);
    expect(rows.find((t) => t.TaskId === "t1")!.UpdateTime).toBe(at(11));
  });

  it("callers that come before the first page goes out share it", async () => {
    const a = account(1);
    const view = createAccountView(a.client, () => Date.parse(at(50)));
    const release = a.hold();
    const first = [view.list("r", ["s"]), view.list("r", ["s"]), view.list("r", ["s"])];
    release();
    await Promise.all(first);
    expect(a.asked).toEqual([1]);
  });

  it("after this process's Create to a stream, a caller to that stream gets a listing sent later; others share the last", async () => {
    const a = account(1);
    const view = createAccountView(a.client, () => Date.parse(at(50)));
    await view.list("r", ["push.example.com/live/a"]);
    a.write("ours", 60);
    view.created("r", ["push.example.com/live/a"]);
    // Another stream, within MAX_AGE_MS of the last listing: served by it, no page.
    expect((await view.list("r", ["push.example.com/live/b"])).map((t) => t.TaskId)).not.toContain("ours");
    expect(a.asked).toEqual([1]);
    // The stream just created: a new listing, which shows the task.
    expect((await view.list("r", ["push.example.com/live/a"])).map((t) => t.TaskId)).toContain("ours");
    expect(a.asked).toEqual([1, 1]);
  });

  it("a task this process deleted is dropped from the rows", async () => {
    const a = account(2);
    const view = createAccountView(a.client, () => Date.parse(at(10)));
    await view.list("r", []);
    a.remove("t0");
    view.deleted("r", "t0");
    expect((await view.list("r", [])).map((t) => t.TaskId)).toEqual(["t1"]);
  });

  it("a failed listing fails its callers; the next call lists again from the last good one", async () => {
    const a = account(2);
    let fail = true;
    const client: DescribeClient = {
      ...a.client,
      describeTasks: (req, opts) => (fail ? Promise.reject(new Error("outage")) : a.client.describeTasks(req, opts)),
    };
    const view = createAccountView(client, () => Date.parse(at(10)));
    await expect(view.list("r", [])).rejects.toThrow("outage");
    fail = false;
    expect((await view.list("r", [])).length).toBe(2);
  });
});
