import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import taskSchema from "../../schema/task.schema.json";
import tasksFileSchema from "../../schema/tasks-file.schema.json";
import { ANNOTATION_KEYWORDS } from "../../provider/task/validate";
import { ADOPT_FIELD } from "../../provider/task/fields";
import {
  API_NAME,
  FIELDS,
  INPUT_NAME,
  MODIFIABLE_FIELDS,
  NO_CHANGE_FIELDS,
  REPLACE_FIELDS,
  SECRET_FIELDS,
  WRITE_ONLY_FIELDS,
} from "../../provider/task";

const schema = taskSchema as unknown as {
  properties: Record<string, Record<string, unknown>>;
  definitions: Record<string, { properties: Record<string, unknown> }>;
};

describe("the schema files against JSON Schema's draft-07 meta-schema (compiled without it at run time)", () => {
  it("both are valid schemas, with the project's annotation keywords", () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    ajv.addVocabulary(ANNOTATION_KEYWORDS);
    expect(ajv.validateSchema(taskSchema), ajv.errorsText()).toBe(true);
    expect(ajv.validateSchema(tasksFileSchema), ajv.errorsText()).toBe(true);
    expect(ajv.validateSchema({ type: "object", properties: { a: { type: "strin" } } })).toBe(false);
  });
});

describe("schema/task.schema.json field facts", () => {
  it("describes a watermark's size as PullPushWatermarkInfo does: percent of the live video's frame", () => {
    const wm = schema.definitions.watermark.properties as Record<string, { description: string }>;
    expect(wm.width.description).toMatch(/percent of the live video's original frame width.*only one of width and height/);
    expect(wm.height.description).toMatch(/percent of the live video's original frame height/);
    expect(wm.pictureUrl.description).toMatch(/Create takes png, jpg and gif/);
  });

  it("gives every property a title, a description and every annotation", () => {
    for (const [name, p] of Object.entries(schema.properties)) {
      expect(typeof p.title, name).toBe("string");
      expect(String(p.description).length, name).toBeGreaterThan(20);
      for (const k of ["x-modifiable", "x-write-only", "x-secret", "x-no-change"]) expect(typeof p[k], `${name} ${k}`).toBe("boolean");
      if (!["schedule", "restartTrigger", "restartWaitSeconds", "adoptTaskId", "allowSharedDestination"].includes(name)) expect(p["x-api-name"], name).toBe(name[0].toUpperCase() + name.slice(1));
    }
  });

  it("lists the create-only fields (backupToUrl is not: the newest Modify replaces or cancels it)", () => {
    expect([...REPLACE_FIELDS].sort()).toEqual(
      ["sourceType", "domainName", "appName", "streamName", "toUrl", "pushArgs", "region", "extraCmd", "recordTemplateId", "transcodeTemplateName"].sort(),
    );
    expect(MODIFIABLE_FIELDS).toContain("endTime");
    expect(MODIFIABLE_FIELDS).not.toContain("toUrl");
  });

  it("lists write-only, secret and no-change fields", () => {
    expect([...WRITE_ONLY_FIELDS].sort()).toEqual(["backupVodUrl", "extraCmd", "fileIndex", "offsetTime", "operator", "toUrl"]);
    expect([...SECRET_FIELDS].sort()).toEqual(["backupSourceUrl", "backupToUrl", "backupVodUrl", "callbackUrl", "pushArgs", "sourceUrls", "toUrl", "watermarkList"]);
    expect(NO_CHANGE_FIELDS).toEqual(["operator", "restartWaitSeconds", "adoptTaskId", "allowSharedDestination"]);
  });

  it("names one input for Create to adopt (x-adopts), not an API field, a change of which is no change", () => {
    expect(ADOPT_FIELD).toBe("adoptTaskId");
    expect(FIELDS.find((f) => f.name === ADOPT_FIELD)).toMatchObject({ apiName: undefined, modifiable: true, noChange: true, adopts: true });
    expect(FIELDS.filter((f) => f.adopts)).toHaveLength(1);
  });

  it("maps API names both ways, with no API name for schedule", () => {
    expect(API_NAME.get("sourceUrls")).toBe("SourceUrls");
    expect(INPUT_NAME.get("VodLoopTimes")).toBe("vodLoopTimes");
    expect(API_NAME.has("schedule")).toBe(false);
    expect(FIELDS.length).toBe(Object.keys(schema.properties).length);
  });

  it("offers partialTask with exactly the task's properties, each a $ref to it", () => {
    const partial = schema.definitions.partialTask.properties as Record<string, { $ref: string }>;
    expect(Object.keys(partial)).toEqual(Object.keys(schema.properties));
    for (const [name, p] of Object.entries(partial)) expect(p.$ref).toBe(`#/properties/${name}`);
  });
});

describe("referencing the task schema from another schema", () => {
  it("resolves task.schema.json, #/definitions/partialTask and #/definitions/watermark by relative $ref", async () => {
    const { default: Ajv } = await import("ajv");
    const { ANNOTATION_KEYWORDS } = await import("../../provider/task");
    const ajv = new Ajv({ allErrors: true, strict: true });
    ajv.addVocabulary(ANNOTATION_KEYWORDS);
    ajv.addSchema(taskSchema);
    const validate = ajv.compile({
      $id: "https://pulumi-css-pull-tasks/schema/tasks-file.schema.json",
      type: "object",
      properties: {
        defaults: { $ref: "task.schema.json#/definitions/partialTask" },
        one: { $ref: "task.schema.json" },
        mark: { $ref: "task.schema.json#/definitions/watermark" },
      },
    });
    expect(validate({ defaults: { comment: "x" } })).toBe(true);
    expect(validate({ defaults: { sourceUrl: [] } })).toBe(false);
    expect(validate({ one: { comment: "x" } })).toBe(false); // a full task needs sourceType and sourceUrls
    expect(validate({ mark: { pictureUrl: "https://a.example.com/a.png", xPosition: 0, yPosition: 0, width: 1, height: 1, location: 5 } })).toBe(false);
  });
});
