// css-pull-tasks status: the run status of tasks (DescribeLivePullStreamTaskStatus), and with
// --wait-active the health gate a pipeline runs after `pulumi up`.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { Io, EXIT_OK, EXIT_FAILED, UsageError, usageFailure } from "./io";
import { CssApiError, isTaskNotExist } from "../provider/api/errors";
import { CssClient } from "../provider/api/client";
import { rateFor } from "../provider/api/limiter";
import { progress } from "./progress";
import { maskSecrets } from "../provider/task/mask";
import { loadTasksFile } from "../program/tasks-file";
import { getLivePullStreamTaskStatus, type LivePullStreamTaskStatus } from "../program/status";

export const STATUS_USAGE =
  "Usage: css-pull-tasks status [TASK_ID...] [--file tasks.yaml] [--stack-outputs FILE] [--format table|json] " +
  "[--wait-active SECONDS] [--region R]";

export const STATUS_HELP = `${STATUS_USAGE}

Shows each task's run status (DescribeLivePullStreamTaskStatus): name where known, TaskId,
RunStatus (active/inactive), the file being pulled, loops played and the last report time.

Which tasks:
  TASK_ID...             TaskIds
  --stack-outputs FILE   \`pulumi stack output --json > FILE\`: the root stack's taskIds output
                         (name → TaskId), or a plain {"name": "TaskId"} object
  --file tasks.yaml      the tasks named in the file: their TaskIds from --stack-outputs, else
                         from the file's \`imports\` block. Tasks the file says are not meant to
                         run now (status pause, startTime later than the wait, endTime passed)
                         are shown but not waited for
Options:
  --format table|json    one line per task (default), or a JSON array
  --wait-active SECONDS  poll until every task is active, or give up after SECONDS: each round asks
                         once for every task not active yet, rounds at least 1 s apart and calls
                         paced at the API's rate; a task not found yet (a read lagging behind its
                         create) is asked again. Exits 1 naming the tasks still inactive.
  --region R             the tasks' region (default: as the provider resolves it); a task of the
                         tasks file that names its region (or its defaults do) is asked there

Credentials and endpoint as for \`export\`: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY,
~/.tccli; TENCENTCLOUD_CSS_ENDPOINT for another endpoint (e.g. the local emulator); roles and
OIDC without stored keys as in docs/credentials.md.

Exit status: 0 every task found (and, with --wait-active, active), 1 otherwise, 2 usage error.
`;

/** A task to ask about: its TaskId and, when known, its name in the stack. */
export interface Target {
  name?: string;
  taskId: string;
  /** Why the tasks file says it is not meant to run now (paused, not started, ended): not gated. */
  notExpected?: string;
  /** The task's region when the tasks file names one (else --region / the provider's). */
  region?: string;
}

/**
 * Why a task of the tasks file is not meant to be running at `nowMs` (or within `windowMs`), or
 * undefined when it is: paused, starting later, or already ended. A rolling schedule runs from its
 * creation, so it is always meant to run.
 */
export function notExpectedReason(inputs: Record<string, unknown>, nowMs: number, windowMs = 0): string | undefined {
  if (inputs.status === "pause") return "paused";
  if (inputs.schedule !== undefined) return undefined;
  const start = typeof inputs.startTime === "string" ? Date.parse(inputs.startTime) : NaN;
  const end = typeof inputs.endTime === "string" ? Date.parse(inputs.endTime) : NaN;
  if (start > nowMs + windowMs) return `starts ${inputs.startTime}`;
  if (end <= nowMs) return `ended ${inputs.endTime}`;
  return undefined;
}

/** One row: the status, or why there is none (not found, an API error). */
export interface Row extends Target {
  status?: LivePullStreamTaskStatus;
  error?: string;
  missing?: boolean;
}

/** name → TaskId from `pulumi stack output --json` (its taskIds output) or a plain map. */
export function idsFromStackOutputs(text: string, file: string): Map<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON (write it with \`pulumi stack output --json > ${file}\`)`);
  }
  const obj = json as Record<string, unknown>;
  const map = obj && typeof obj === "object" && obj.taskIds && typeof obj.taskIds === "object" ? obj.taskIds : obj;
  const out = new Map<string, string>();
  for (const [name, id] of Object.entries((map ?? {}) as Record<string, unknown>)) {
    if (typeof id === "string" || typeof id === "number") out.set(name, String(id));
  }
  if (out.size === 0) throw new UsageError(`${file} names no tasks (expected a "taskIds" output of name → TaskId)`);
  return out;
}

