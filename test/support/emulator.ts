// One CSS API emulator per test file, behind a small recording proxy.
//
// The proxy exists for what the emulator's random fault injector cannot express: "the NEXT
// ModifyLivePullStreamTask fails" or "the response to the NEXT Create is lost" (per-action,
// deterministic), and "which fields did that Modify carry" (the emulator stores tasks and counts
// calls, but does not keep request bodies). Requests are forwarded byte for byte with their Host
// header, so the emulator still verifies the client's TC3 signature.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator, type EmulatorOptions, type RunningEmulator, type StoredTask } from "../../emulator";
import { taskInfo } from "../../emulator/view";

export const EMULATOR_SECRET_ID = "AKIDEMULATOR";
export const EMULATOR_SECRET_KEY = "emulator-secret-key";

/**
 * - `error`: answered by the proxy with an API error envelope (`code`), never reaches the emulator.
 * - `reset`: the connection is closed before forwarding (not applied, the client cannot know).
 * - `lost-response`: forwarded and applied, then the connection is closed before the answer.
 * - `timeout`: forwarded and applied, the answer is held back until the proxy closes.
 * - `answer`: answered by the proxy with `answer(body)` as the Response (a read from a replica that
 *   lags: the test decides exactly which past state it shows, where `stale-read` draws it).
 */
export type ProxyFaultKind = "error" | "reset" | "lost-response" | "timeout" | "answer";

export interface ProxyFault {
  action: string;
  kind: ProxyFaultKind;
  /** Error code for kind "error" (default FailedOperation, which no client retries). */
  code?: string;
  /** Message for kind "error"; a function sees the request body (a service echoing a bad value). */
  message?: string | ((body: Record<string, any>) => string);
  /** The Response fields for kind "answer" (RequestId is added). */
  answer?: (body: Record<string, any>) => Record<string, unknown>;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Only requests whose body this accepts match (e.g. listing pages: `(b) => b.PageNum !== undefined`). */
  match?: (body: Record<string, any>) => boolean;
}

export interface RecordedRequest {
  action: string;
  region?: string;
  body: Record<string, any>;
}

export class TestEmulator {
  /** Everything the proxy forwarded or answered, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  private faults: ProxyFault[] = [];
  private held = new Set<http.ServerResponse>();

  private constructor(
    readonly emulator: RunningEmulator,
    private readonly proxy: http.Server,
    /** The endpoint to give a client (the proxy). */
    readonly url: string,
  ) {}

  static async start(options: EmulatorOptions = {}): Promise<TestEmulator> {
    const emulator = await startEmulator({ port: 0, ...options });
    let self: TestEmulator | undefined;
    const proxy = http.createServer((req, res) => {
      self!.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(502).end(String(e));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    self = new TestEmulator(emulator, proxy, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
    return self;
  }

  /** Queues a deterministic fault for the next matching request(s). */
  failNext(fault: ProxyFault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Requests of one action (e.g. "ModifyLivePullStreamTask"), bodies parsed. */
  requestsOf(action: string): RecordedRequest[] {
    return this.requests.filter((r) => r.action === action);
  }

  /** Every stored task, write-only fields included (the emulator's inspection view). */
  tasks(): StoredTask[] {
    return this.emulator.tasks();
  }

  task(taskId: string): StoredTask | undefined {
    return this.tasks().find((t) => t.TaskId === taskId);
  }

  /** An inspection endpoint over HTTP (GET /_emulator/tasks, calls, faults, clock), as a separate process would read it. */
  async inspect<T = unknown>(route: "tasks" | "calls" | "faults" | "clock"): Promise<T> {
    const res = await fetch(`${this.emulator.url}/_emulator/${route}`);
    if (!res.ok) throw new Error(`GET /_emulator/${route}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  /** Drops queued faults that no request has taken yet. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Forgets recorded requests (the emulator's tasks stay). */
  clearRequests(): void {
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
    await new Promise<void>((resolve) => {
      this.proxy.close(() => resolve());
      this.proxy.closeAllConnections();
    });
    await this.emulator.close();
  }

  private takeFault(action: string, body: Record<string, any>): ProxyFault | undefined {
    const i = this.faults.findIndex((f) => f.action === action && (f.match?.(body) ?? true));
    if (i < 0) return undefined;
    const fault = this.faults[i];
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(i, 1);
    return fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const action = String(req.headers["x-tc-action"] ?? "");
    let parsed: Record<string, any> = {};
    try {
      parsed = JSON.parse(body.toString("utf8") || "{}");
    } catch {
      // recorded as {}: the emulator will answer the malformed body itself
    }
    this.requests.push({ action, region: req.headers["x-tc-region"] as string | undefined, body: parsed });
    const fault = this.takeFault(action, parsed);
    if (fault?.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "error") {
      const code = fault.code ?? "FailedOperation";
      const message = typeof fault.message === "function" ? fault.message(parsed) : (fault.message ?? `${action} failed (injected by the test proxy)`);
      const envelope = { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } };
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(envelope));
      return;
    }
    if (fault?.kind === "answer") {
      const envelope = { Response: { ...fault.answer!(parsed), RequestId: randomUUID() } };
      res.writeHead(200, { "Content-Type": "application/json", Date: new Date().toUTCString() });
      res.end(JSON.stringify(envelope));
      return;
    }
    const answer = await this.forward(req, body);
    if (fault?.kind === "lost-response") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "timeout") {
      this.held.add(res);
      return;
    }
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  private forward(req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const out = http.request(
        { host: "127.0.0.1", port: this.emulator.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (c: Buffer) => parts.push(c));
          answer.on("end", () => {
            const headers = { ...answer.headers };
            delete headers["transfer-encoding"];
            delete headers.connection;
            resolve({ status: answer.statusCode ?? 502, headers, body: Buffer.concat(parts) });
          });
          answer.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });
  }
}

/** A Describe answer showing `task` as it was when copied: what a replica lagging since then returns. */
export function laggingAnswer(task: StoredTask): () => Record<string, unknown> {
  const copy = structuredClone(task);
  return () => ({ TaskInfos: [taskInfo(copy, true, Date.now())], PageNum: 1, PageSize: 10, TotalNum: 1, TotalPage: 1 });
}
