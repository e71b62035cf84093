// Masks the values of auth-bearing URL parameters and URL passwords in free text (error messages,
// logs, check failures). Pure and idempotent: masking masked text changes nothing. The one rule for
// the whole package: provider/api re-exports it for the client's error texts.

export const MASK = "***";

/**
 * Parameter names whose value is a credential or signature. Matched case-insensitively as whole
 * names, so `key` does not catch `monkey=`. Covers Tencent CSS (txSecret/txTime), common CDN
 * auth (sign, auth_key, token), presigned object storage (AWS, COS, CloudFront) and generic names.
 */
export const AUTH_PARAM_NAMES = [
  "txSecret",
  "txTime",
  "sign",
  "sig",
  "signature",
  "token",
  "access_token",
  "security_token",
  "auth",
  "auth_key",
  "authkey",
  "secret",
  "key",
  "secretKey",
  "password",
  "passwd",
  "pwd",
  "x-amz-signature",
  "x-amz-credential",
  "x-amz-security-token",
  "x-cos-security-token",
  "q-signature",
  "policy",
  "key-pair-id",
  // SRT stream ids routinely embed a key.
  "streamid",
  "x-tc-token",
];

const escaped = AUTH_PARAM_NAMES.map((n) => n.replace(/[-]/g, "\\-")).join("|");
// A parameter starts a query string or follows a separator, a quote, a space or an opening bracket,
// so bare query strings such as PushArgs (`txSecret=..&txTime=..`) are masked as well as full URLs.
// The value runs to the next `&` or `;`, whitespace, quote, `#` or markup/escape character.
const PARAM_RE = new RegExp(`(^|[?&;=\\s"'(\\[{,])((?:${escaped})=)[^&;\\s"'#<>\\\\]*`, "gi");
// `scheme://user:password@host`: the password goes, the user name stays (it helps debugging).
const USERINFO_RE = /([a-z][a-z0-9+.-]*:\/\/[^\s/@:"']+:)[^\s/@"']+@/gi;

export function maskSecrets(text: string): string {
  return text
    .replace(PARAM_RE, (_m, lead: string, name: string) => `${lead}${name}${MASK}`)
    .replace(USERINFO_RE, (_m, head: string) => `${head}${MASK}@`);
}