/** The tasks to ask about, from the arguments; usage errors for names without a TaskId. */
export function targetsOf(
  ids: string[],
  fileTasks: { name: string; importId?: string; notExpected?: string; region?: string }[] | undefined,
  outputs: Map<string, string> | undefined,
): Target[] {
  const targets: Target[] = ids.map((taskId) => ({ taskId }));
  if (fileTasks) {
    const missing: string[] = [];
    for (const t of fileTasks) {
      const id = outputs?.get(t.name) ?? t.importId;
      if (!id) {
        missing.push(t.name);
        continue;
      }
      const target: Target = { name: t.name, taskId: id };
      if (t.notExpected) target.notExpected = t.notExpected;
      if (t.region) target.region = t.region;
      targets.push(target);
    }
    if (missing.length > 0) {
      const names = missing.join(", ");
      throw new UsageError(`no TaskId known for ${names}: pass --stack-outputs (pulumi stack output --json)`);
    }
  } else if (outputs) {
    for (const [name, taskId] of outputs) targets.push({ name, taskId });
  }
  const seen = new Set<string>();
  return targets.filter((t) => (seen.has(t.taskId) ? false : (seen.add(t.taskId), true)));
}

async function ask(client: CssClient, t: Target, region: string): Promise<Row> {
  try {
    const status = await getLivePullStreamTaskStatus({ taskId: t.taskId, region: t.region ?? region }, { client });
    return { ...t, status };
  } catch (e) {
    if (isTaskNotExist(e)) return { ...t, missing: true };
    // Credentials or permissions do not fix themselves while we poll.
    if (e instanceof CssApiError && e.code.startsWith("AuthFailure")) throw e;
    return { ...t, error: maskSecrets(e instanceof Error ? e.message : String(e)) };
  }
}

