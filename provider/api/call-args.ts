// What a call's arguments must look like before anything is signed or sent, and where to look
// after an auth failure: the client's (client.ts) checks at its two ends.
const ACTION_RE = /^[A-Z][A-Za-z0-9]*$/;
const REGION_RE = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/**
 * Refuses an action or region that is not one. Caught here, a malformed header value would
 * otherwise fail inside fetch, look like a network error and be retried.
 */
export function checkCallArgs(action: string, region: string): void {
  if (!ACTION_RE.test(action)) {
    throw new TypeError(
      `action must be an API action name such as DescribeLivePullStreamTasks, got ${JSON.stringify(action)}`,
    );
  }
  if (!REGION_RE.test(region)) {
    throw new TypeError(`region must be a Tencent Cloud region such as ap-guangzhou, got ${JSON.stringify(region)}`);
  }
}

/** Where to look next after an auth failure: the key's source (never its value), or the clock. */
export function authHint(code: string, source: string): string {
  const clock = code === "AuthFailure.SignatureExpire"
    ? "; the request time is more than 5 minutes off the server's: check this machine's clock"
    : "";
  return ` (credentials from ${source}${clock})`;
}
