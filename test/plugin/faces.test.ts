// One core, two faces: the same task lifecycle through the dynamic provider (Pulumi's real dynamic
// provider host) and through the native plugin (dist/plugin/main.js over gRPC), against the
// emulator. Every answer must be the same: check (good and bad input), create, refresh, diff
// (in place and replacement), update, delete, read of a deleted task. Only the wire differs: the
// plugin sends secret fields as secrets (the dynamic host leaves that to the SDK) and a detailed
// diff; and only the plugin can be imported by id (the engine's Read sends no `__provider`).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SECRET_FIELDS } from "../../provider/task/fields";
import { IDENTITY_KEY, resourceIdentity } from "../../provider/identity";
import { TestEmulator } from "../support/emulator";
import { ProviderHost, taskUrn, type Props } from "../support/host";
import { liveRelay, emulatorConfig, iso } from "../support/tasks";
import { configurePlugin, pluginUrn, secret, secretKeys, startPlugin, unwrap, emulatorAccount } from "../support/plugin";
import { EMULATOR_SECRET_KEY } from "../support/emulator";

let emu: TestEmulator;
let dynamic: ProviderHost;
let plugin: ProviderHost;

beforeAll(async () => {
  emu = await TestEmulator.start();
  [dynamic, plugin] = await Promise.all([ProviderHost.start(), startPlugin()]);
  await dynamic.configure(emulatorConfig(emu.url));
  await configurePlugin(plugin, { ...emulatorAccount(emu.url), region: "ap-guangzhou" });
});

afterAll(async () => {
  await Promise.all([dynamic?.close(), plugin?.close()]);
  await emu?.close();
});

interface Face {
  name: "dynamic" | "plugin";
  host: ProviderHost;
  urn: (name: string) => string;
  /** What the program registers: the dynamic resource adds its identity input, the plugin takes it from the URN. */
  inputs: (name: string, p: Props) => Props;
}
const faces = (): Face[] => [
  { name: "dynamic", host: dynamic, urn: (n) => taskUrn(n), inputs: (n, p) => ({ ...p, [IDENTITY_KEY]: resourceIdentity("css", "test", n) }) },
  { name: "plugin", host: plugin, urn: (n) => pluginUrn(n), inputs: (_n, p) => p },
];

/** The parts of an answer that legitimately differ between two runs: ids, clock readings, the identity input. */
function comparable(v: unknown, id: string): unknown {
  const text = JSON.stringify(unwrap(v) ?? null).split(id).join("<taskId>");
  const out = JSON.parse(text) as unknown;
  const scrub = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(scrub);
    if (x && typeof x === "object") {
      const o: Props = {};
      for (const [k, y] of Object.entries(x)) {
        // The plugin's Diff also names the changed keys in detail, which the dynamic host cannot pass
        // on; its Read of a gone task sends no property map (refresh reads the empty id either way).
        if ([IDENTITY_KEY, "changedKeys", "detailedDiff", "noOutputs"].includes(k)) continue;
        o[k] = k === "createTime" || k === "updateTime" ? "<time>" : scrub(y);
      }
      return o;
    }
    return x;
  };
  return scrub(out);
}

