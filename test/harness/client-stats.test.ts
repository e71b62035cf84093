// The bench reports retries by the API client's own count, read from each provider host as it
// stops (harness/client-stats.ts). Held against an independent count: the emulator's injected
// throttles, each of which the client must have retried.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { ProviderHost, taskUrn } from "../support/host";
import { emulatorConfig, liveRelay } from "../support/tasks";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, faults: { throttle: 0.3 }, seed: 11 });
});

afterAll(async () => {
  await emulator?.close();
});

describe("ProviderHost client stats", () => {
  it("after close, tells the client's calls and retries: one retry per injected throttle", async () => {
    const host = await ProviderHost.start({ clientStats: true });
    try {
      await host.configure(emulatorConfig(emulator.url));
      for (let i = 0; i < 12; i++) {
        const urn = taskUrn(`stats-${i}`);
        const checked = await host.check(urn, {}, liveRelay());
        await host.create(urn, checked.inputs);
      }
      expect(host.clientStats()).toBeUndefined(); // printed only when the host stops
    } finally {
      await host.close();
    }
    const stats = host.clientStats();
    const throttles = emulator.faults().injected.throttle;
    expect(throttles).toBeGreaterThan(0);
    expect(stats?.retries).toBe(throttles);
    expect(stats?.throttled).toBe(throttles);
    const sent = Object.values(stats?.calls ?? {}).reduce((a, b) => a + b, 0);
    const received = Object.values(emulator.calls().calls).reduce((a, b) => a + b, 0);
    expect(sent).toBe(received);
  });

  it("a host started without client stats reports none", async () => {
    const host = await ProviderHost.start();
    await host.configure(emulatorConfig(emulator.url));
    await host.close();
    expect(host.clientStats()).toBeUndefined();
  });
});