/** A region the tasks file states literally (not a `${config:KEY}` only the stack can resolve). */
function fileRegion(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" && !v.includes("${config:") ? v : undefined;
}

const state = (r: Row): string => r.status?.runStatus ?? (r.missing ? "not-found" : "error");

export function formatTable(rows: Row[]): string {
  const header = ["NAME", "TASK_ID", "RUN_STATUS", "FILE", "LOOPS", "REPORT_TIME"];
  const lines = rows.map((r) => [
    r.name ?? "-",
    r.taskId,
    state(r),
    r.error ? r.error : maskSecrets(r.status?.fileUrl || "-"),
    r.status?.loopedTimes !== undefined && r.status.loopedTimes >= 0 ? String(r.status.loopedTimes) : "-",
    r.status?.reportTime ?? "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const pad = (l: string[]): string[] => l.map((c, i) => (i === l.length - 1 ? c : c.padEnd(widths[i])));
  const row = (l: string[]): string => pad(l).join("  ").trimEnd();
  return [header, ...lines].map(row).join("\n") + "\n";
}

function asJson(rows: Row[]): string {
  const out = rows.map((r) => ({
    name: r.name ?? null,
    taskId: r.taskId,
    runStatus: state(r),
    ...(r.status ? { ...r.status, fileUrl: maskSecrets(r.status.fileUrl) } : {}),
    ...(r.status?.nextFileUrl ? { nextFileUrl: maskSecrets(r.status.nextFileUrl) } : {}),
    ...(r.error ? { error: r.error } : {}),
  }));
  return `${JSON.stringify(out, null, 2)}\n`;
}

export interface StatusDeps {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export async function runStatus(argv: string[], io: Io, deps: StatusDeps = {}): Promise<number> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = deps.now ?? Date.now;
  let targets: Target[];
  let values: {
    file?: string;
    "stack-outputs"?: string;
    format?: string;
    "wait-active"?: string;
    region?: string;
    help?: boolean;
  };
  let waitMs: number | undefined;
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        file: { type: "string" },
        "stack-outputs": { type: "string" },
        format: { type: "string" },
        "wait-active": { type: "string" },
        region: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values;
    if (values.help) {
      io.stdout(STATUS_HELP);
      return EXIT_OK;
    }
    if (values.format !== undefined && values.format !== "table" && values.format !== "json") {
      throw new UsageError(`--format must be table or json, not "${values.format}"`);
    }
    if (values["wait-active"] !== undefined) {
      const s = Number(values["wait-active"]);
      if (values["wait-active"].trim() === "" || !Number.isFinite(s) || s < 0) {
        throw new UsageError(`--wait-active must be a number of seconds, got "${values["wait-active"]}"`);
      }
      waitMs = s * 1000;
    }
    const read = (file: string): string => {
      try {
        return fs.readFileSync(path.resolve(io.cwd, file), "utf8");
      } catch (e) {
        throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    };
    const outputsFile = values["stack-outputs"];
    const outputs = outputsFile ? idsFromStackOutputs(read(outputsFile), outputsFile) : undefined;
    const fileTasks = values.file
      ? loadTasksFile(read(values.file), values.file, { now: new Date(now()) }).tasks.map((t) => ({
          ...t,
          notExpected: notExpectedReason(t.inputs, now(), waitMs),
          // --region names the region of tasks the file leaves to the provider's default.
          // A `${config:KEY}` region is only known to the stack.
          region: fileRegion(t.inputs.region) ?? values.region,
        }))
      : undefined;
    if (values.file && fileTasks?.length === 0) throw new UsageError(`${values.file} declares no tasks`);
    targets = targetsOf(parsed.positionals, fileTasks, outputs);
    if (targets.length === 0) {
      throw new UsageError("name the tasks: TASK_ID..., --stack-outputs FILE or --file tasks.yaml");
    }
  } catch (e) {
    return usageFailure(io, "status", STATUS_USAGE, e);
  }
  try {
    const client = new CssClient({ region: values.region, env: io.env });
    const region = client.region;
    const rows = new Map<string, Row>();
    const deadline = now() + (waitMs ?? 0);
    let pending = targets;
    const bar = progress(io, 100, now);
    const began = now();
    try {
      for (;;) {
        const started = now();
        const got = await Promise.all(pending.map((t) => ask(client, t, region)));
        for (const r of got) rows.set(r.taskId, r);
        const waiting = (t: Target): boolean => !t.notExpected && !rows.get(t.taskId)?.status?.active;
        pending = waitMs === undefined ? [] : pending.filter(waiting);
        if (pending.length === 0 || now() >= deadline) break;
        const waited = Math.round((now() - began) / 1000);
        bar.update(
          `waiting for ${pending.length} of ${targets.length} task(s) to be active: ${waited} s of ${waitMs! / 1000} s`,
        );
        // One call per task per round, at the API's rate; at least 1 s between rounds.
        const roundMs = Math.max(1000, (pending.length / rateFor("DescribeLivePullStreamTaskStatus")) * 1000);
        await sleep(Math.max(0, Math.min(started + roundMs, deadline) - now()));
      }
    } finally {
      bar.done();
    }
    const all = targets.map((t) => rows.get(t.taskId)!);
    io.stdout(values.format === "json" ? asJson(all) : formatTable(all));
    const label = (r: Target) => (r.name ? `${r.name} (${r.taskId})` : r.taskId);
    if (waitMs !== undefined) {
      const skipped = targets.filter((t) => t.notExpected);
      if (skipped.length > 0) {
        const list = skipped.map((t) => `${label(t)} (${t.notExpected})`).join(", ");
        io.stderr(`css-pull-tasks status: not waited for: ${list}\n`);
      }
      const inactive = all.filter((r) => !r.notExpected && !r.status?.active);
      if (inactive.length > 0) {
        const list = inactive.map((r) => `${label(r)} ${state(r)}`).join(", ");
        io.stderr(`css-pull-tasks status: not active after ${waitMs / 1000} s: ${list}\n`);
        return EXIT_FAILED;
      }
      return EXIT_OK;
    }
    const failed = all.filter((r) => !r.status);
    if (failed.length > 0) {
      io.stderr(`css-pull-tasks status: no status for ${failed.map((r) => `${label(r)} (${state(r)})`).join(", ")}\n`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  } catch (e) {
    io.stderr(`css-pull-tasks status: ${maskSecrets(e instanceof Error ? e.message : String(e))}\n`);
    return EXIT_FAILED;
  }
}
