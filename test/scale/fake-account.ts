// An in-memory account answering the two Describe shapes the coalescer uses, sorted like the API
// (update time, newest first), with call counts and hooks to change tasks between calls.
import type { DescribeClient, TaskInfo } from "../../provider/reads/coalesce";

/** One second per change, in order (the API's UpdateTime has whole seconds). */
export const updateTime = (seq: number): string => new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString().replace(/\.\d+Z$/, "Z");

export interface FakeCall {
  kind: "page" | "single";
  region?: string;
  page?: number;
  taskId?: string;
}

export class FakeAccount implements DescribeClient {
  constructor(opts: { writes?: number } = {}) {
    if (opts.writes !== undefined) this.writesInFlight = () => opts.writes!;
  }

  private seq = 0;
  private readonly tasks = new Map<string, { info: TaskInfo; seq: number; region: string }>();
  readonly calls: FakeCall[] = [];
  /** Runs after a page's rows are taken and before the reply: lets a test change tasks mid-listing. */
  afterPage?: (page: number) => void;
  /** Makes a call fail (e.g. a non-retryable API error). */
  failWith?: (call: FakeCall) => Error | undefined;
  /** Listing requests wait for it before they are sent, as behind the client's limiter. */
  gate?: Promise<void>;

  add(count: number, region = "ap-guangzhou", prefix = "task"): string[] {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `${prefix}-${region}-${this.tasks.size}`;
      const seq = ++this.seq;
      this.tasks.set(id, { info: { TaskId: id, Comment: "v0", UpdateTime: updateTime(seq) } as TaskInfo, seq, region });
      ids.push(id);
    }
    return ids;
  }

  /** A change made outside: the task moves to the top of the listing, as on the API. */
  modify(id: string, comment: string): void {
    const t = this.tasks.get(id)!;
    t.seq = ++this.seq;
    t.info = { ...t.info, Comment: comment, UpdateTime: updateTime(t.seq) };
  }

  remove(id: string): void {
    this.tasks.delete(id);
  }

  count(kind: FakeCall["kind"]): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }

  private async reply<T>(call: FakeCall, answer: () => T): Promise<T> {
    this.calls.push(call);
    await new Promise((r) => setImmediate(r));
    const err = this.failWith?.(call);
    if (err) throw err;
    return answer();
  }

  writesInFlight?(): number;

  async describeTasks(req: { PageNum?: number; PageSize?: number }, opts?: { region?: string; onSend?: () => void }) {
    const region = opts?.region ?? "ap-guangzhou";
    const page = req.PageNum ?? 1;
    const size = req.PageSize ?? 10;
    await this.gate;
    opts?.onSend?.();
    return this.reply({ kind: "page", region, page }, () => {
      const sorted = [...this.tasks.values()].filter((t) => t.region === region).sort((a, b) => b.seq - a.seq);
      const rows = sorted.slice((page - 1) * size, page * size).map((t) => ({ ...t.info }));
      this.afterPage?.(page);
      return { TaskInfos: rows, TotalNum: sorted.length };
    });
  }

  describeTask(taskId: string, opts?: { region?: string }) {
    const region = opts?.region ?? "ap-guangzhou";
    return this.reply({ kind: "single", region, taskId }, () => {
      const t = this.tasks.get(taskId);
      return t && t.region === region ? { ...t.info } : undefined;
    });
  }
}
