// Issue 25 follow-up: a value the user made secret (`comment: {fn::secret: …}` in Pulumi YAML,
// `pulumi.secret(…)` in a program) on a field the schema does not mark secret. The plugin tells the
// engine it accepts secrets, and then the engine does not copy secretness back itself
// (sdk/go/common/resource/plugin/provider_plugin.go: annotateSecrets runs only `if
// !protocol.acceptSecrets`), so Check, Create, Read and Update must answer with it still secret.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_FIELDS } from "../../provider/task/fields";
import { TestEmulator } from "../support/emulator";
import type { ProviderHost, Props } from "../support/host";
import { liveRelay } from "../support/tasks";
import { configurePlugin, emulatorAccount, isSecret, pluginUrn, secret, startPlugin, unwrap } from "../support/plugin";

let emu: TestEmulator;
let plugin: ProviderHost;

beforeAll(async () => {
  emu = await TestEmulator.start();
  plugin = await startPlugin();
  await configurePlugin(plugin, { ...emulatorAccount(emu.url), region: "ap-guangzhou" });
});

afterAll(async () => {
  await plugin?.close();
  await emu?.close();
});

const COMMENT = "door code 4711, never in plain";

/** The top-level keys of `props` whose values are secrets, minus those the schema makes secret anyway. */
function userSecrets(props: Props): string[] {
  return Object.keys(props).filter((k) => isSecret(props[k]) && !SECRET_FIELDS.includes(k)).sort();
}

describe("a secret the user set on a field the schema does not mark secret", () => {
  it("stays secret in Check's inputs and in the outputs of Create, Read and Update", async () => {
    expect(SECRET_FIELDS).not.toContain("comment");
    expect(SECRET_FIELDS).not.toContain("appName");
    const urn = pluginUrn("secret-comment");
    const program = { ...liveRelay(), comment: secret(COMMENT) };

    const checked = await plugin.check(urn, {}, program);
    expect(checked.failures).toEqual([]);
    expect(userSecrets(checked.inputs)).toEqual(["comment"]);
    expect(unwrap(checked.inputs.comment)).toBe(COMMENT);

    const created = await plugin.create(urn, checked.inputs);
    expect(userSecrets(created.properties)).toEqual(["comment"]);
    expect(emu.task(created.id)?.Comment).toBe(COMMENT);

    const read = await plugin.read(created.id, urn, created.properties, checked.inputs);
    expect(userSecrets(read.properties)).toEqual(["comment"]);
    expect(userSecrets(read.inputs ?? {})).toEqual(["comment"]);

    // A second field made secret in the next program, and the comment changed: both come back secret.
    const next = { ...program, appName: secret("live"), comment: secret(`${COMMENT}, changed`) };
    const rechecked = await plugin.check(urn, checked.inputs, next);
    expect(userSecrets(rechecked.inputs)).toEqual(["appName", "comment"]);
    const updated = await plugin.update(created.id, urn, created.properties, rechecked.inputs);
    expect(userSecrets(updated.properties)).toEqual(["appName", "comment"]);
    expect(unwrap(updated.properties.comment)).toBe(`${COMMENT}, changed`);

    // The plain text is nowhere outside a secret in what the engine would write to state.
    const outsideSecrets = (v: unknown): string =>
      JSON.stringify(v, (_k, x: unknown) => (isSecret(x) ? "[secret]" : x));
    for (const props of [checked.inputs, created.properties, read.properties, read.inputs, updated.properties]) {
      expect(outsideSecrets(props)).not.toContain("door code");
    }
    await plugin.delete(created.id, urn, updated.properties);
  });

  it("a failure quoting a secret value shows [secret] instead (the CLI prints failures)", async () => {
    const past = "2020-01-02T00:00:00Z";
    const checked = await plugin.check(pluginUrn("secret-past"), {}, {
      ...liveRelay(), startTime: "2020-01-01T00:00:00Z", endTime: secret(past),
    });
    const endTime = checked.failures.find((f) => f.property === "endTime");
    expect(endTime?.reason).toMatch(/^\[secret\] is not in the future/);
    expect(JSON.stringify(checked.failures)).not.toContain(past);
  });

  it("a secret inside a list makes the whole list secret; inside an object, only that member", async () => {
    const urn = pluginUrn("secret-in-list");
    const checked = await plugin.check(urn, {}, {
      ...liveRelay({ startTime: undefined, endTime: undefined }),
      comment: "plain",
      callbackEvents: ["TaskStart", secret("TaskExit")],
      schedule: { window: "3d", renewBefore: secret("1d") },
    });
    expect(checked.failures).toEqual([]);
    expect(isSecret(checked.inputs.callbackEvents)).toBe(true);
    expect(unwrap(checked.inputs.callbackEvents)).toEqual(["TaskStart", "TaskExit"]);
    const schedule = checked.inputs.schedule as Props;
    expect(isSecret(schedule)).toBe(false);
    expect([isSecret(schedule.window), isSecret(schedule.renewBefore)]).toEqual([false, true]);
    expect(checked.inputs.comment).toBe("plain");
  });
});
