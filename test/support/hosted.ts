// The usual protocol-test setup: an emulator behind the test proxy, one provider host configured
// against it, and a simulated stack driving that host; started before the file's tests, stopped after.
import { afterAll, beforeAll } from "vitest";
import type { EmulatorOptions } from "../../emulator";
import { Stack } from "../../harness/engine";
import { TestEmulator } from "./emulator";
import { ProviderHost } from "./host";
import { emulatorConfig } from "./tasks";

export interface Hosted {
  emu: TestEmulator;
  host: ProviderHost;
  stack: Stack;
}

/** Registers the file's beforeAll/afterAll; the returned object is filled in by beforeAll. */
export function hostedStack(stackName: string, options: EmulatorOptions = { rateScale: 10 }): Hosted {
  const hosted = {} as Hosted;
  beforeAll(async () => {
    hosted.emu = await TestEmulator.start(options);
    hosted.host = await ProviderHost.start();
    await hosted.host.configure(emulatorConfig(hosted.emu.url));
    hosted.stack = new Stack(hosted.host, stackName);
  });
  afterAll(async () => {
    await hosted.host?.close();
    await hosted.emu?.close();
  });
  return hosted;
}
