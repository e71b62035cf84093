// Differential check: two independent readings of the same documentation must agree. Each
// generated config (valid or near a documented boundary) is judged by our check (validateTask)
// and by the emulator (the equivalent CreateLivePullStreamTask, signed, through our client).
// Every disagreement is printed with the config, our failures and the emulator's error; the
// test asserts there are none. Seeded (FC_SEED) so CI replays the same configs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { CssClient } from "../../provider/api/client";
import { CssApiError } from "../../provider/api/errors";
import { normaliseInputs, toCreateRequest, validateTask } from "../../provider/task";
import { validConfig, type Config } from "./support/configs";
import { everyTweak, nearValidConfig, type Labelled } from "./support/near-valid";

const SEED = Number(process.env.FC_SEED ?? 20261125);
const RUNS = Number(process.env.DIFF_RUNS ?? 300);
/** Error codes that mean "the API refuses this config" (as opposed to a transport problem). */
const REFUSAL = /^(InvalidParameter|InvalidParameterValue|MissingParameter|UnknownParameter|LimitExceeded|UnsupportedOperation|FailedOperation)(\.|$)/;

interface Judgement { label: string; config: Config; ours: string[]; api: string | null }

let emu: RunningEmulator;
let client: CssClient;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateScale: 1000, taskLimit: 100_000 });
  client = new CssClient({ secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key", endpoint: emu.url, region: "ap-guangzhou", rateScale: 1000, maxAttempts: 1 });
});
afterAll(async () => emu?.close());

let n = 0;
async function judge(c: Labelled, now: number, against = { client: () => client, maxSpanMs: undefined as number | undefined }): Promise<Judgement> {
  const ours = validateTask(c.config, { now: new Date(now), maxSpanMs: against.maxSpanMs }).map((f) => `${f.property}: ${f.reason}`);
  const target = against.client();
  const inputs = normaliseInputs(c.config, { defaultRegion: "ap-guangzhou" });
  let api: string | null = null;
  try {
    const req = toCreateRequest(inputs, `diff-${SEED}-${n++}`);
    const r = await target.createTask(req as never, { region: inputs.region });
    // Keep the emulator's table small and the quota out of the picture.
    await target.deleteTask({ TaskId: r.TaskId, Operator: "diff" } as never, { region: inputs.region });
  } catch (e) {
    if (!(e instanceof CssApiError) || !REFUSAL.test(e.code)) throw e;
    api = `${e.code}: ${e.detail}`;
  }
  return { label: c.label, config: c.config, ours, api };
}

function disagreements(js: Judgement[]): Judgement[] {
  return js.filter((j) => (j.ours.length === 0) !== (j.api === null));
}

function print(ds: Judgement[]): string {
  const byLabel = new Map<string, Judgement[]>();
  for (const d of ds) byLabel.set(d.label, [...(byLabel.get(d.label) ?? []), d]);
  return [...byLabel].map(([label, js]) => {
    const j = js[0];
    const side = j.ours.length ? "our check REJECTS, the emulator ACCEPTS" : "our check ACCEPTS, the emulator REJECTS";
    return `• ${label} (${js.length}×): ${side}\n    ours: ${j.ours.join(" | ") || "ok"}\n    emulator: ${j.api ?? "ok"}\n    config: ${JSON.stringify(j.config).slice(0, 700)}`;
  }).join("\n");
}

describe("our check and the emulator agree", () => {
  it("on every boundary tweak applied to one valid base", async () => {
    const now = Date.now();
    const base = fc.sample(validConfig(now), { numRuns: 1, seed: SEED })[0];
    const js: Judgement[] = [];
    for (const c of [{ label: "valid", config: base }, ...everyTweak(now, base)]) js.push(await judge(c, now));
    const ds = disagreements(js);
    if (ds.length) console.log(`differential (census): ${ds.length} of ${js.length} disagree\n${print(ds)}`);
    expect(ds.map((d) => d.label)).toEqual([]);
  });

  it("on spans around 7, 20 and 30 days when both sides take the newest model's 30-day limit", async () => {
    const wide = await startEmulator({ port: 0, rateScale: 1000, taskLimit: 100_000, maxTaskSpanDays: 30 });
    try {
      const wideClient = new CssClient({ secretId: "AKIDEMULATOR", secretKey: "emulator-secret-key", endpoint: wide.url, region: "ap-guangzhou", rateScale: 1000, maxAttempts: 1 });
      const now = Date.now();
      const base = fc.sample(validConfig(now), { numRuns: 1, seed: SEED })[0];
      const start = Date.parse(String(base.startTime ?? new Date(now + 3600_000).toISOString()));
      const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
      const js: Judgement[] = [];
      for (const days of [6.9, 7, 20, 29.99, 30, 30.01]) {
        const config = { ...base, schedule: undefined, startTime: at(start), endTime: at(start + days * 86_400_000) };
        js.push(await judge({ label: `span ${days} d`, config }, now, { client: () => wideClient, maxSpanMs: 30 * 86_400_000 }));
      }
      const ds = disagreements(js);
      if (ds.length) console.log(print(ds));
      expect(ds.map((d) => d.label)).toEqual([]);
      expect(js.filter((j) => j.api === null).map((j) => j.label)).toEqual(["span 6.9 d", "span 7 d", "span 20 d", "span 29.99 d"]);
    } finally {
      await wide.close();
    }
  });

  it(`on ${RUNS} generated valid and near-valid configs (seed ${SEED})`, async () => {
    const now = Date.now();
    const sample = fc.sample(nearValidConfig(now), { numRuns: RUNS, seed: SEED });
    const js: Judgement[] = [];
    for (const c of sample) js.push(await judge(c, now));
    const ds = disagreements(js);
    const accepted = js.filter((j) => j.api === null).length;
    console.log(`differential: ${js.length} configs, ${accepted} accepted by the emulator, ${ds.length} disagreements`);
    if (ds.length) console.log(print(ds));
    // Both outcomes must really occur, or the comparison proves nothing.
    expect(accepted).toBeGreaterThan(RUNS / 10);
    expect(js.length - accepted).toBeGreaterThan(RUNS / 10);
    expect(ds.map((d) => d.label)).toEqual([]);
  });
});
