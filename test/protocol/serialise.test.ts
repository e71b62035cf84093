// The provider text Pulumi stores in every resource's state (`__provider`): small, free of
// credentials, and working through the real host — from this repository and from an installed,
// packed copy of the package that has been moved after serialisation.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Stack } from "../../harness/engine";
import { TestEmulator } from "../support/emulator";
import { HostCallError, ProviderHost, repoRoot } from "../support/host";
import { liveRelay, uniqueStream } from "../support/tasks";

const MAX_PROVIDER_BYTES = 20_000;

// Temporary STS-style credentials: the key and the token must never show up anywhere.
const TEMP = { secretId: "AKIDTEMPSERIALISE", secretKey: "sk-serialise-7f3c9d2e41", token: "tok-serialise-a8b7c6d5e4f3" };
const URL_SECRETS = { txSecret: "c0ffee5ecret9911", sign: "s1gnvalue7788" };

let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start({ tempCredentials: [TEMP] });
});

afterAll(async () => {
  await emu?.close();
});

function config(): Record<string, string> {
  return {
    "tencentcloud:secretId": TEMP.secretId,
    "tencentcloud:secretKey": TEMP.secretKey,
    "tencentcloud:securityToken": TEMP.token,
    "tencentcloud:region": "ap-guangzhou",
    "tencentcloud:cssEndpoint": emu.url,
  };
}

function secretProgram() {
  const { domainName: _d, appName: _a, streamName: _s, ...rest } = liveRelay();
  return {
    ...rest,
    toUrl: `rtmp://push.example.com/live/${uniqueStream("sec")}?txSecret=${URL_SECRETS.txSecret}&txTime=7FFFFFFF`,
    callbackUrl: `https://hooks.example.com/css?sign=${URL_SECRETS.sign}`,
  };
}

function expectNoCredential(text: string, what: string): void {
  for (const s of [TEMP.secretKey, TEMP.token]) expect(text.includes(s), `${what} contains a credential`).toBe(false);
}

function expectNoUrlSecret(text: string, what: string): void {
  for (const s of Object.values(URL_SECRETS)) expect(text.includes(s), `${what} contains a URL auth value`).toBe(false);
}

/** A full lifecycle with credentials and auth-bearing URLs, collecting every text that leaves the provider. */
async function lifecycle(host: ProviderHost): Promise<{ state: string; errors: string[] }> {
  await host.configure(config());
  const stack = new Stack(host);
  const program = secretProgram();
  await stack.up("secret", program);
  await stack.up("secret", { ...program, comment: "updated" });
  await stack.refresh("secret");
  const errors: string[] = [];
  // A request the API refuses, with the URL (and its auth values) in the service's answer.
  const refused = { ...program, sourceUrls: [`rtmp://10.1.2.3/live/a?txSecret=${URL_SECRETS.txSecret}`] };
  await host.create(stack.urn("refused"), (await host.check(stack.urn("refused"), {}, refused)).inputs).catch((e: unknown) => {
    errors.push(e instanceof HostCallError ? e.details : String(e));
  });
  // A service answer echoing the signed destination URL back.
  emu.failNext({ action: "CreateLivePullStreamTask", kind: "error", code: "InvalidParameter.InvalidToUrl", message: (b) => `ToUrl ${b.ToUrl} is not allowed` });
  await host.create(stack.urn("echo"), (await host.check(stack.urn("echo"), {}, secretProgram())).inputs).catch((e: unknown) => {
    errors.push(e instanceof HostCallError ? e.details : String(e));
  });
  const failures = (await host.check(stack.urn("refused"), {}, refused)).failures;
  errors.push(...failures.map((f) => `${f.property}: ${f.reason}`));
  const state = JSON.stringify([...stack.state.values()]);
  await stack.destroy("secret");
  return { state, errors };
}

