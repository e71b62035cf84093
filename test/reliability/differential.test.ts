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
async function judge(c: Labelled, now: number): Promise<Judgement> {
  const ours = validateTask(c.config, { now: new Date(now) }).map((f) => `${f.property}: ${f.reason}`);
  const inputs = normaliseInputs(c.config, { defaultRegion: "ap-guangzhou" });
  let api: string | null = null;
  try {
    const req = toCreateRequest(inputs, `diff-${SEED}-${n++}`);
    const r = await client.createTask(req as never, { region: inputs.region });
    // Keep the emulator's table small and the quota out of the picture.
    await client.deleteTask({ TaskId: r.TaskId, Operator: "diff" } as never, { region: inputs.region });
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
