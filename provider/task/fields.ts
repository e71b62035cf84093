// Field facts, read from schema/task.schema.json (the single source): nothing else lists fields.
import taskSchema from "../../schema/task.schema.json";

export interface FieldFact {
  /** Input name (lowerCamelCase). */
  name: string;
  /** API field name, or undefined for inputs of our own (schedule). */
  apiName?: string;
  /** ModifyLivePullStreamTask can change it in place; false: a change replaces the task. */
  modifiable: boolean;
  /** DescribeLivePullStreamTasks never returns it. */
  writeOnly: boolean;
  /** May carry credentials: a Pulumi secret, masked in messages. */
  secret: boolean;
  /** A change to it alone is no change (operator). */
  noChange: boolean;
  /** Modify takes it, Create does not (backupVodUrl): a new task gets it by a Modify after the Create. */
  modifyOnly: boolean;
  /** Each send of it restarts VOD playback (fileIndex, offsetTime): a Modify with it is not re-sent freely. */
  restartsPlayback: boolean;
  /** The TaskId of an existing task that Create adopts instead of creating one (adoptTaskId). */
  adopts: boolean;
  /** True lets Create push to a stream another task already pushes to (allowSharedDestination). */
  sharesDestination: boolean;
  /** "" is the API's own "not set" for it (ToUrl's empty DomainName, an empty CallbackUrl): same as absent. */
  emptyIsUnset: boolean;
  /** Title and description from the schema (for docs and messages). */
  title: string;
  description: string;
}

interface PropertySchema {
  title?: string;
  description?: string;
  enum?: unknown[];
  items?: { enum?: unknown[] };
  "x-api-name"?: string;
  "x-modifiable"?: boolean;
  "x-write-only"?: boolean;
  "x-secret"?: boolean;
  "x-no-change"?: boolean;
  "x-modify-only"?: boolean;
  "x-restarts-playback"?: boolean;
  "x-adopts"?: boolean;
  "x-shares-destination"?: boolean;
  "x-empty-is-unset"?: boolean;
  /** The values Modify's documentation lists where they are fewer than Create's (callbackEvents). */
  "x-modify-enum"?: unknown[];
}

/** The parsed schema, for validate.ts and for anyone generating docs. */
export const TASK_SCHEMA = taskSchema as unknown as Record<string, unknown> & {
  properties: Record<string, PropertySchema>;
  required: string[];
  definitions: { watermark: { properties: Record<string, PropertySchema> } };
};

export const FIELDS: readonly FieldFact[] = Object.entries(TASK_SCHEMA.properties).map(([name, p]) => {
  for (const key of ["x-modifiable", "x-write-only", "x-secret", "x-no-change"] as const) {
    if (typeof p[key] !== "boolean") throw new Error(`schema/task.schema.json: property ${name} lacks ${key}`);
  }
  return {
    name,
    apiName: p["x-api-name"],
    modifiable: p["x-modifiable"] === true,
    writeOnly: p["x-write-only"] === true,
    secret: p["x-secret"] === true,
    noChange: p["x-no-change"] === true,
    // Optional keyword: absent means Create takes the field like Modify does.
    modifyOnly: p["x-modify-only"] === true,
    restartsPlayback: p["x-restarts-playback"] === true,
    adopts: p["x-adopts"] === true,
    sharesDestination: p["x-shares-destination"] === true,
    emptyIsUnset: p["x-empty-is-unset"] === true,
    title: p.title ?? name,
    description: p.description ?? "",
  };
});

const names = (pred: (f: FieldFact) => boolean): readonly string[] => FIELDS.filter(pred).map((f) => f.name);

export const FIELD_NAMES: readonly string[] = names(() => true);
/** A change to any of these replaces the task. */
export const REPLACE_FIELDS: readonly string[] = names((f) => !f.modifiable);
export const MODIFIABLE_FIELDS: readonly string[] = names((f) => f.modifiable);
export const WRITE_ONLY_FIELDS: readonly string[] = names((f) => f.writeOnly);
export const SECRET_FIELDS: readonly string[] = names((f) => f.secret);
export const NO_CHANGE_FIELDS: readonly string[] = names((f) => f.noChange);
/** Fields only Modify takes: never in a Create request, applied by a Modify right after it. */
export const MODIFY_ONLY_FIELDS: readonly string[] = names((f) => f.modifyOnly);
/** Fields whose empty value means "not set", as the API documents: "" is read as absent. */
export const EMPTY_IS_UNSET_FIELDS: ReadonlySet<string> = new Set(names((f) => f.emptyIsUnset));
/** Fields whose every send restarts VOD playback: a Modify carrying one is sent at most twice. */
export const RESTARTS_PLAYBACK_FIELDS: readonly string[] = names((f) => f.restartsPlayback);

/** The input naming a task for Create to adopt (protocol/adopt.ts); only Create reads it, a change is no change. */
export const ADOPT_FIELD: string = (() => {
  const found = names((f) => f.adopts);
  if (found.length !== 1) {
    throw new Error(`schema/task.schema.json: expected one x-adopts property, got ${found.length}`);
  }
  return found[0];
})();

/** The input that lets Create share a destination with another task (protocol/shared.ts); only Create reads it. */
export const SHARED_DESTINATION_FIELD: string = (() => {
  const found = names((f) => f.sharesDestination);
  if (found.length !== 1) {
    throw new Error(`schema/task.schema.json: expected one x-shares-destination property, got ${found.length}`);
  }
  return found[0];
})();

/** Input name → API name (fields of our own, such as schedule, are absent). */
export const API_NAME: ReadonlyMap<string, string> = new Map(
  FIELDS.filter((f) => f.apiName).map((f) => [f.name, f.apiName as string]),
);
/** API name → input name. */
export const INPUT_NAME: ReadonlyMap<string, string> = new Map(
  FIELDS.filter((f) => f.apiName).map((f) => [f.apiName as string, f.name]),
);

/** Watermark item: input name → API name (pictureUrl → PictureUrl). */
export const WATERMARK_API_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries(TASK_SCHEMA.definitions.watermark.properties).map(([name, p]) => [name, p["x-api-name"] ?? name]),
);

function enumOf(values: unknown[] | undefined, what: string): readonly string[] {
  if (!values) throw new Error(`schema/task.schema.json: ${what} has no enum`);
  return values.map(String);
}
export const SOURCE_TYPES = enumOf(TASK_SCHEMA.properties.sourceType.enum, "sourceType");
export const CALLBACK_EVENTS = enumOf(TASK_SCHEMA.properties.callbackEvents.items?.enum, "callbackEvents.items");
/** The events Modify's documentation lists (Create's less TaskAlarm): what removing the list sends. */
export const MODIFY_CALLBACK_EVENTS = enumOf(TASK_SCHEMA.properties.callbackEvents["x-modify-enum"], "callbackEvents");
export const REGIONS = enumOf(TASK_SCHEMA.properties.region.enum, "region");

/** Outputs the provider adds to the normalised inputs, read from Describe; never inputs. */
export const OUTPUT_ONLY_FIELDS = ["taskId", "createTime", "updateTime", "createBy", "updateBy"] as const;
