// The native provider's Pulumi package schema: valid against Pulumi's own metaschema (a copy of
// pulumi/pulumi's pkg/codegen/schema/pulumi.json), generated from schema/task.schema.json, the
// committed plugin/schema.json up to date, and served as is by GetSchema over gRPC.
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FIELDS, OUTPUT_ONLY_FIELDS, REPLACE_FIELDS, SECRET_FIELDS, TASK_SCHEMA } from "../../provider/task/fields";
import { packageSchema, packageSchemaText, RESOURCE_TOKEN } from "../../plugin/schema";
import type { ProviderHost } from "../support/host";
import { getSchema, startPlugin } from "../support/plugin";

const root = path.join(__dirname, "..", "..");
const metaschema = JSON.parse(fs.readFileSync(path.join(root, "plugin", "pulumi-package.metaschema.json"), "utf8"));
type Spec = Record<string, any>;
const resource = () => (packageSchema().resources as Spec)[RESOURCE_TOKEN] as Spec;

function validate(schema: unknown): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const check = ajv.compile(metaschema);
  return check(schema) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("package schema", () => {
  test("is valid against Pulumi's package metaschema, which does catch a broken one", () => {
    expect(metaschema.title).toBe("Pulumi Package Metaschema");
    expect(validate(packageSchema())).toEqual([]);
    // The check is not vacuous: a bad package name and a property without a type are refused.
    const broken = packageSchema();
    broken.name = "9-not-a-name";
    (broken.resources as Spec)[RESOURCE_TOKEN].inputProperties.comment = { description: "no type", secret: "yes" };
    expect(validate(broken).length).toBeGreaterThan(0);
  });

  test("plugin/schema.json is the current generation (run `npm run docs` when this fails)", () => {
    expect(fs.readFileSync(path.join(root, "plugin", "schema.json"), "utf8")).toBe(packageSchemaText());
  });

  test("field facts come from schema/task.schema.json: every field, description, secret, replaceOnChanges", () => {
    const r = resource();
    expect(Object.keys(r.inputProperties)).toEqual(FIELDS.map((f) => f.name));
    expect(r.requiredInputs).toEqual(TASK_SCHEMA.required);
    for (const f of FIELDS) expect(r.inputProperties[f.name].description).toBe(f.description);
    const flagged = (key: string) => Object.keys(r.inputProperties).filter((k) => r.inputProperties[k][key] === true);
    expect(flagged("secret")).toEqual([...SECRET_FIELDS]);
    expect(flagged("replaceOnChanges")).toEqual([...REPLACE_FIELDS]);
    expect(Object.keys(r.properties)).toEqual([...FIELDS.map((f) => f.name), ...OUTPUT_ONLY_FIELDS]);
    expect(r.inputProperties.watermarkList).toEqual(expect.objectContaining({ type: "array", items: { $ref: "#/types/tencentcloud-css:index:Watermark" } }));
    expect(r.inputProperties.vodLoopTimes.type).toBe("integer");
    const watermark = (packageSchema().types as Spec)["tencentcloud-css:index:Watermark"];
    expect(Object.keys(watermark.properties)).toEqual(Object.keys(TASK_SCHEMA.definitions.watermark.properties));
  });

  test("the provider's config: credentials are secrets, the documented settings are all there", () => {
    const s = packageSchema() as Spec;
    expect(Object.keys(s.provider.inputProperties)).toEqual(["secretId", "secretKey", "securityToken", "region", "cssEndpoint", "protocol", "domain",
      "requestTimeoutMs", "maxTaskSpanDays", "profile", "sharedCredentialsDir", "camRoleName", "assumeRole",
      "assumeRoleWithWebIdentity", "enablePodOidc", "allowedAccountIds", "stsEndpoint", "endpoint"]);
    const secrets = Object.entries(s.config.variables as Spec).filter(([, v]) => v.secret).map(([k]) => k);
    // assumeRole may hold an MFA tokenCode: secret as a whole, as assumeRoleWithWebIdentity (its token).
    expect(secrets).toEqual(["secretId", "secretKey", "securityToken", "assumeRole", "assumeRoleWithWebIdentity"]);
    // The role settings are typed: objects by reference, the account list an array of strings.
    expect(s.config.variables.assumeRole).toMatchObject({ $ref: "#/types/tencentcloud-css:index:AssumeRole" });
    expect(s.config.variables.allowedAccountIds).toMatchObject({ type: "array", items: { type: "string" } });
    const wi = (s.types as Spec)["tencentcloud-css:index:AssumeRoleWithWebIdentity"];
    expect(wi.properties.webIdentityToken.secret).toBe(true);
    // The Terraform provider's assume_role_with_web_identity.role_arn_file: roleArn or roleArnFile.
    expect(wi.properties.roleArnFile).toMatchObject({ type: "string" });
    expect(wi.required).toEqual([]);
    // Its assume_role.source_identity, serial_number and token_code (the MFA code a secret).
    const ar = (s.types as Spec)["tencentcloud-css:index:AssumeRole"];
    expect(Object.keys(ar.properties)).toEqual(["roleArn", "sessionName", "sessionDuration", "policy", "externalId",
      "sourceIdentity", "serialNumber", "tokenCode"]);
    expect(Object.entries(ar.properties as Spec).filter(([, v]) => v.secret).map(([k]) => k)).toEqual(["tokenCode"]);
    expect(s.provider.inputProperties).toEqual(s.config.variables);
    expect(s.config.variables.endpoint.deprecationMessage).toBe("Use cssEndpoint.");
  });
});

describe("GetSchema over gRPC", () => {
  let host: ProviderHost;
  beforeAll(async () => {
    host = await startPlugin();
  });
  afterAll(async () => {
    await host?.close();
  });

  test("serves the generated schema", async () => {
    expect(await getSchema(host)).toEqual(packageSchema());
  });

  test("installed from source (plugin/PulumiPlugin.yaml, nodejs runtime): the language host's run-plugin serves it too", async () => {
    expect(fs.readFileSync(path.join(root, "plugin", "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    const source = await startPlugin(process.env, "source");
    try {
      expect(await getSchema(source)).toEqual(packageSchema());
    } finally {
      await source.close();
    }
  });
});