describe("serialised provider from this repository", () => {
  let host: ProviderHost;
  beforeAll(async () => {
    host = await ProviderHost.start();
  });
  afterAll(async () => {
    await host?.close();
  });

  it(`is under ${MAX_PROVIDER_BYTES} bytes and holds only the stubs and where to find the implementation`, () => {
    expect(Buffer.byteLength(host.providerText)).toBeLessThan(MAX_PROVIDER_BYTES);
    expect(host.providerText).toMatch(/exports\.handler/);
    expect(host.providerText).toContain("dist/provider/impl");
    // Nothing of the implementation, the client or the schema was captured by value.
    for (const marker of ["signRequest", "TC3-HMAC-SHA256", "x-modifiable", "CssClient"]) expect(host.providerText).not.toContain(marker);
  });

  it("leaves no credential in the provider text, the state, errors or the host's stderr", async () => {
    const { state, errors } = await lifecycle(host);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    // The echoed URL is there, with its auth values masked.
    expect(errors.some((e) => e.includes("txSecret=***"))).toBe(true);
    expectNoCredential(host.providerText, "provider text");
    expectNoCredential(state, "state");
    for (const e of errors) {
      expectNoCredential(e, "error");
      expectNoUrlSecret(e, `error "${e}"`);
    }
    expectNoCredential(host.stderr(), "host stderr");
    expectNoUrlSecret(host.stderr(), "host stderr");
    // The calls were signed with the temporary credentials (the emulator accepted the token).
    expect(emu.requestsOf("CreateLivePullStreamTask").length).toBeGreaterThan(0);
  });
});

describe("serialised provider from an installed copy of the package", () => {
  let work: string;
  let project: string;
  let text: string;
  let pkgName: string;

  beforeAll(() => {
    const root = repoRoot();
    pkgName = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { name: string }).name;
    work = fs.mkdtempSync(path.join(os.tmpdir(), "css-pack-"));
    // What `npm install pulumi-css-pull-tasks` puts on disk: the packed files (dist must be built).
    const tgz = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
    project = path.join(work, "project");
    const pkgDir = path.join(project, "node_modules", ...pkgName.split("/"));
    fs.mkdirSync(pkgDir, { recursive: true });
    execFileSync("tar", ["-xzf", path.join(work, tgz), "-C", pkgDir, "--strip-components=1"]);
    // Its dependencies, as npm would install them beside it (offline: linked from this checkout).
    const deps = Object.keys((JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies);
    for (const dep of deps) {
      const target = path.join(project, "node_modules", ...dep.split("/"));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (!fs.existsSync(target)) fs.symlinkSync(path.join(root, "node_modules", ...dep.split("/")), target, "dir");
    }
    // The program's side: serialise the provider exactly as pulumi.dynamic.Resource does, in the project.
    fs.writeFileSync(
      path.join(project, "serialise.js"),
      // The object resource.ts hands to Pulumi: provider/stubs.js's whole export.
      `const p = require(${JSON.stringify(path.join(pkgDir, "dist", "provider", "stubs.js"))});
       require("@pulumi/pulumi/runtime/closure/serializeClosure").serializeFunction(() => p, { allowSecrets: true })
         .then((sf) => process.stdout.write(sf.text));`,
    );
    text = execFileSync(process.execPath, ["serialise.js"], { cwd: project, encoding: "utf8" });
  });

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("is one require of the installed package: no stub copied by value, never this repository's path", () => {
    // `.../stubs` where Pulumi finds the package from its own directory (a real install), `.../stubs.js`
    // where it cannot (these linked dependencies): package.json exports both.
    expect(text).toMatch(new RegExp(`require\\("${pkgName}/dist/provider/stubs(\\.js)?"\\)`));
    expect(text).not.toContain("loadImpl");
    expect(Buffer.byteLength(text)).toBeLessThan(600);
    expect(text).not.toContain(repoRoot());
  });

  it("still works through the host after the project has moved, with no credential anywhere", async () => {
    const moved = path.join(work, "moved-project");
    fs.renameSync(project, moved);
    project = moved;
    const host = await ProviderHost.start({ providerText: text, cwd: moved });
    try {
      const { state, errors } = await lifecycle(host);
      expectNoCredential(text, "provider text");
      expectNoCredential(state, "state");
      for (const e of errors) expectNoCredential(e, "error");
      expectNoCredential(host.stderr(), "host stderr");
      expect(JSON.parse(state)[0].id).toMatch(/^\d+$/);
    } finally {
      await host.close();
    }
  });
});
