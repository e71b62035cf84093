// Masks the values of auth-bearing URL parameters and URL passwords in free text (error messages,
// logs). Pure and idempotent: masking masked text changes nothing.

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
];

const escaped = AUTH_PARAM_NAMES.map((n) => n.replace(/[-]/g, "\\-")).join("|");
// A parameter starts a query string or follows a separator, a quote, a space or an opening bracket,
// so bare query strings such as PushArgs (`txSecret=..&txTime=..`) are masked as well as full URLs.
// The value runs to the next `&`, whitespace, quote, `#` or markup/escape character.
const PARAM_RE = new RegExp(`(^|[?&;=\\s"'(\\[{,])((?:${escaped})=)[^&\\s"'#<>\\\\]*`, "gi");
// `scheme://user:password@host`: the password goes, the user name stays (it helps debugging).
const USERINFO_RE = /([a-z][a-z0-9+.-]*:\/\/[^\s/@:"']+:)[^\s/@"']+@/gi;

export function maskSecrets(text: string): string {
  return text.replace(PARAM_RE, (_m, lead: string, name: string) => `${lead}${name}${MASK}`).replace(USERINFO_RE, (_m, head: string) => `${head}${MASK}@`);
}

/** Removes exact secret strings (a SecretKey, a session token) wherever they appear, then masks URL auth. */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    // Very short strings would shred ordinary words; real keys and tokens are long.
    if (s && s.length >= 4) out = out.split(s).join(MASK);
  }
  return maskSecrets(out);
}
