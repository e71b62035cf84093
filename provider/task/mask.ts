// Masks the values of authentication query parameters in any text (URLs inside error messages,
// logs). provider/task must not depend on provider/api, so it keeps its own copy of this rule.

/** Query parameter names whose values are credentials or signatures (compared case-insensitively). */
export const SECRET_QUERY_PARAMS = [
  "txSecret",
  "txTime",
  "sign",
  "signature",
  "token",
  "auth_key",
  "authKey",
  "secret",
  "key",
  "password",
  "passwd",
  "pwd",
  "access_token",
  "x-tc-token",
  "streamid",
] as const;

const NAMES = SECRET_QUERY_PARAMS.map((n) => n.replace(/[-_]/g, (c) => `\\${c}`)).join("|");
// A parameter starts after ?, & or ; (some players use ;) and its value runs to the next separator,
// whitespace or quote. `streamid` is masked because SRT stream ids routinely embed a key.
const PARAM_VALUE = new RegExp(`([?&;](?:${NAMES})=)([^&\\s;"'#<>]*)`, "gi");
// user:password@ in a URL authority.
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)([^@/\s]*)@/gi;

export function maskSecrets(text: string): string {
  return text.replace(PARAM_VALUE, (_m, head: string, value: string) => (value === "" ? head : `${head}***`)).replace(USERINFO, "$1***@");
}
