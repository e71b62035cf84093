// One HTTP exchange with the API, turned into either the `Response` object or a CssApiError that
// says whether the request may have been applied. No retries here.
import { CLIENT_CODES, CssApiError } from "./errors";

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{
  status: number;
  /** The answer's headers (a fetch Response has them; test doubles may leave them out). */
  headers?: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface Exchange {
  url: string;
  action: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  fetch: FetchLike;
  /** Never to appear in error text. */
  secrets: string[];
  /**
   * Told of every answer from the API itself (an error envelope included, not a bare HTTP status a
   * proxy may have sent): its Date header, when the request was sent, when the answer came.
   */
  onAnswer?: (date: string | null | undefined, sentAt: number, receivedAt: number) => void;
}

// The connection was never established, so no byte of the request reached the service.
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const RESET = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"]);

function errorCodes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== "object" || depth > 4) return [];
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === "string" ? [e.code] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => errorCodes(x, depth + 1)) : [];
  return [...own, ...nested, ...errorCodes(e.cause, depth + 1)];
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith("CERT_") ||
    code.startsWith("ERR_TLS") ||
    code.startsWith("ERR_SSL") ||
    code.includes("SELF_SIGNED") ||
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
  );
}

export function transportError(
  err: unknown,
  ex: Pick<Exchange, "action" | "secrets" | "timeoutMs">,
  timedOut: boolean,
): CssApiError {
  const base = { action: ex.action, secrets: ex.secrets, cause: err };
  if (timedOut) {
    return new CssApiError({
      ...base,
      code: CLIENT_CODES.timeout,
      message: `no complete answer within ${ex.timeoutMs} ms; the request may have been applied`,
    });
  }
  if (err instanceof Error && err.cause instanceof Error && err.cause.message === "bad port") {
    return new CssApiError({
      ...base,
      code: CLIENT_CODES.blockedPort,
      message:
        "fetch refuses this endpoint's port (it is on the Fetch standard's blocked-port list, " +
        "e.g. 1, 22, 6000, 10080); use another port. Nothing was sent",
      ambiguous: false,
    });
  }
  const codes = errorCodes(err);
  const detail = codes.length ? ` (${[...new Set(codes)].join(", ")})` : "";
  if (codes.length > 0 && codes.every((c) => NOT_SENT.has(c))) {
    return new CssApiError({
      ...base,
      code: CLIENT_CODES.connectionRefused,
      message: `could not connect${detail}; nothing was sent`,
      ambiguous: false,
    });
  }
  if (codes.some(isTlsCode)) {
    return new CssApiError({ ...base, code: CLIENT_CODES.tls, message: `TLS failure${detail}`, ambiguous: false });
  }
  if (codes.some((c) => RESET.has(c))) {
    return new CssApiError({
      ...base,
      code: CLIENT_CODES.connectionReset,
      message: `connection closed before the answer${detail}; the request may have been applied`,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new CssApiError({
    ...base,
    code: CLIENT_CODES.network,
    message: `${message}${detail}; the request may have been applied`,
  });
}

interface Envelope {
  Response?: { Error?: { Code?: unknown; Message?: unknown }; RequestId?: unknown; [k: string]: unknown };
}

/** Interprets an HTTP answer: the `Response` object on success, a CssApiError otherwise. */
export function parseAnswer(action: string, status: number, text: string, secrets: string[]): Record<string, unknown> {
  let json: Envelope | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") json = parsed as Envelope;
  } catch {
    json = undefined;
  }
  const response = json?.Response;
  const requestId = typeof response?.RequestId === "string" ? response.RequestId : undefined;
  const httpStatus = status === 200 ? undefined : status;
  if (response?.Error && typeof response.Error === "object") {
    const code = typeof response.Error.Code === "string" && response.Error.Code ? response.Error.Code : "UnknownError";
    const message = typeof response.Error.Message === "string" ? response.Error.Message : "(no message)";
    throw new CssApiError({ code, message, action, requestId, httpStatus, secrets });
  }
  if (status < 200 || status >= 300) {
    const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    throw new CssApiError({
      code: CLIENT_CODES.httpStatus,
      message: `HTTP ${status} without an API error envelope: ${snippet}`,
      action,
      httpStatus: status,
      secrets,
    });
  }
  if (!response || typeof response !== "object") {
    throw new CssApiError({
      code: CLIENT_CODES.invalidResponse,
      message: `answer is not a {"Response": {...}} envelope (${text.length} bytes)`,
      action,
      httpStatus,
      secrets,
    });
  }
  return response;
}

/** Sends one signed request; the timeout covers the whole exchange, body included. */
export async function exchange(ex: Exchange): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ex.timeoutMs);
  let status: number;
  let text: string;
  const sentAt = Date.now();
  let receivedAt = sentAt;
  let date: string | null | undefined;
  try {
    const res = await ex.fetch(ex.url, {
      method: "POST",
      headers: ex.headers,
      body: ex.body,
      signal: controller.signal,
    });
    receivedAt = Date.now();
    date = res.headers?.get("date");
    status = res.status;
    text = await res.text();
  } catch (err) {
    throw transportError(err, ex, timedOut);
  } finally {
    clearTimeout(timer);
  }
  try {
    const response = parseAnswer(ex.action, status, text, ex.secrets);
    ex.onAnswer?.(date, sentAt, receivedAt);
    return response;
  } catch (err) {
    // An error envelope carries the API's RequestId: the API answered, so its Date is the API's.
    if (err instanceof CssApiError && err.requestId !== undefined) ex.onAnswer?.(date, sentAt, receivedAt);
    throw err;
  }
}
