// An API outage through the real provider host: every request fails with a retryable error. The
// host's retry budget (one per process and account) caps the retries of all operations together,
// so the outage is not multiplied by 6, and every operation ends with a clear error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { QUOTA_CAPACITY, RETRY_COST } from "../../provider/api/quota";
import { HostCallError, ProviderHost, taskUrn } from "../support/host";
import { emulatorConfig } from "../support/tasks";

const OPERATIONS = 100;
let emu: RunningEmulator;
let host: ProviderHost;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, faults: "internal=1", seed: 1 });
  host = await ProviderHost.start();
  await host.configure(emulatorConfig(emu.url));
});

afterAll(async () => {
  await host?.close();
  await emu?.close();
});

describe("outage", () => {
  it(`${OPERATIONS} parallel deletes make ${OPERATIONS} + ${QUOTA_CAPACITY / RETRY_COST} requests in all, not ${OPERATIONS} × 6`, async () => {
    const ids = Array.from({ length: OPERATIONS }, (_, i) => `task-outage-${i}`);
    const results = await Promise.allSettled(ids.map((id, i) => host.delete(id, taskUrn(`gone${i}`), { taskId: id, region: "ap-guangzhou" })));
    expect(results.every((r) => r.status === "rejected" && r.reason instanceof HostCallError)).toBe(true);
    const reasons = results.map((r) => ((r as PromiseRejectedResult).reason as Error).message);
    expect(reasons.every((m) => /InternalError/.test(m))).toBe(true);
    expect(reasons.filter((m) => /retry budget is spent/.test(m)).length).toBeGreaterThan(0);
    expect(emu.calls().calls.DeleteLivePullStreamTask).toBe(OPERATIONS + QUOTA_CAPACITY / RETRY_COST);
  }, 90_000);
});
