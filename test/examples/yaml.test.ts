// examples/yaml: a Pulumi YAML program on the native provider. No CLI here, so the program is read
// as the YAML runtime would: its plugin path holds the source-based plugin, every resource type and
// property is in the package schema, and every task's inputs pass the plugin's own check.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { TaskProvider } from "../../plugin/provider";
import { packageSchema, RESOURCE_TOKEN } from "../../plugin/schema";
import { pluginUrn } from "../support/plugin";

const dir = path.join(__dirname, "..", "..", "examples", "yaml");
type Spec = Record<string, any>;
const program = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as Spec;
const schema = packageSchema() as Spec;

/** `${name}` references to config (defaults, or a test value for required secrets) and to other resources. */
function resolve(v: unknown): unknown {
  if (typeof v === "string") {
    return v.replace(/^\$\{([^}.]+)\}$/, (_m, name: string) => {
      const c = program.config?.[name];
      if (c) return c.default ?? `test-${name}`;
      if (program.resources?.[name]) return `<resource ${name}>`;
      throw new Error(`examples/yaml: unknown reference \${${name}}`);
    });
  }
  if (Array.isArray(v)) return v.map(resolve);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
  return v;
}

describe("examples/yaml", () => {
  const resources = Object.entries(program.resources as Record<string, Spec>);
  const tasks = resources.filter(([, r]) => r.type === RESOURCE_TOKEN);

  test("loads the provider from this repository's source-based plugin", () => {
    expect(program.runtime).toBe("yaml");
    const entry = program.plugins.providers.find((p: Spec) => p.name === "tencentcloud-css");
    expect(fs.existsSync(path.join(dir, entry.path, "PulumiPlugin.yaml"))).toBe(true);
  });

  test("two tasks, one through an explicit provider instance whose settings are schema config", () => {
    expect(tasks).toHaveLength(2);
    const explicit = tasks.filter(([, r]) => r.options?.provider);
    expect(explicit).toHaveLength(1);
    const providerName = String(explicit[0][1].options.provider).replace(/^\$\{(.+)\}$/, "$1");
    const provider = program.resources[providerName];
    expect(provider.type).toBe("pulumi:providers:tencentcloud-css");
    for (const key of Object.keys(provider.properties)) expect(Object.keys(schema.provider.inputProperties)).toContain(key);
  });

  test("every task property is a schema input and passes the plugin's check", async () => {
    const inputs = Object.keys(schema.resources[RESOURCE_TOKEN].inputProperties);
    const plugin = new TaskProvider();
    plugin.configure({ region: "ap-guangzhou" });
    for (const [name, r] of tasks) {
      for (const key of Object.keys(r.properties)) expect(inputs).toContain(key);
      const checked = await plugin.check(pluginUrn(name), {}, resolve(r.properties));
      expect({ name, failures: checked.failures }).toEqual({ name, failures: [] });
    }
  });
});
