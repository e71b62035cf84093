// getLivePullStreamTaskStatus as a provider function (Invoke) of the native plugin, so Pulumi YAML
// (`fn::invoke`) and Python reach it: the schema offers it, it answers with this provider's
// settings, the URLs being pulled come back secret, and an unknown function is named.
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CssClient } from "../../provider/api/client";
import { TestEmulator } from "../support/emulator";
import type { ProviderHost } from "../support/host";
import { configurePlugin, emulatorAccount, getSchema, isSecret, startPlugin } from "../support/plugin";
import { iso } from "../support/time";

const FUNCTION = "tencentcloud-css:index:getLivePullStreamTaskStatus";
let emu: TestEmulator;
let host: ProviderHost;
let taskId: string;

async function invoke(tok: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const req = new provproto.InvokeRequest();
  req.setTok(tok);
  req.setArgs(Struct.fromJavaScript(args as never));
  const res = await host.unary<provproto.InvokeRequest, provproto.InvokeResponse>("invoke", req);
  return (res.getReturn()?.toJavaScript() ?? {}) as Record<string, unknown>;
}

beforeAll(async () => {
  emu = await TestEmulator.start();
  host = await startPlugin();
  await configurePlugin(host, emulatorAccount(emu.url));
  const client = new CssClient({ secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key", endpoint: emu.url, region: "ap-guangzhou" });
  taskId = (await client.createTask({ SourceType: "PullLivePushLive", SourceUrls: ["rtmp://o.example.net/live/x?sign=abc"], DomainName: "push.example.com",
    AppName: "live", StreamName: "invoked", StartTime: iso(Date.now() - 60_000), EndTime: iso(Date.now() + 3600_000), Operator: "t" })).TaskId;
});
afterAll(async () => {
  await host?.close();
  await emu?.close();
});

describe("native plugin: getLivePullStreamTaskStatus (Invoke)", () => {
  it("is in the schema, and answers the task's run status with the pulled URL as a secret", async () => {
    const schema = await getSchema(host);
    expect(Object.keys(schema.functions as Record<string, unknown>)).toEqual([FUNCTION]);
    const out = await invoke(FUNCTION, { taskId });
    expect(out).toMatchObject({ taskId, region: "ap-guangzhou", runStatus: "active", active: true });
    expect(isSecret(out.fileUrl)).toBe(true);
  });

  it("an unknown function is an error naming the one offered", async () => {
    await expect(invoke("tencentcloud-css:index:getNothing", {})).rejects.toThrow(/unknown function tencentcloud-css:index:getNothing; this provider offers .*getLivePullStreamTaskStatus/);
  });
});