/** The lifecycle, as the engine would drive it through `up`, `up` again, `refresh`, `import` and `destroy`. */
async function lifecycle(face: Face, program: Props): Promise<{ answers: Record<string, unknown>; wire: Record<string, string[]>; specifyTaskId: string }> {
  const { host } = face;
  const name = "relay";
  const urn = face.urn(name);
  const answers: Record<string, unknown> = {};
  const wire: Record<string, string[]> = {};

  answers.badCheck = await host.check(urn, {}, face.inputs(name, { ...program, sourceUrls: [], comment: "x".repeat(600), vodLoopTimes: 5 }));
  const checked = await host.check(urn, {}, face.inputs(name, program));
  answers.check = checked;
  wire.check = secretKeys(checked.inputs);
  const created = await host.create(urn, checked.inputs);
  const id = created.id;
  const specifyTaskId = String(emu.task(id)?.SpecifyTaskId);
  answers.create = created;
  wire.create = secretKeys(created.properties);

  answers.refresh = await host.read(id, urn, created.properties, checked.inputs);
  answers.sameDiff = await host.diff(id, urn, created.properties, checked.inputs);

  const changed = await host.check(urn, checked.inputs, face.inputs(name, { ...program, comment: "now in place", status: "pause" }));
  answers.changedCheck = changed;
  answers.changedDiff = await host.diff(id, urn, created.properties, changed.inputs);
  const updated = await host.update(id, urn, created.properties, changed.inputs);
  answers.update = updated;
  wire.update = secretKeys(updated.properties);

  const moved = await host.check(urn, changed.inputs, face.inputs(name, { ...program, streamName: `${program.streamName}-moved` }));
  answers.replaceDiff = await host.diff(id, urn, updated.properties, moved.inputs);

  // `pulumi import tencentcloud-css:index:LivePullStreamTask relay <taskId>`: the engine reads with the
  // id alone (step.go ImportStep.Apply). The dynamic host cannot serve that (no `__provider`): the
  // dynamic resource adopts with adoptTaskId instead (test/protocol/adopt.test.ts).
  if (face.name === "dynamic") {
    answers.importFails = await host.read(id, urn, {}).then(() => "read", (e: Error) => e.message);
  } else {
    const imported = await host.read(id, urn, {});
    answers.import = imported;
    wire.import = secretKeys(imported.properties);
    // The engine then checks the read inputs and diffs them against the read state: nothing to do.
    const importChecked = await host.check(urn, {}, face.inputs(name, imported.inputs ?? {}));
    answers.importCheck = importChecked;
    answers.importDiff = await host.diff(id, urn, imported.properties, importChecked.inputs);
  }

  // `pulumi destroy`: a provider process of its own, as every command has.
  const destroy = await host.respawn();
  try {
    await destroy.delete(id, urn, updated.properties);
    answers.gone = emu.task(id) === undefined;
    answers.readGone = await destroy.read(id, urn, updated.properties, changed.inputs);
  } finally {
    await destroy.close();
  }
  return { answers: comparable(answers, id) as Record<string, unknown>, wire, specifyTaskId };
}

describe("dynamic provider and native plugin", () => {
  test("answer a whole lifecycle alike, with the same idempotency key, one calling the other's core", async () => {
    const program = liveRelay({
      sourceUrls: ["rtmp://origin.example.com/live/cam1?txSecret=abc&txTime=FFFFFFFF"],
      callbackUrl: "https://hooks.example.com/css",
      startTime: iso(Date.now() + 3600_000),
    });
    const [d, p] = [await lifecycle(faces()[0], program), await lifecycle(faces()[1], program)];
    if (process.env.SHOW_FACES) console.log(JSON.stringify(d.answers, null, 1));
    const shared = Object.keys(d.answers).filter((step) => step !== "importFails");
    for (const step of shared) expect({ step, answer: p.answers[step] }).toEqual({ step, answer: d.answers[step] });
    expect(d.answers.importFails).toMatch(/code must be a string, not undefined/);
    // Not vacuous: the steps did what their names say.
    expect(d.answers.badCheck).toMatchObject({ failures: expect.arrayContaining([expect.objectContaining({ property: "comment" })]) });
    // Delete-first even in place: the engine follows it should it replace anyway (--replace), one stream, one task.
    expect(d.answers.changedDiff).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: true });
    expect((d.answers.replaceDiff as { replaces: string[] }).replaces).toContain("streamName");
    expect(p.answers.import).toMatchObject({ id: "<taskId>", properties: { taskId: "<taskId>", status: "pause", comment: "now in place" } });
    expect(p.answers.importCheck).toMatchObject({ failures: [] });
    expect(p.answers.importDiff).toMatchObject({ changes: "none" });
    expect(d.answers.gone).toBe(true);
    expect(d.answers.readGone).toMatchObject({ id: "" });
    // The identity behind idempotent creates: the URN gives the plugin what `__identity` gives the dynamic resource.
    expect(d.specifyTaskId).not.toMatch(/^(undefined|)$/);
    expect(p.specifyTaskId).toBe(d.specifyTaskId);
    expect(d.answers.create).toMatchObject({ id: "<taskId>", properties: { streamName: program.streamName, status: "enable", createTime: "<time>" } });
    // The plugin keeps URL fields secret on the wire, in every answer that carries them.
    const present = SECRET_FIELDS.filter((k) => k in program);
    expect(present.length).toBeGreaterThan(0);
    for (const step of ["check", "create", "update", "import"]) expect(p.wire[step]).toEqual(expect.arrayContaining(present));
    expect(d.wire.create).toEqual([]);
    // The SecretKey given to the plugin's Configure reaches no answer and no log line.
    expect(JSON.stringify(p.answers)).not.toContain(EMULATOR_SECRET_KEY);
    expect(plugin.stderr()).not.toContain(EMULATOR_SECRET_KEY);
  });
});
