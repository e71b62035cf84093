// One name per setting across both faces: the plugin's endpoint is `cssEndpoint`, as the dynamic
// resource's `tencentcloud:cssEndpoint`. The old name `endpoint` keeps working through the real
// plugin process, and CheckConfig says on stderr (which the engine shows) which name replaces it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TestEmulator, EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from "../support/emulator";
import type { ProviderHost } from "../support/host";
import { liveRelay } from "../support/tasks";
import { checkConfig, configurePlugin, pluginUrn, secret, startPlugin } from "../support/plugin";

let emulator: TestEmulator;
const hosts: ProviderHost[] = [];
const home = fs.mkdtempSync(path.join(os.tmpdir(), "css-plugin-rename-"));

beforeAll(async () => {
  emulator = await TestEmulator.start();
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await emulator?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe("plugin setting names", () => {
  for (const name of ["cssEndpoint", "endpoint"]) {
    test(`${name}: CheckConfig passes, the task is created at that endpoint${name === "endpoint" ? ", with a deprecation warning" : ""}`, async () => {
      const host = await startPlugin({ PATH: process.env.PATH, HOME: home });
      hosts.push(host);
      const config = { secretId: secret(EMULATOR_SECRET_ID), secretKey: secret(EMULATOR_SECRET_KEY), [name]: emulator.url };
      const checked = await checkConfig(host, {}, config);
      expect(checked.failures).toEqual([]);
      await configurePlugin(host, config);
      const program = liveRelay({ streamName: `rename-${name}` });
      const inputs = (await host.check(pluginUrn(`relay-${name}`), {}, program)).inputs;
      const created = await host.create(pluginUrn(`relay-${name}`), inputs);
      expect(emulator.task(created.id)?.StreamName).toBe(`rename-${name}`);
      const warned = host.stderr().includes("tencentcloud-css:endpoint is deprecated; use tencentcloud-css:cssEndpoint");
      expect(warned).toBe(name === "endpoint");
    });
  }
});
