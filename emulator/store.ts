// The emulator's task table. Tasks keep every field sent (including the write-only ones Describe
// never returns) so tests can see what a client really wrote.
import type { WatermarkInfo } from "./rules";

export interface StoredTask {
  TaskId: string;
  SpecifyTaskId: string;
  Region: string;
  SourceType: string;
  SourceUrls: string[];
  DomainName: string;
  AppName: string;
  StreamName: string;
  ToUrl: string;
  PushArgs: string;
  StartTime: string;
  EndTime: string;
  Status: string;
  VodLoopTimes: number;
  VodRefreshType: string;
  CallbackEvents: string[];
  CallbackUrl: string;
  ExtraCmd: string;
  Comment: string;
  FileIndex?: number;
  OffsetTime?: number;
  BackupSourceType: string;
  BackupSourceUrl: string;
  BackupToUrl: string;
  /** Modify-only pad file (never returned by Describe). Absent in state files of older versions. */
  BackupVodUrl?: string;
  WatermarkList: WatermarkInfo[];
  VodLocalMode: number;
  RecordTemplateId: string;
  TranscodeTemplateName: string;
  Operator: string;
  CreateBy: string;
  UpdateBy: string;
  CreateTime: string;
  UpdateTime: string;
  /** Monotonic: orders tasks updated within the same second. */
  UpdateSeq: number;
  RestartCount: number;
  /** Every RestartLivePullStreamTask applied to the task, oldest first. */
  Restarts?: { Time: string; Operator: string }[];
}

export interface StoreSnapshot {
  nextId: number;
  seq: number;
  tasks: StoredTask[];
}

/** Task ids look like Tencent's: decimal strings. They are never reused, even after a reset. */
const FIRST_ID = 1_000_001;

export class TaskStore {
  private tasks = new Map<string, StoredTask>();
  private nextId = FIRST_ID;
  private seq = 0;

  get size(): number {
    return this.tasks.size;
  }

  newId(): string {
    return String(this.nextId++);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  get(taskId: string): StoredTask | undefined {
    return this.tasks.get(taskId);
  }

  bySpecifyTaskId(specifyTaskId: string): StoredTask | undefined {
    for (const t of this.tasks.values()) if (t.SpecifyTaskId === specifyTaskId) return t;
    return undefined;
  }

  put(task: StoredTask): void {
    this.tasks.set(task.TaskId, task);
  }

  delete(taskId: string): boolean {
    return this.tasks.delete(taskId);
  }

  /** Copies in creation order; callers may not mutate the store through them. */
  all(): StoredTask[] {
    return [...this.tasks.values()].map((t) => structuredClone(t));
  }

  /** Live objects, newest update first (ties broken by the update sequence). */
  newestFirst(): StoredTask[] {
    return [...this.tasks.values()].sort((a, b) =>
      a.UpdateTime === b.UpdateTime ? b.UpdateSeq - a.UpdateSeq : a.UpdateTime < b.UpdateTime ? 1 : -1,
    );
  }

  clear(): void {
    this.tasks.clear();
  }

  snapshot(): StoreSnapshot {
    return { nextId: this.nextId, seq: this.seq, tasks: this.all() };
  }

  restore(s: StoreSnapshot): void {
    this.tasks = new Map(s.tasks.map((t) => [t.TaskId, t]));
    this.nextId = Math.max(s.nextId, FIRST_ID);
    this.seq = s.seq;
  }
}
