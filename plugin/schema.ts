// The Pulumi package schema of the native provider, generated from schema/task.schema.json (the
// single source of field facts): types, descriptions, secrets (x-secret) and replaceOnChanges (the
// fields ModifyLivePullStreamTask cannot change, x-modifiable false). Served by GetSchema and
// written to plugin/schema.json by `npm run docs`; test/plugin/schema.test.ts checks it against
// Pulumi's own metaschema and fails when the committed file is stale.
import * as fs from "node:fs";
import * as path from "node:path";
import { FIELDS, OUTPUT_ONLY_FIELDS, TASK_SCHEMA } from "../provider/task/fields";
import { CONFIG_VARIABLES } from "./config";
import { CONFIG_TYPES } from "./config-roles";
import { FUNCTIONS_SCHEMA } from "./functions";

export const PACKAGE_NAME = "tencentcloud-css";
export const RESOURCE_TOKEN = `${PACKAGE_NAME}:index:LivePullStreamTask`;
const WATERMARK_TOKEN = `${PACKAGE_NAME}:index:Watermark`;
const SCHEDULE_TOKEN = `${PACKAGE_NAME}:index:Schedule`;

/** This package's manifest: the nearest package.json above (plugin/ in source, dist/plugin built). */
function manifest(): { name: string; version: string; license: string } {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file))
      return JSON.parse(fs.readFileSync(file, "utf8")) as { name: string; version: string; license: string };
  }
  throw new Error(`no package.json above ${__dirname}`);
}
const packageJson = manifest();

/** The plugin's version: the package's own (valid semver, as GetPluginInfo requires). */
export const PLUGIN_VERSION: string = packageJson.version;

/** Outputs that are not inputs: read from DescribeLivePullStreamTasks after each write. */
const OUTPUT_DESCRIPTIONS: Record<(typeof OUTPUT_ONLY_FIELDS)[number], string> = {
  taskId: "The task's ID (TaskId), also the resource's ID: what `pulumi import` takes.",
  createTime: "When the task was created (UTC, as the API reports it).",
  updateTime: "When the task was last changed (UTC, as the API reports it).",
  createBy: "Who created the task, as the API records it.",
  updateBy: "Who last changed the task, as the API records it.",
};

type Json = Record<string, unknown>;
interface JsonSchemaProperty {
  type?: string;
  description?: string;
  title?: string;
  items?: JsonSchemaProperty & { $ref?: string };
  properties?: Record<string, JsonSchemaProperty>;
  required?: string[];
  $ref?: string;
  "x-secret"?: boolean;
  "x-modifiable"?: boolean;
}

/** A JSON Schema property as a Pulumi property spec (type, items, $ref to the object types). */
function typeSpec(p: JsonSchemaProperty, where: string): Json {
  if (p.$ref === "#/definitions/watermark") return { $ref: `#/types/${WATERMARK_TOKEN}` };
  switch (p.type) {
    case "string":
    case "integer":
    case "number":
    case "boolean":
      return { type: p.type };
    case "array":
      if (!p.items) throw new Error(`schema/task.schema.json: ${where} is an array without items`);
      return { type: "array", items: typeSpec(p.items, `${where}.items`) };
    case "object":
      if (where === "schedule") return { $ref: `#/types/${SCHEDULE_TOKEN}` };
      break;
  }
  throw new Error(
    `schema/task.schema.json: ${where} has a type the package schema generator does not map ` +
      `(${JSON.stringify(p.type ?? p.$ref)})`,
  );
}

function describe(p: JsonSchemaProperty): string {
  return p.description ?? p.title ?? "";
}

function objectType(
  description: string,
  props: Record<string, JsonSchemaProperty>,
  required: string[],
  where: string,
): Json {
  const properties: Json = {};
  for (const [name, p] of Object.entries(props))
    properties[name] = { ...typeSpec(p, `${where}.${name}`), description: describe(p) };
  return { type: "object", description, properties, required };
}

function taskInputProperties(): Json {
  const out: Json = {};
  for (const f of FIELDS) {
    const p = TASK_SCHEMA.properties[f.name] as JsonSchemaProperty;
    const spec: Json = { ...typeSpec(p, f.name), description: f.description };
    if (f.secret) spec.secret = true;
    if (!f.modifiable) spec.replaceOnChanges = true;
    out[f.name] = spec;
  }
  return out;
}

function configProperties(): Json {
  const out: Json = {};
  for (const [name, v] of Object.entries(CONFIG_VARIABLES)) {
    const type = v.objectType
      ? { $ref: `#/types/${PACKAGE_NAME}:index:${v.objectType}` }
      : v.type === "array" ? { type: "array", items: { type: "string" } } : { type: v.type };
    out[name] = {
      ...type,
      description: v.description,
      ...(v.secret ? { secret: true } : {}),
      ...(v.replacedBy ? { deprecationMessage: `Use ${v.replacedBy}.` } : {}),
    };
  }
  return out;
}

export function packageSchema(): Json {
  const inputs = taskInputProperties();
  const outputs: Json = { ...inputs };
  for (const key of OUTPUT_ONLY_FIELDS) outputs[key] = { type: "string", description: OUTPUT_DESCRIPTIONS[key] };
  const definitions = TASK_SCHEMA.definitions as unknown as Record<string, JsonSchemaProperty>;
  const schedule = TASK_SCHEMA.properties.schedule as unknown as JsonSchemaProperty;
  const config = configProperties();
  return {
    name: PACKAGE_NAME,
    displayName: "Tencent Cloud CSS pull-stream tasks",
    version: PLUGIN_VERSION,
    description: "Tencent Cloud CSS stream-pulling tasks (LivePullStreamTask) as a native Pulumi provider.",
    keywords: ["pulumi", "tencentcloud", "css", "live", "category/media"],
    license: packageJson.license,
    publisher: packageJson.name,
    meta: { moduleFormat: "(.*)" },
    config: { variables: config },
    provider: {
      description: "The provider: Tencent Cloud credentials, region and endpoint for the tasks it manages.",
      inputProperties: config,
      properties: config,
    },
    types: {
      [WATERMARK_TOKEN]: objectType(
        describe(definitions.watermark),
        definitions.watermark.properties ?? {},
        definitions.watermark.required ?? [],
        "watermark",
      ),
      [SCHEDULE_TOKEN]: objectType(describe(schedule), schedule.properties ?? {}, schedule.required ?? [], "schedule"),
      ...Object.fromEntries(
        Object.entries(CONFIG_TYPES).map(([name, t]) => [`${PACKAGE_NAME}:index:${name}`, { type: "object", ...t }]),
      ),
    },
    resources: {
      [RESOURCE_TOKEN]: {
        description: String(TASK_SCHEMA.description ?? ""),
        inputProperties: inputs,
        requiredInputs: TASK_SCHEMA.required,
        properties: outputs,
        required: ["taskId", ...TASK_SCHEMA.required],
      },
    },
    functions: FUNCTIONS_SCHEMA,
    language: {
      nodejs: { packageName: "@pulumi-css-pull-tasks/tencentcloud-css", respectSchemaVersion: true },
      python: { packageName: "pulumi_tencentcloud_css", respectSchemaVersion: true },
    },
  };
}

/** The schema as plugin/schema.json holds it (and GetSchema answers). */
export function packageSchemaText(): string {
  return `${JSON.stringify(packageSchema(), null, 2)}\n`;
}
