// Writes plugin/schema.json, the native provider's Pulumi package schema, generated from
// schema/task.schema.json by plugin/schema.ts (`npm run docs`; test/plugin/schema.test.ts fails
// when the committed file is stale). The plugin serves the same text from GetSchema.
import * as fs from "node:fs";
import * as path from "node:path";
import { packageSchemaText } from "../plugin/schema";

export const PACKAGE_SCHEMA_FILE = path.join("plugin", "schema.json");

if (require.main === module) {
  const file = path.join(__dirname, "..", "..", PACKAGE_SCHEMA_FILE);
  fs.writeFileSync(file, packageSchemaText());
  console.log(`wrote the package schema ${file}`);
}
