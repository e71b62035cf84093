// /_emulator/: the test-facing window into the emulator. No Tencent action lives under this path,
// and faults and rate limits never apply here.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext } from "./context";
import { readBody, sendJson } from "./http";
import { isoSeconds } from "./models";

const MAX_INSPECT_BODY = 64 * 1024;

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const { body, tooLarge } = await readBody(req, MAX_INSPECT_BODY);
  if (tooLarge) throw new Error(`body is larger than ${MAX_INSPECT_BODY} bytes`);
  if (body.length === 0) return {};
  const value: unknown = JSON.parse(body.toString("utf8"));
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/**
 * Shifts the clock. An offset that is not a number, or that puts the clock outside JavaScript's
 * dates (±8.64e15 ms), is refused before it is kept: kept, every later answer would fail.
 */
export function setClockOffset(ctx: EmulatorContext, offsetMs: unknown): { offsetMs: number; now: string } {
  const base = ctx.nowMs() - ctx.clockOffsetMs;
  if (typeof offsetMs !== "number" || !Number.isFinite(new Date(base + offsetMs).getTime())) {
    throw new Error("offsetMs must be a number of milliseconds that keeps the clock a valid date");
  }
  ctx.clockOffsetMs = offsetMs;
  return clockState(ctx);
}

/** Sets LimitTaskNum (an account whose quota was raised or lowered); tasks already held stay. */
export function setTaskLimit(ctx: EmulatorContext, taskLimit: unknown): { taskLimit: number } {
  if (typeof taskLimit !== "number" || !Number.isInteger(taskLimit) || taskLimit < 0) {
    throw new Error("taskLimit must be a whole number of tasks, 0 or more");
  }
  ctx.taskLimit = taskLimit;
  return { taskLimit };
}

export function clockState(ctx: EmulatorContext): { offsetMs: number; now: string } {
  return { offsetMs: ctx.clockOffsetMs, now: isoSeconds(ctx.nowMs()) };
}

export async function handleInspect(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const route = `${req.method} ${path.replace(/\/+$/, "")}`;
  try {
    switch (route) {
      case "GET /_emulator/tasks":
        return sendJson(res, 200, { tasks: ctx.store.all() });
      case "GET /_emulator/restarts":
        // Every RestartLivePullStreamTask applied, per task (a restart leaves no trace in Describe).
        return sendJson(res, 200, {
          restarts: ctx.store.all().flatMap((t) => (t.Restarts ?? []).map((r) => ({ TaskId: t.TaskId, ...r }))),
        });
      case "GET /_emulator/calls":
        return sendJson(res, 200, ctx.callCounts());
      case "GET /_emulator/faults":
        return sendJson(res, 200, ctx.faults.state());
      case "GET /_emulator/clock":
        return sendJson(res, 200, clockState(ctx));
      case "POST /_emulator/reset":
        await jsonBody(req);
        ctx.reset();
        return sendJson(res, 200, { ok: true });
      case "POST /_emulator/faults": {
        const b = await jsonBody(req);
        const spec = b.faults ?? b.spec;
        if (spec !== undefined && typeof spec !== "string" && (typeof spec !== "object" || spec === null)) {
          throw new Error("faults must be a spec string like throttle=0.1 or a {kind: probability} map");
        }
        if (b.seed !== undefined && typeof b.seed !== "number") throw new Error("seed must be an integer");
        ctx.faults.configure(spec as string | Record<string, number> | undefined, b.seed as number | undefined);
        return sendJson(res, 200, ctx.faults.state());
      }
      case "GET /_emulator/limit":
        return sendJson(res, 200, { taskLimit: ctx.taskLimit });
      case "POST /_emulator/limit": {
        const b = await jsonBody(req);
        return sendJson(res, 200, setTaskLimit(ctx, b.taskLimit));
      }
      case "POST /_emulator/clock": {
        const b = await jsonBody(req);
        return sendJson(res, 200, setClockOffset(ctx, b.offsetMs));
      }
      default:
        return sendJson(res, 404, { error: `no inspection route ${route}` });
    }
  } catch (e) {
    sendJson(res, 400, { error: (e as Error).message });
  }
}
