// The native provider's configuration: what `tencentcloud-css:*` stack config or a
// `new tencentcloud_css.Provider(...)` gives, checked (CheckConfig) and turned into the same settings
// the dynamic provider reads from `tencentcloud:*` stack config, so one resolver (provider/config.ts,
// provider/api/credentials.ts) serves both faces, with the same fallbacks: env, then tccli profile.
import { CONFIG_KEYS } from "../provider/api/credentials";
import { REQUEST_TIMEOUT_KEY, type Settings } from "../provider/config";
import { REGIONS } from "../provider/task/fields";
import { MAX_TASK_SPAN_CONFIG_KEY, parseMaxTaskSpanDays } from "../provider/task/span";
import { checkRoleConfig, ROLE_CONFIG_VARIABLES } from "./config-roles";
import { isSecretValue, unwrapSecrets } from "./secrets";

export interface ConfigVariable {
  type: "string" | "integer" | "boolean" | "object" | "array";
  /** For type "object": its type's name in config-roles.ts CONFIG_TYPES. */
  objectType?: string;
  secret: boolean;
  description: string;
  /** The dynamic provider's stack config key this becomes. */
  settingsKey: string;
  /** An old name kept working: the name that replaces it (the schema marks it deprecated). */
  replacedBy?: string;
}

/** The provider resource's inputs, in the order the schema lists them. */
export const CONFIG_VARIABLES: Readonly<Record<string, ConfigVariable>> = {
  secretId: {
    type: "string",
    secret: true,
    settingsKey: CONFIG_KEYS.secretId,
    description:
      "Tencent Cloud SecretId. Falls back to TENCENTCLOUD_SECRET_ID, " +
      "then the tccli profile (~/.tccli/default.credential).",
  },
  secretKey: {
    type: "string",
    secret: true,
    settingsKey: CONFIG_KEYS.secretKey,
    description:
      "Tencent Cloud SecretKey, set together with secretId. " +
      "Falls back to TENCENTCLOUD_SECRET_KEY, then the tccli profile.",
  },
  securityToken: {
    type: "string",
    secret: true,
    settingsKey: CONFIG_KEYS.securityToken,
    description: "Session token of temporary (STS) credentials, from the same place as the key pair.",
  },
  region: {
    type: "string",
    secret: false,
    settingsKey: CONFIG_KEYS.region,
    description:
      `Region of tasks that do not name one (${REGIONS.join(", ")}). ` +
      "Falls back to TENCENTCLOUD_REGION, the tccli profile, then ap-guangzhou.",
  },
  // One name per setting on both faces: the dynamic resource's `tencentcloud:cssEndpoint`.
  cssEndpoint: {
    type: "string",
    secret: false,
    settingsKey: CONFIG_KEYS.endpoint,
    description:
      "CSS API endpoint, scheme://host[:port] (default https://live.tencentcloudapi.com; " +
      "a local emulator for tests). Falls back to TENCENTCLOUD_CSS_ENDPOINT.",
  },
  protocol: {
    type: "string",
    secret: false,
    settingsKey: CONFIG_KEYS.protocol,
    description:
      "As the Terraform provider's protocol: HTTPS (default) or HTTP; with domain it makes the endpoint " +
      "<protocol>://live.<domain> when cssEndpoint is not set. Falls back to TENCENTCLOUD_PROTOCOL.",
  },
  domain: {
    type: "string",
    secret: false,
    settingsKey: CONFIG_KEYS.domain,
    description:
      "As the Terraform provider's domain: the API's root domain (default tencentcloudapi.com), so the " +
      "endpoint is live.<domain>. Falls back to TENCENTCLOUD_DOMAIN.",
  },
  requestTimeoutMs: {
    type: "integer",
    secret: false,
    settingsKey: REQUEST_TIMEOUT_KEY,
    description: "Upper bound of each API request in milliseconds (default 15000).",
  },
  maxTaskSpanDays: {
    type: "integer",
    secret: false,
    settingsKey: MAX_TASK_SPAN_CONFIG_KEY,
    description:
      "endTime must be less than this many days after startTime: 1..30, default 30 (the newest API model; " +
      "the international page says 7: set 7 to make it strict). Falls back to TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS.",
  },
  // Assume role, OIDC, CVM role, profiles, account guard (config-roles.ts).
  ...ROLE_CONFIG_VARIABLES,
  // Listed last so that cssEndpoint, when both are given, is the one toSettings keeps.
  endpoint: {
    type: "string",
    secret: false,
    settingsKey: CONFIG_KEYS.endpoint,
    replacedBy: "cssEndpoint",
    description:
      "Deprecated: use cssEndpoint (the same setting, named as the dynamic resource's tencentcloud:cssEndpoint).",
  },
};

type Bag = Record<string, unknown>;

