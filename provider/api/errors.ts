// One error type for every way a CSS API call can fail: an error envelope from the service, an HTTP
// status without one, a broken connection or a timeout. Callers branch on `retryable`/`ambiguous`.
import { classifyCode } from "./codes";
import { redact } from "./mask";

/** Codes the client itself assigns when the service gave no error envelope. */
export const CLIENT_CODES = {
  timeout: "ClientError.Timeout",
  connectionRefused: "ClientError.ConnectionRefused",
  connectionReset: "ClientError.ConnectionReset",
  network: "ClientError.Network",
  httpStatus: "ClientError.HttpStatus",
  invalidResponse: "ClientError.InvalidResponse",
  /** Certificate or TLS handshake failure: retrying cannot help. */
  tls: "ClientError.Tls",
  /** fetch refuses the endpoint's port (the Fetch standard's blocked-port list): nothing was sent. */
  blockedPort: "ClientError.BlockedPort",
} as const;

export interface CssApiErrorInit {
  code: string;
  /** The service's (or transport's) own message; secrets are removed before it is stored. */
  message: string;
  action: string;
  requestId?: string;
  httpStatus?: number;
  /** Whether the request may have reached the service and been applied (see `isAmbiguous`). */
  ambiguous?: boolean;
  /** Strings that must never appear in the text (SecretKey, session token). */
  secrets?: Iterable<string | undefined>;
  cause?: unknown;
}

export function isThrottle(code: string): boolean {
  return code === "RequestLimitExceeded" || code.startsWith("RequestLimitExceeded.");
}

/** Transport failures after which the request may have been sent (a refused connection sent nothing). */
const SENT_TRANSPORT_CODES: readonly string[] = [
  CLIENT_CODES.timeout,
  CLIENT_CODES.connectionReset,
  CLIENT_CODES.network,
  CLIENT_CODES.invalidResponse,
];
const isClientCode = (code: string): boolean => code.startsWith("ClientError.");

/**
 * Worth another attempt: a throttle, a server fault (codes.ts: every documented code classified)
 * and transport failures. Never a refusal, InternalError.InvalidInput (a parameter check) included.
 */
export function isRetryableCode(code: string, httpStatus?: number): boolean {
  if (httpStatus !== undefined && httpStatus >= 500) return true;
  if (isClientCode(code)) return code === CLIENT_CODES.connectionRefused || SENT_TRANSPORT_CODES.includes(code);
  return classifyCode(code) !== "refusal";
}

/**
 * May the service have applied the request? True for a timeout or a reset after sending, an HTTP 5xx,
 * an unreadable answer and a server fault (codes.ts "outcome-unknown"); false when it answered with a
 * definite error (a refusal, or a throttle, refused before any work) or when the connection was
 * refused before any byte left.
 */
export function isAmbiguousCode(code: string, httpStatus?: number): boolean {
  if (httpStatus !== undefined && httpStatus >= 500) return true;
  if (isClientCode(code)) return SENT_TRANSPORT_CODES.includes(code);
  return classifyCode(code) === "outcome-unknown";
}

export class CssApiError extends Error {
  readonly code: string;
  readonly action: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  /** The service's message alone, secrets removed (`message` adds action, code and RequestId). */
  readonly detail: string;
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  /** Attempts made before this error surfaced (set by the retry loop). */
  attempts = 1;

  constructor(init: CssApiErrorInit) {
    const secrets = [...(init.secrets ?? [])];
    const detail = redact(init.message, secrets);
    const request = init.requestId ? ` (RequestId ${init.requestId})` : "";
    const status = init.httpStatus !== undefined && init.httpStatus !== 200 ? ` [HTTP ${init.httpStatus}]` : "";
    super(`${init.action} failed: ${init.code}: ${detail}${status}${request}`);
    this.name = "CssApiError";
    this.code = init.code;
    this.action = init.action;
    this.requestId = init.requestId;
    this.httpStatus = init.httpStatus;
    this.detail = detail;
    this.retryable = isRetryableCode(init.code, init.httpStatus);
    this.ambiguous = init.ambiguous ?? isAmbiguousCode(init.code, init.httpStatus);
    // The cause may be a raw transport error; keep only its redacted text so nothing secret hides in it.
    if (init.cause !== undefined) {
      const text = init.cause instanceof Error ? `${init.cause.name}: ${init.cause.message}` : String(init.cause);
      Object.defineProperty(this, "cause", { value: redact(text, secrets), enumerable: false });
    }
  }

  /** Plain data for logs and state: never the raw cause. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      action: this.action,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      message: this.message,
      retryable: this.retryable,
      ambiguous: this.ambiguous,
      attempts: this.attempts,
    };
  }
}

export const TASK_NOT_EXIST = "InvalidParameter.TaskNotExist";

/**
 * The package's one "the service does not know the task" test (Describe/Modify/Delete of an unknown
 * id): documented as InvalidParameter.TaskNotExist; other categories' TaskNotExist mean the same.
 */
export function isTaskNotExist(err: unknown): boolean {
  return err instanceof CssApiError && (err.code === TASK_NOT_EXIST || err.code.endsWith(".TaskNotExist"));
}
