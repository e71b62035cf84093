// Masks the values of auth-bearing URL parameters and URL passwords in free text (error messages,
// logs, check failures). Pure and idempotent: masking masked text changes nothing. The one rule for
// the whole package: provider/api re-exports it for the client's error texts.

export const MASK = "***";

/**
 * The signed-URL schemes whose parameters are masked, one entry per scheme: each is tested with an
 * example URL (test/security/masking.property.test.ts). Names match case-insensitively as whole
 * names, so `key` does not catch `monkey=`; any name ending in `secret` is masked too, which covers
 * the CDNs' `<vendor>Secret` signatures (txSecret, wsSecret, hwSecret, volcSecret, ...).
 */
export const SIGNED_URL_SCHEMES: Readonly<Record<string, readonly string[]>> = {
  "Tencent CSS/CDN": ["txSecret", "txTime"],
  "Wangsu (ChinaNetCenter)": ["wsSecret", "wsTime", "wsABSTime"],
  "Huawei Cloud live": ["hwSecret", "hwTime"],
  "Volcengine live": ["volcSecret", "volcTime"],
  "Alibaba Cloud CDN": ["auth_key"],
  "Akamai token auth": ["hdnts", "hdnea", "__token__"],
  "AWS S3 presigned": ["x-amz-signature", "x-amz-credential", "x-amz-security-token"],
  "Tencent COS presigned": ["q-signature", "x-cos-security-token"],
  "CloudFront / Google Cloud CDN signed": ["signature", "policy", "key-pair-id"],
  "Azure SAS": ["sig"],
  "common names": [
    "sign", "token", "access_token", "security_token", "auth", "authkey", "secret", "key", "secretKey",
    "password", "passwd", "pwd", "x-tc-token",
  ],
  // SRT stream ids routinely embed a key.
  SRT: ["streamid"],
};

/** Every masked parameter name, once. */
export const AUTH_PARAM_NAMES: readonly string[] = [...new Set(Object.values(SIGNED_URL_SCHEMES).flat())];

const escaped = AUTH_PARAM_NAMES.map((n) => n.replace(/[-]/g, "\\-")).join("|");
// A parameter starts a query string or follows a separator, a quote, a space or an opening bracket,
// so bare query strings such as PushArgs (`txSecret=..&txTime=..`) are masked as well as full URLs;
// the separators may be URL-encoded (`%3F`, `%26`) or JSON-escaped (`\u0026`), and so may `=`.
const LEAD = `(^|[?&;=\\s"'(\\[{,]|%26|%3[fF]|\\\\u0026|\\\\u003[fF])`;
const NAME = `((?:[a-z0-9_]*secret|${escaped})(?:=|%3[dD]|\\\\u003[dD]))`;
// The value runs to the next `&` (plain or encoded) or `;`, whitespace, quote, `#` or markup/escape.
const VALUE = `(?:(?!%26)[^&;\\s"'#<>\\\\])*`;
const PARAM_RE = new RegExp(`${LEAD}${NAME}${VALUE}`, "gi");
// `scheme://user:password@host`: the password goes, the user name stays (it helps debugging).
const USERINFO_RE = /([a-z][a-z0-9+.-]*:\/\/[^\s/@:"']+:)[^\s/@"']+@/gi;

export function maskSecrets(text: string): string {
  return text
    .replace(PARAM_RE, (_m, lead: string, name: string) => `${lead}${name}${MASK}`)
    .replace(USERINFO_RE, (_m, head: string) => `${head}${MASK}@`);
}
