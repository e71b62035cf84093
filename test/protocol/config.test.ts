// Where the provider gets its settings inside the host: `tencentcloud:*` stack config handed over
// by configure(), else the environment the engine starts the host with. A preview needs none.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, TestEmulator } from "../support/emulator";
import { HostCallError, ProviderHost } from "../support/host";
import { emulatorConfig, liveRelay } from "../support/tasks";

let emu: TestEmulator;
let home: string;

/** The engine's environment for the host, minus any Tencent credentials of the machine running the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("TENCENTCLOUD_")) env[k] = v;
  return { ...env, HOME: home, ...extra };
}

beforeAll(async () => {
  emu = await TestEmulator.start();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "css-home-"));
});

afterAll(async () => {
  await emu?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe("without any credentials", () => {
  let host: ProviderHost;
  beforeAll(async () => {
    host = await ProviderHost.start({ env: cleanEnv() });
    await host.configure({});
  });
  afterAll(async () => {
    await host?.close();
  });

  it("previews (check and diff need no API), filling the default region", async () => {
    const stack = new Stack(host);
    const plan = await stack.preview("no-keys", liveRelay());
    expect(plan.check.failures).toEqual([]);
    expect(plan.check.inputs.region).toBe("ap-guangzhou");
  });

  it("fails create with a message that says where credentials are looked for, and creates nothing", async () => {
    const stack = new Stack(host);
    const before = emu.tasks().length;
    const err = await stack.up("no-keys", liveRelay()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).initFailure).toBeUndefined();
    expect((err as HostCallError).details).toMatch(/tencentcloud:secretKey/);
    expect((err as HostCallError).details).toMatch(/TENCENTCLOUD_SECRET_ID/);
    expect(emu.tasks().length).toBe(before);
  });
});

describe("settings from the environment and from stack config", () => {
  it("uses TENCENTCLOUD_* from the host's environment when the stack sets nothing", async () => {
    const host = await ProviderHost.start({
      env: cleanEnv({ TENCENTCLOUD_SECRET_ID: EMULATOR_SECRET_ID, TENCENTCLOUD_SECRET_KEY: EMULATOR_SECRET_KEY, TENCENTCLOUD_CSS_ENDPOINT: emu.url, TENCENTCLOUD_REGION: "ap-singapore" }),
    });
    try {
      await host.configure({});
      const stack = new Stack(host);
      await stack.up("from-env", liveRelay());
      const st = stack.state.get("from-env")!;
      expect(st.inputs.region).toBe("ap-singapore");
      expect(emu.task(st.id)!.Region).toBe("ap-singapore");
    } finally {
      await host.close();
    }
  });

  it("stack config wins over the environment, and its region becomes the tasks' default", async () => {
    const host = await ProviderHost.start({
      env: cleanEnv({ TENCENTCLOUD_SECRET_ID: "AKIDWRONG", TENCENTCLOUD_SECRET_KEY: "wrong-key", TENCENTCLOUD_REGION: "ap-singapore" }),
    });
    try {
      await host.configure(
        emulatorConfig(emu.url, {
          "tencentcloud:region": "ap-tokyo",
          // Other namespaces of the stack config reach the provider too; they are ignored.
          "css-pull-tasks:tasksFile": "tasks.yaml",
        }),
      );
      const stack = new Stack(host);
      await stack.up("from-config", liveRelay());
      const st = stack.state.get("from-config")!;
      expect(st.inputs.region).toBe("ap-tokyo");
      expect(emu.task(st.id)!.Region).toBe("ap-tokyo");
    } finally {
      await host.close();
    }
  });
});

describe("tencentcloud:requestTimeoutMs", () => {
  it("bounds each API request: a Modify whose answer never comes is read back after that long", async () => {
    const host = await ProviderHost.start({ env: cleanEnv() });
    try {
      await host.configure(emulatorConfig(emu.url, { "tencentcloud:requestTimeoutMs": "400" }));
      const stack = new Stack(host);
      const program = liveRelay();
      await stack.up("short-timeout", program);
      emu.failNext({ action: "ModifyLivePullStreamTask", kind: "timeout" });
      const started = Date.now();
      await stack.up("short-timeout", { ...program, comment: "changed" });
      // Far below the 15 s default: the timeout came from the stack config. (No timing assertion
      // on the machine's speed: 14 s of slack either way.)
      expect(Date.now() - started).toBeLessThan(14_000);
      expect(emu.task(stack.state.get("short-timeout")!.id)!.Comment).toBe("changed");
    } finally {
      await host.close();
    }
  });

  it("refuses a value that is not a positive number of milliseconds, naming the key", async () => {
    const host = await ProviderHost.start({ env: cleanEnv() });
    try {
      await host.configure(emulatorConfig(emu.url, { "tencentcloud:requestTimeoutMs": "soon" }));
      const err = await new Stack(host).up("bad-timeout", liveRelay()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as HostCallError).details).toMatch(/tencentcloud:requestTimeoutMs.*positive/);
    } finally {
      await host.close();
    }
  });
});
