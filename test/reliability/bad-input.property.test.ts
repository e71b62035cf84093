// Bad input never costs a stream: generated INVALID task configs, one documented rule broken at a
// time (support/configs.ts), are 100% rejected at check with a property path naming the field,
// no exception escapes, and not one request reaches the API — judged twice: by the pure core, at
// high volume, and through Pulumi's real dynamic provider host configured against an emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { validateTask } from "../../provider/task";
import { ProviderHost, taskUrn } from "../support/host";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { invalidConfig, validConfig, type Config, type Mutation } from "./support/configs";
import { emulatorCalls } from "../../harness/inspect";

const SEED = Number(process.env.FC_SEED ?? 20261125);
const NOW = Date.now();

/** A failure names the field when its property is the field or a path inside it. */
function namesOneOf(property: string, fields: string[]): boolean {
  return fields.some((f) => property === f || property.startsWith(`${f}[`) || property.startsWith(`${f}.`));
}

function describeCase(config: Config, mutation: Mutation, failures: unknown): string {
  return `rule "${mutation.rule}" (expected a failure on ${mutation.fields.join(" | ")})\n  config: ${JSON.stringify(config)}\n  failures: ${JSON.stringify(failures)}`;
}

describe("invalid configs, pure core", () => {
  it("every generated valid base config passes (the generator's control)", () => {
    fc.assert(
      fc.property(validConfig(NOW), (config) => {
        const failures = validateTask(config, { now: new Date(NOW) });
        if (failures.length) throw new Error(`valid config rejected: ${JSON.stringify(config)}\n${JSON.stringify(failures)}`);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("100% of invalid configs are rejected, on the right property, without throwing", () => {
    const perRule = new Map<string, number>();
    fc.assert(
      fc.property(invalidConfig(NOW), ({ config, mutation }) => {
        const failures = validateTask(config, { now: new Date(NOW) });
        perRule.set(mutation.rule.replace(/ \S+$/, ""), (perRule.get(mutation.rule.replace(/ \S+$/, "")) ?? 0) + 1);
        if (failures.length === 0) throw new Error(`accepted: ${describeCase(config, mutation, failures)}`);
        for (const f of failures) {
          if (typeof f.reason !== "string" || f.reason.length < 5) throw new Error(`failure without a reason: ${describeCase(config, mutation, failures)}`);
          if (!Array.isArray(f.path)) throw new Error(`failure without a path: ${describeCase(config, mutation, failures)}`);
        }
        if (!failures.some((f) => namesOneOf(f.property, mutation.fields))) {
          throw new Error(`rejected on the wrong property: ${describeCase(config, mutation, failures)}`);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
    // The generator must really spread over the rules, not hammer one.
    expect(perRule.size).toBeGreaterThanOrEqual(20);
  });
});

/** Any JSON under the task's field names (and some others): the shape a broken YAML file produces. */
const FIELD_NAMES = ["sourceType", "sourceUrls", "domainName", "appName", "streamName", "toUrl", "startTime", "endTime", "status",
  "callbackEvents", "callbackUrl", "vodLoopTimes", "fileIndex", "offsetTime", "comment", "backupSourceType", "backupSourceUrl",
  "watermarkList", "vodLocalMode", "schedule", "region", "operator", "__proto__", "constructor"];
const junkConfig = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.jsonValue(), { maxKeys: 8 }),
  validConfig(NOW).chain((c) => fc.tuple(fc.constantFrom(...FIELD_NAMES), fc.jsonValue()).map(([k, v]) => ({ ...c, [k]: v }))),
);

describe("arbitrary JSON where a task should be", () => {
  it("validateTask never throws, on any JSON value or any JSON under the field names", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), junkConfig), (raw) => {
        const failures = validateTask(raw, { now: new Date(NOW) });
        if (!Array.isArray(failures)) throw new Error("no failure list");
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe("invalid configs through the provider host", () => {
  let emu: RunningEmulator;
  let host: ProviderHost;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    host = await ProviderHost.start();
    await host.configure({
      "tencentcloud:secretId": "AKIDEMULATOR",
      "tencentcloud:secretKey": "emulator-secret-key",
      "tencentcloud:region": "ap-guangzhou",
      "tencentcloud:cssEndpoint": emu.url,
    });
  });
  afterAll(async () => {
    await host?.close();
    await emu?.close();
  });

  it("check rejects 100% with a property path, the host never crashes, 0 requests reach the emulator", async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(invalidConfig(Date.now()), async ({ config, mutation }) => {
        cases += 1;
        const res = await host.check(taskUrn(`bad-${cases}`), {}, config);
        if (res.failures.length === 0) throw new Error(`host check accepted: ${describeCase(config, mutation, res.failures)}`);
        if (!res.failures.some((f) => namesOneOf(f.property, mutation.fields))) {
          throw new Error(`host check named the wrong property: ${describeCase(config, mutation, res.failures)}`);
        }
        for (const f of res.failures) if (!f.property && !f.reason) throw new Error(`empty failure: ${JSON.stringify(res.failures)}`);
      }),
      { seed: SEED, numRuns: 250 },
    );
    expect((await emulatorCalls(emu.url)).total).toBe(0); // GET /_emulator/calls
    // The same host still answers: nothing crashed it. A valid Create's check reads one listing row
    // (the task quota's figures, provider/quota/watch.ts), once per provider process.
    const ok = await fc.sample(validConfig(Date.now()), { numRuns: 1, seed: SEED })[0];
    expect((await host.check(taskUrn("after"), {}, ok)).failures).toEqual([]);
    expect((await emulatorCalls(emu.url)).calls).toEqual({ DescribeLivePullStreamTasks: 1 });
    expect(host.stderr()).not.toMatch(/TypeError|RangeError|ReferenceError|Unhandled/);
    expect(cases).toBe(250);
  });

  it("junk JSON: the host's check always answers (failures, never a gRPC error), still 0 requests", async () => {
    const before = (await emulatorCalls(emu.url)).total;
    await fc.assert(
      fc.asyncProperty(junkConfig, async (raw) => {
        const res = await host.check(taskUrn("junk"), {}, raw as Config);
        if (!Array.isArray(res.failures)) throw new Error("no failure list");
      }),
      { seed: SEED, numRuns: 150 },
    );
    expect((await emulatorCalls(emu.url)).total).toBe(before); // GET /_emulator/calls
  });

  it("update-time check (olds present) rejects invalid news too, again without a request", async () => {
    const olds = fc.sample(validConfig(Date.now()), { numRuns: 1, seed: SEED + 1 })[0];
    const checkedOld = await host.check(taskUrn("upd"), {}, olds);
    expect(checkedOld.failures).toEqual([]);
    const before = (await emulatorCalls(emu.url)).total;
    await fc.assert(
      fc.asyncProperty(invalidConfig(Date.now()), async ({ config, mutation }) => {
        const res = await host.check(taskUrn("upd"), checkedOld.inputs, config);
        if (res.failures.length === 0) throw new Error(`update check accepted: ${describeCase(config, mutation, res.failures)}`);
      }),
      { seed: SEED + 2, numRuns: 100 },
    );
    expect((await emulatorCalls(emu.url)).total).toBe(before); // GET /_emulator/calls
  });
});
