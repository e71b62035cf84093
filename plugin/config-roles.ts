// The native provider's credential settings beyond the key pair: the same names as the dynamic
// face's `tencentcloud:<key>` (assumeRole, camRoleName, …), here under `tencentcloud-css:`. Structured
// values (the role objects, the account list) are typed in the package schema (schema.ts reads
// CONFIG_TYPES) and reach the core as JSON text, which credential-plan.ts parses for both faces.
import {
  ASSUME_ROLE_FIELDS,
  MAX_SESSION_DURATION,
  parseAccountIds,
  parseDuration,
  WEB_IDENTITY_FIELDS,
} from "../provider/api/credential-plan";
import { CONFIG_KEYS } from "../provider/api/credentials";

export interface RoleConfigVariable {
  type: "string" | "boolean" | "object" | "array";
  secret: boolean;
  description: string;
  settingsKey: string;
  /** For type "object": the name of its type in CONFIG_TYPES. */
  objectType?: string;
}

const DURATION = `Seconds the temporary credentials last: 0..${MAX_SESSION_DURATION}, 0 or unset = 7200. ` +
  "They are refreshed ahead of expiry.";

/** Object types of the package schema, by name (schema.ts prefixes the package's token). */
export interface ConfigObjectType {
  description: string;
  properties: Record<string, { type: string; description: string; secret?: boolean }>;
  required: string[];
}

export const CONFIG_TYPES: Record<string, ConfigObjectType> = {
  AssumeRole: {
    description: "STS AssumeRole with the base credentials (key pair or CVM role).",
    properties: {
      roleArn: { type: "string", description: "The role, qcs::cam::uin/<uin>:roleName/<name>." },
      sessionName: { type: "string", description: "RoleSessionName (default pulumi-css-pull-tasks)." },
      sessionDuration: { type: "integer", description: DURATION },
      policy: { type: "string", description: "A policy narrowing the role's permissions (JSON text)." },
      externalId: { type: "string", description: "The role's external id, when its trust policy asks for one." },
      sourceIdentity: { type: "string", description: "AssumeRole's SourceIdentity: the caller's identity (UIN)." },
      serialNumber: {
        type: "string",
        description: "MFA: the CAM user's MFA device, qcs::cam:uin/<ownerUin>::mfa/softToken (with tokenCode).",
      },
      tokenCode: {
        type: "string",
        secret: true,
        description: "MFA: the code the device shows now. It proves one AssumeRole: the session is not " +
          "renewed, so a run must end within sessionDuration.",
      },
    },
    required: ["roleArn"],
  },
  AssumeRoleWithWebIdentity: {
    description: "STS AssumeRoleWithWebIdentity (OIDC): no SecretId/SecretKey needed.",
    properties: {
      providerId: { type: "string", description: "The identity provider's name in CAM (default OIDC)." },
      webIdentityToken: { type: "string", description: "The OIDC token itself.", secret: true },
      webIdentityTokenFile: { type: "string", description: "A file holding the token, re-read at each exchange." },
      roleArn: { type: "string", description: "The role, qcs::cam::uin/<uin>:roleName/<name>." },
      roleArnFile: {
        type: "string",
        description: 'A file holding the role (JSON {"role_arn": …} or the bare ARN), used when roleArn is unset.',
      },
      sessionName: { type: "string", description: "RoleSessionName (default pulumi-css-pull-tasks)." },
      sessionDuration: { type: "integer", description: DURATION },
    },
    required: [],
  },
};