const given = (v: unknown): boolean => v !== undefined && v !== null && v !== "";

/** One line per old setting name in use, saying which name replaces it (shown by the engine). */
export function configDeprecations(news: Bag, pkg: string): string[] {
  const out: string[] = [];
  for (const [name, v] of Object.entries(CONFIG_VARIABLES)) {
    if (!v.replacedBy || !given(news[name])) continue;
    const ignored = given(news[v.replacedBy]) ? ` (ignored: ${v.replacedBy} is set too)` : "";
    out.push(
      `warning: ${pkg}:${name} is deprecated${ignored}; use ${pkg}:${v.replacedBy} ` +
        `(\`pulumi config set ${pkg}:${v.replacedBy} URL\`, or the provider argument ${v.replacedBy})`,
    );
  }
  return out;
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The engine's placeholder for a value not known yet (a preview of a provider fed by another resource). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** CheckConfig's failures: the same rules the client applies later, but before any task is touched. */
export function checkConfig(news: Bag): { property: string; reason: string }[] {
  const plain = unwrapSecrets(news) as Bag;
  const failures: { property: string; reason: string }[] = [];
  for (const [name, v] of Object.entries(CONFIG_VARIABLES)) {
    const value = plain[name];
    if (value === undefined || value === null || value === "" || value === UNKNOWN) continue;
    if (name in ROLE_CONFIG_VARIABLES) {
      const reason = checkRoleConfig(name, value);
      if (reason) failures.push({ property: name, reason });
    } else if (v.type === "integer") {
      const n = typeof value === "number" ? value : Number(value);
      if (!Number.isInteger(n) || n <= 0)
        failures.push({
          property: name,
          reason: `${name} must be a positive whole number, got ${JSON.stringify(value)}`,
        });
    } else if (typeof value !== "string") {
      failures.push({ property: name, reason: `${name} must be a string` });
    }
  }
  // The span's own range (1..30), unless the type check above already failed it.
  const span = plain.maxTaskSpanDays;
  if ((typeof span === "number" || typeof span === "string") && span !== "" && span !== UNKNOWN) {
    if (!failures.some((f) => f.property === "maxTaskSpanDays")) {
      try {
        parseMaxTaskSpanDays(span, "maxTaskSpanDays");
      } catch (e) {
        failures.push({ property: "maxTaskSpanDays", reason: (e as Error).message });
      }
    }
  }
  const region = plain.region;
  if (typeof region === "string" && region !== "" && region !== UNKNOWN && !REGIONS.includes(region)) {
    failures.push({
      property: "region",
      reason: `region must be one of ${REGIONS.join(", ")}, got ${JSON.stringify(region)}`,
    });
  }
  const hasId = typeof plain.secretId === "string" && plain.secretId !== "";
  const hasKey = typeof plain.secretKey === "string" && plain.secretKey !== "";
  if (hasId !== hasKey) {
    const missing = hasId ? "secretKey" : "secretId";
    failures.push({
      property: missing,
      reason: `${hasId ? "secretId" : "secretKey"} is set but ${missing} is not; set both on the provider`,
    });
  }
  return failures;
}

/** The checked config as the engine stores it: the credential fields stay (or become) secrets. */
export function checkedConfig(news: Bag, wrap: (v: unknown) => unknown): Bag {
  const out: Bag = {};
  for (const [k, v] of Object.entries(news)) {
    out[k] = CONFIG_VARIABLES[k]?.secret && !isSecretValue(v) ? wrap(v) : v;
  }
  return out;
}

/** Provider inputs (Configure's args, secrets unwrapped) → the settings the core resolves from. */
export function toSettings(inputs: Bag): Settings {
  const plain = unwrapSecrets(inputs) as Bag;
  const out: Settings = {};
  for (const [name, v] of Object.entries(CONFIG_VARIABLES)) {
    const value = text(plain[name]);
    // The new name wins over its deprecated one.
    if (v.replacedBy && given(plain[v.replacedBy])) continue;
    // Not known yet (a preview of a provider fed by another resource's output): as if unset, so a
    // placeholder never becomes a region or a key; the real value arrives with the update's Configure.
    if (value !== undefined && value !== "" && value !== UNKNOWN) out[v.settingsKey] = value;
  }
  return out;
}

/** Configure's `variables` (keys `tencentcloud-css:config:secretId`, values JSON text or plain). */
export function fromVariables(variables: Record<string, string>, pkg: string): Bag {
  const out: Bag = {};
  for (const [key, value] of Object.entries(variables)) {
    const name = key.startsWith(`${pkg}:config:`)
      ? key.slice(`${pkg}:config:`.length)
      : key.startsWith(`${pkg}:`)
        ? key.slice(pkg.length + 1)
        : undefined;
    if (name && name in CONFIG_VARIABLES) out[name] = value;
  }
  return out;
}
