// One provider host process serves every LivePullStreamTask of a stack, and all of them share one
// per-action limiter. How it works (node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js):
// the host keeps one deserialised provider per distinct `__provider` text (providerCache), and
// each provider's stubs `require()` provider/impl.js, which Node loads once per process; the
// client and the limiter registry (provider/config.ts, provider/api/limiter.ts) are that module's
// state. So even resources whose state carries different provider texts (e.g. written by two
// package versions) share the limiter. This test drives a burst beyond the Create rate through
// one host, with two provider texts, and reads the emulator's throttling counter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CssClient } from "../../provider/api/client";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, startEmulator, type RunningEmulator } from "../../emulator";
import { PROVIDER_KEY, ProviderHost, taskUrn } from "../support/host";
import { emulatorConfig, liveRelay } from "../support/tasks";
import { iso } from "../support/time";

const CREATE = "CreateLivePullStreamTask";
// Above the Create limit (50 requests in any second), so unshared limiters would be throttled.
const BURST = 80;

let emulator: RunningEmulator;
let host: ProviderHost;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, taskLimit: 2 * BURST, rateScale: 1 });
  host = await ProviderHost.start();
  await host.configure(emulatorConfig(emulator.url));
});

afterAll(async () => {
  await host?.close();
  await emulator?.close();
});

describe("one provider host, one limiter", () => {
  it("a burst of creates from two provider texts in one host is never throttled by the API", async () => {
    // A second, different provider text: the host deserialises and configures it separately.
    const otherText = `${host.providerText}\n// the same provider, serialised by another copy of the package\n`;
    const before = emulator.calls();
    const results = await Promise.allSettled(
      Array.from({ length: BURST }, async (_, i) => {
        const urn = taskUrn(`burst-${i}`);
        const text = i % 2 === 0 ? host.providerText : otherText;
        const checked = await host.check(urn, {}, { ...liveRelay(), [PROVIDER_KEY]: text });
        expect(checked.failures).toEqual([]);
        return host.create(urn, { ...checked.inputs, [PROVIDER_KEY]: text });
      }),
    );
    const failed = results.filter((r) => r.status === "rejected");
    expect(failed.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const after = emulator.calls();
    expect((after.calls[CREATE] ?? 0) - (before.calls[CREATE] ?? 0)).toBe(BURST);
    expect((after.throttled[CREATE] ?? 0) - (before.throttled[CREATE] ?? 0)).toBe(0);
    expect(emulator.tasks()).toHaveLength(BURST);
  });

  it("control: the same burst without the client's limiter is throttled by the emulator", async () => {
    const unlimited = new CssClient({ endpoint: emulator.url, secretId: DEFAULT_SECRET_ID, secretKey: DEFAULT_SECRET_KEY, region: "ap-guangzhou", limiter: false, maxAttempts: 1 });
    const before = emulator.calls();
    const now = Date.now();
    await Promise.allSettled(
      Array.from({ length: BURST }, (_, i) =>
        unlimited.createTask({
          SourceType: "PullLivePushLive",
          SourceUrls: ["rtmp://origin.example.com/live/control"],
          DomainName: "push.example.com",
          AppName: "live",
          StreamName: `control-${i}`,
          StartTime: iso(now + 3_600_000),
          EndTime: iso(now + 7_200_000),
          Operator: "control",
        }),
      ),
    );
    const after = emulator.calls();
    expect((after.throttled[CREATE] ?? 0) - (before.throttled[CREATE] ?? 0)).toBeGreaterThan(0);
  });
});
