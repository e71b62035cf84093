// The Tencent endpoint: POST / routed by X-TC-Action, answered with API 3.0 envelopes. Nothing a
// client sends may crash it: every failure becomes an error envelope with HTTP 200.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { verifyRequest } from "./auth";
import type { EmulatorContext } from "./context";
import { EmulatorError, ErrorCode, fail } from "./errors";
import type { FaultKind } from "./faults";
import { MAX_BODY_BYTES, readBody, sendJson } from "./http";
import { handleInspect } from "./inspect";
import { handleAction } from "./models";
import { handleMetadata, isMetadataPath } from "./metadata";
import { checkParams, isAction } from "./params";
import { handleSts, isStsRequest } from "./sts";

export const API_VERSION = "2018-08-01";
export const REGIONS = [
  "ap-bangkok", "ap-beijing", "ap-guangzhou", "ap-hongkong", "ap-mumbai", "ap-seoul",
  "ap-shanghai", "ap-singapore", "ap-tokyo", "eu-frankfurt", "na-ashburn", "na-siliconvalley",
];

const LANGUAGES = ["zh-CN", "en-US"];

interface Outcome {
  status: number;
  body: unknown;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function errorEnvelope(code: string, message: string, requestId: string): Outcome {
  return { status: 200, body: { Response: { Error: { Code: code, Message: message }, RequestId: requestId } } };
}

function checkCommonHeaders(req: IncomingMessage): string {
  const version = header(req, "x-tc-version");
  if (!version) fail(ErrorCode.MissingParameter, "X-TC-Version header is missing");
  if (version !== API_VERSION) {
    fail(ErrorCode.InvalidParameterValue, `X-TC-Version must be ${API_VERSION}, got ${version}`);
  }
  const region = header(req, "x-tc-region");
  if (!region) fail(ErrorCode.MissingParameter, "X-TC-Region header is missing");
  // Tencent's UnsupportedRegion is not among the codes this API documents; the reference lists
  // InvalidParameterValue for a bad common parameter, so that is what an unknown region gets.
  if (!REGIONS.includes(region)) {
    fail(
      ErrorCode.InvalidParameterValue,
      `X-TC-Region ${region} is not supported by the pull-task actions (supported: ${REGIONS.join(", ")})`,
    );
  }
  const language = header(req, "x-tc-language");
  if (language !== undefined && !LANGUAGES.includes(language)) {
    fail(ErrorCode.InvalidParameterValue, `X-TC-Language must be one of ${LANGUAGES.join(", ")}, got ${language}`);
  }
  return region;
}

interface Pending {
  timers: Set<NodeJS.Timeout>;
}

async function handleTencent(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  pending: Pending,
): Promise<void> {
  const requestId = randomUUID();
  const { body, tooLarge } = await readBody(req);
  const action = header(req, "x-tc-action") ?? "";
  ctx.countCall(action || "(none)");
  let fault: FaultKind | undefined;
  let outcome: Outcome;
  try {
    if (tooLarge) fail(ErrorCode.RequestSizeLimitExceeded, `request body is larger than ${MAX_BODY_BYTES} bytes`);
    const path = new URL(req.url ?? "/", "http://emulator").pathname;
    if (req.method !== "POST" || path !== "/") {
      fail(ErrorCode.UnsupportedOperation, `only POST / is served, got ${req.method} ${path}`);
    }
    if (isStsRequest(req)) {
      const lookup = (id: string) => ctx.credential(id);
      const response = handleSts(ctx.sts, { req, body, nowMs: ctx.nowMs(), lookup });
      outcome = { status: 200, body: { Response: { ...response, RequestId: requestId } } };
      return sendJson(res, outcome.status, outcome.body);
    }
    const query = (req.url ?? "").includes("?") ? (req.url ?? "").slice((req.url ?? "").indexOf("?") + 1) : "";
    const credential = verifyRequest(
      { method: req.method, query, headers: req.headers, body },
      (id) => ctx.credential(id),
      ctx.nowMs() / 1000,
    );
    if (!action) fail(ErrorCode.MissingParameter, "X-TC-Action header is missing");
    if (!isAction(action)) fail(ErrorCode.InvalidAction, `action ${action} does not exist in live ${API_VERSION}`);
    const region = checkCommonHeaders(req);
    if (!ctx.limiter.allow(action, credential.secretId, ctx.nowMs())) {
      ctx.countThrottled(action);
      fail(
        ErrorCode.RequestLimitExceeded,
        `${action} is limited to ${ctx.limiter.limitFor(action)} requests per second`,
      );
    }
    fault = ctx.faults.draw(action);
    if (fault === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault === "http5xx") {
      res.writeHead(503, { "Content-Type": "text/plain" }).end("Service Unavailable (injected fault)");
      return;
    }
    if (fault === "throttle") {
      fail(ErrorCode.RequestLimitExceeded, `${action}: request rate limit exceeded (injected fault)`);
    }
    if (fault === "internal") fail(ErrorCode.InternalError, "internal error (injected fault)");
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch (e) {
      // V8's message quotes the body; it may hold signed URLs, so only the position is repeated.
      const at = /position (\d+)/.exec((e as Error).message);
      fail(ErrorCode.InvalidParameter, `request body is not valid JSON${at ? ` (at position ${at[1]})` : ""}`);
    }
    const params = checkParams(action, parsed);
    // A lagging replica: the table as it was a moment ago (writes never see it).
    const store = fault === "stale-read" ? ctx.store.asOf(ctx.faults.staleLagMs(ctx.store.historyMs)) : ctx.store;
    const actionCtx = { nowMs: ctx.nowMs(), region, taskLimit: ctx.taskLimit, maxTaskSpanDays: ctx.maxTaskSpanDays };
    const result = handleAction(store, action, params, actionCtx);
    if (result.changed) ctx.persist();
    outcome = { status: 200, body: { Response: { ...result.response, RequestId: requestId } } };
  } catch (e) {
    const err = e instanceof EmulatorError ? e : new EmulatorError(ErrorCode.InternalError, "internal error");
    if (!(e instanceof EmulatorError)) {
      process.stderr.write(`emulator: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    }
    ctx.countError(err.code);
    outcome = errorEnvelope(err.code, err.message, requestId);
  }
  if (fault === "lost-response") {
    // The change above is applied; the client never learns it.
    req.socket.destroy();
    return;
  }
  if (fault === "timeout") {
    const timer = setTimeout(() => {
      pending.timers.delete(timer);
      sendJson(res, outcome.status, outcome.body);
    }, ctx.timeoutDelayMs);
    pending.timers.add(timer);
    return;
  }
  sendJson(res, outcome.status, outcome.body);
}

export function createEmulatorServer(ctx: EmulatorContext): { server: Server; pending: Pending } {
  const pending: Pending = { timers: new Set() };
  const server = createServer((req, res) => {
    // The API's answers carry its time; a shifted clock (clockOffsetMs) shows here as on a real server.
    res.setHeader("Date", new Date(ctx.nowMs()).toUTCString());
    const path = (req.url ?? "/").split("?")[0];
    if (isMetadataPath(path)) return handleMetadata(ctx.sts, ctx.nowMs(), req, res, path);
    const work = path.startsWith("/_emulator/")
      ? handleInspect(ctx, req, res, path)
      : handleTencent(ctx, req, res, pending);
    work.catch((e: unknown) => {
      // Only reachable when the connection broke while reading the body: nobody is left to answer.
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 200, errorEnvelope(ErrorCode.InternalError, "internal error", randomUUID()).body);
      }
      // A client that hangs up mid-request (Node says "aborted") is the client's business, not a
      // fault of the emulator worth a line on stderr.
      const hungUp = req.readableAborted || (e instanceof Error && /closed before|^aborted$/.test(e.message));
      if (!hungUp) {
        process.stderr.write(`emulator: ${(e as Error)?.message ?? String(e)}\n`);
      }
    });
  });
  return { server, pending };
}
