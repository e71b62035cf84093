// Issue 25 follow-up through the REAL Pulumi CLI: a Pulumi YAML program (examples/yaml's shape, the
// native provider) writes `comment: {fn::secret: …}`, a field the schema does not mark secret. The
// value must stay a secret wherever the engine keeps or shows it: the state's inputs and outputs
// (`pulumi stack export` holds ciphertext, never the text), a stack output, and after refresh and
// an update. The engine copies secretness back only for providers that do not accept secrets
// (sdk/go/common/resource/plugin/provider_plugin.go annotateSecrets); ours accepts them.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "../../emulator";
import { EngineStack, ROOT, stacksOfEachTest } from "./support/cli";

const stacks = stacksOfEachTest();

const COMMENT = "studio feed, door code 4711";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** examples/yaml with only its default-provider relay, on the plugin of this checkout. */
function program(comment: string): Record<string, any> {
  const p = parse(fs.readFileSync(path.join(ROOT, "examples", "yaml", "Pulumi.yaml"), "utf8")) as Record<string, any>;
  p.plugins.providers[0].path = path.join(ROOT, "plugin");
  const relay = p.resources["studio-relay"];
  relay.properties.comment = { "fn::secret": comment };
  p.resources = { "studio-relay": relay };
  p.config = { pushDomain: p.config.pushDomain };
  p.outputs = { relayComment: "${studio-relay.comment}", relayTaskId: "${studio-relay.taskId}" };
  return p;
}

/** The relay's `comment` in the exported state's inputs and outputs (export without --show-secrets). */
async function exportedComment(s: EngineStack): Promise<{ text: string; inputs: unknown; outputs: unknown }> {
  const run = await s.must(["stack", "export"]);
  const resources = (JSON.parse(run.stdout) as { deployment: { resources: any[] } }).deployment.resources;
  const relay = resources.find((r) => r.type === "tencentcloud-css:index:LivePullStreamTask");
  return { text: run.stdout, inputs: relay.inputs.comment, outputs: relay.outputs.comment };
}

function expectCiphertext(v: unknown): void {
  expect(v).toMatchObject({ [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.any(String) });
  expect(JSON.stringify(v)).not.toContain("door code");
}

describe("fn::secret on a field the schema does not mark secret (native provider, Pulumi YAML)", () => {
  it("is ciphertext in the exported state's inputs and outputs, a secret output, after refresh and update", async () => {
    const stack = await stacks.create({
      project: program(COMMENT),
      config: {
        "tencentcloud-css:secretId": DEFAULT_SECRET_ID,
        "tencentcloud-css:secretKey": DEFAULT_SECRET_KEY,
        "tencentcloud-css:region": "ap-guangzhou",
      },
    }, "yaml");
    const up = await stack.up();
    expect(stack.tasks().map((t) => t.Comment)).toEqual([COMMENT]);
    expect(up.stdout + up.stderr).not.toContain("door code");

    let state = await exportedComment(stack);
    expectCiphertext(state.inputs);
    expectCiphertext(state.outputs);
    expect(state.text).not.toContain("door code");
    const outputs = await stack.must(["stack", "output", "--json"]);
    expect(JSON.parse(outputs.stdout).relayComment).toBe("[secret]");
    const shown = await stack.must(["stack", "output", "--json", "--show-secrets"]);
    expect(JSON.parse(shown.stdout).relayComment).toBe(COMMENT);

    const refresh = await stack.must(["refresh", "--yes", "--skip-preview"]);
    expect(refresh.stdout + refresh.stderr).not.toContain("door code");
    state = await exportedComment(stack);
    expectCiphertext(state.inputs);
    expectCiphertext(state.outputs);

    stack.writeFile("Pulumi.yaml", stringify(program(`${COMMENT}, changed`)));
    stack.emulator.clearRequests();
    const update = await stack.up();
    expect(stack.emulator.requestsOf("ModifyLivePullStreamTask").map((r) => r.body.Comment)).toEqual([
      `${COMMENT}, changed`,
    ]);
    expect(update.stdout + update.stderr).not.toContain("door code");
    state = await exportedComment(stack);
    expectCiphertext(state.inputs);
    expectCiphertext(state.outputs);
    expect(state.text).not.toContain("door code");

    await stack.must(["destroy", "--yes"]);
    expect(stack.tasks()).toEqual([]);
  });

  it("the policy pack sees it as a secret: auth-secrets passes a fn::secret comment, fails a plain one", async () => {
    const p = program(COMMENT);
    // Copies: YAML would write shared objects as aliases, which Pulumi YAML refuses.
    const relay = () => JSON.parse(JSON.stringify(p.resources["studio-relay"])) as Record<string, any>;
    const token = "https://hooks.example.com/x?token=tok-never-plain-3141";
    p.resources = {
      kept: { ...relay(), properties: { ...relay().properties, streamName: "kept", comment: { "fn::secret": token } } },
      leaky: { ...relay(), properties: { ...relay().properties, streamName: "leaky", comment: token } },
    };
    p.outputs = {};
    const stack = await stacks.create({
      project: p,
      config: {
        "tencentcloud-css:secretId": DEFAULT_SECRET_ID,
        "tencentcloud-css:secretKey": DEFAULT_SECRET_KEY,
        "tencentcloud-css:region": "ap-guangzhou",
      },
    }, "yaml");
    stack.writeFile("policy-config.json", JSON.stringify({ all: "disabled", "secret-inputs": "remediate", "auth-secrets": "mandatory" }));
    const run = await stack.pulumi(["preview", "--policy-pack", path.join(ROOT, "policy"), "--policy-pack-config", "policy-config.json"]);
    expect(run.code).not.toBe(0);
    const violations = [...run.stdout.matchAll(/- \[mandatory\]\s+auth-secrets\s+\(([^)]*)\)/g)].map((m) => m[1]);
    expect(violations).toEqual(["tencentcloud-css:index:LivePullStreamTask: leaky"]);
    expect(run.stdout + run.stderr).not.toContain("tok-never-plain-3141");
  });
});