export const ROLE_CONFIG_VARIABLES: Readonly<Record<string, RoleConfigVariable>> = {
  profile: {
    type: "string", secret: false, settingsKey: CONFIG_KEYS.profile,
    description: "tccli profile holding the key pair (default `default`). Falls back to TENCENTCLOUD_PROFILE.",
  },
  sharedCredentialsDir: {
    type: "string", secret: false, settingsKey: CONFIG_KEYS.sharedCredentialsDir,
    description: "Directory of the tccli profiles (default ~/.tccli). " +
      "Falls back to TENCENTCLOUD_SHARED_CREDENTIALS_DIR.",
  },
  camRoleName: {
    type: "string", secret: false, settingsKey: CONFIG_KEYS.camRoleName,
    description: "CVM instance role: credentials from the instance metadata service instead of a key pair. " +
      "Falls back to TENCENTCLOUD_CAM_ROLE_NAME.",
  },
  // Secret as a whole: it may hold an MFA tokenCode.
  assumeRole: {
    type: "object", secret: true, settingsKey: CONFIG_KEYS.assumeRole, objectType: "AssumeRole",
    description: "Assume this role with the base credentials (STS AssumeRole). Falls back to " +
      "TENCENTCLOUD_ASSUME_ROLE_ARN / _SESSION_NAME / _SESSION_DURATION / _EXTERNAL_ID / _SOURCE_IDENTITY / " +
      "_SERIAL_NUMBER / _TOKEN_CODE.",
  },
  assumeRoleWithWebIdentity: {
    type: "object", secret: true, settingsKey: CONFIG_KEYS.assumeRoleWithWebIdentity,
    objectType: "AssumeRoleWithWebIdentity",
    description: "Assume this role with an OIDC token (GitHub Actions, TKE pods): no key pair needed. " +
      "Falls back to TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN[_FILE] with TENCENTCLOUD_ASSUME_ROLE_ARN.",
  },
  enablePodOidc: {
    type: "boolean", secret: false, settingsKey: CONFIG_KEYS.enablePodOidc,
    description: "Use TKE pod OIDC (TKE_ROLE_ARN, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_REGION).",
  },
  allowedAccountIds: {
    type: "array", secret: false, settingsKey: CONFIG_KEYS.allowedAccountIds,
    description: "Account ids (UINs) the credentials must belong to (STS GetCallerIdentity, once, " +
      "before any CSS call).",
  },
  stsEndpoint: {
    type: "string", secret: false, settingsKey: CONFIG_KEYS.stsEndpoint,
    description: "STS endpoint, scheme://host[:port] (default https://sts.tencentcloudapi.com). " +
      "Falls back to TENCENTCLOUD_STS_ENDPOINT.",
  },
};

function checkObject(name: string, value: unknown, fields: readonly string[]): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `${name} must be an object {${fields.join(", ")}}`;
  }
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !fields.includes(k));
  if (unknown.length) return `${name} has unknown field ${unknown.join(", ")} (known: ${fields.join(", ")})`;
  // Digits set with `pulumi config set --path` arrive as a number, and mean their digits (credential-plan.ts).
  const isText = (v: unknown) => typeof v === "string" || (typeof v === "number" && Number.isSafeInteger(v) && v >= 0);
  const notText = fields.find((f) => f !== "sessionDuration" && o[f] != null && !isText(o[f]));
  if (notText) return `${name}.${notText} must be a string`;
  const arnFile = name === "assumeRoleWithWebIdentity" && !!o.roleArnFile;
  if ((typeof o.roleArn !== "string" || o.roleArn === "") && !arnFile) {
    return name === "assumeRole" ? `${name}.roleArn is required` : `${name} needs roleArn or roleArnFile`;
  }
  try {
    parseDuration(o.sessionDuration, `${name}.sessionDuration`);
  } catch (e) {
    return (e as Error).message;
  }
  if (name === "assumeRoleWithWebIdentity" && !o.webIdentityToken && !o.webIdentityTokenFile) {
    return `${name} needs webIdentityToken or webIdentityTokenFile`;
  }
  return undefined;
}

/** CheckConfig's failures for these settings (`plain`: secrets unwrapped; unknowns already skipped). */
export function checkRoleConfig(name: string, raw: unknown): string | undefined {
  const v = ROLE_CONFIG_VARIABLES[name];
  if (!v) return undefined;
  // Configure's `variables` and older engines carry structured values as JSON text.
  let value = raw;
  if (typeof raw === "string" && v.type !== "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
  }
  switch (v.type) {
    case "string":
      return typeof value === "string" ? undefined : `${name} must be a string`;
    case "boolean":
      return typeof value === "boolean" ? undefined : `${name} must be true or false`;
    case "array":
      try {
        parseAccountIds(typeof value === "string" ? value : JSON.stringify(value));
        return undefined;
      } catch (e) {
        return (e as Error).message.replace(CONFIG_KEYS.allowedAccountIds, name);
      }
    case "object":
      return checkObject(name, value, name === "assumeRole" ? ASSUME_ROLE_FIELDS : WEB_IDENTITY_FIELDS);
  }
}
