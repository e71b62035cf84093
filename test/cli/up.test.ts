// `css-pull-tasks up` (npm start): the Pulumi CLI cannot be installed here, so the flow is checked
// with a stand-in `pulumi` script that records how it was called.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, test } from "vitest";
import { runUp, PULUMI_INSTALL_COMMAND, findPulumi } from "../../cli/up";
import type { Io } from "../../cli/io";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-up-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function up(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd, env };
  return { code: await runUp(argv, io), out, err };
}

function project(name: string): string {
  const root = path.join(dir, name);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: t\nruntime: nodejs\n");
  return root;
}

describe("css-pull-tasks up", () => {
  test("without pulumi on PATH it stops at once, naming the install command, and starts nothing", async () => {
    const root = project("no-cli");
    const r = await up([], { PATH: path.join(dir, "empty-bin"), HOME: path.join(dir, "nohome") }, root);
    expect(r.code).toBe(1);
    expect(r.err).toContain("the Pulumi CLI is not installed");
    expect(r.err).toContain(PULUMI_INSTALL_COMMAND);
    expect(r.out).toBe("");
    expect(fs.existsSync(path.join(root, ".local"))).toBe(false);
  });

  test("finds pulumi on PATH, or where the installer put it", () => {
    const bin = path.join(dir, "home", ".pulumi", "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
    expect(findPulumi({ PATH: bin })).toBe(path.join(bin, "pulumi"));
    expect(findPulumi({ PATH: "/nonexistent", HOME: path.join(dir, "home") })).toBe(path.join(bin, "pulumi"));
    expect(findPulumi({ PATH: "/nonexistent", HOME: "/nonexistent" })).toBeUndefined();
  });

  test("with pulumi: emulator up, local backend and dev stack, `pulumi up --yes`, emulator stopped after", async () => {
    const root = project("with-cli");
    const bin = path.join(dir, "fake-bin");
    const log = path.join(dir, "pulumi.log");
    fs.mkdirSync(bin, { recursive: true });
    // Records its arguments and environment, proves the emulator answers while it runs, and fails
    // `up` with 3 so the exit code's propagation is visible.
    fs.writeFileSync(
      path.join(bin, "pulumi"),
      [
        "#!/bin/sh",
        'echo "ARGS $*" >> "$LOG"',
        'env | grep -E "^(PULUMI_|TENCENTCLOUD_)" | sort >> "$LOG"',
        `"${process.execPath}" -e 'fetch(process.env.TENCENTCLOUD_CSS_ENDPOINT + "/_emulator/tasks").then(r => console.log("EMULATOR " + r.status), e => console.log("EMULATOR down"))' >> "$LOG"`,
        'case "$1" in up) exit 3;; esac',
        "exit 0",
      ].join("\n"),
      { mode: 0o755 },
    );
    const r = await up(["--", "--diff"], { PATH: `${bin}${path.delimiter}${process.env.PATH}`, LOG: log, TENCENTCLOUD_SESSION_TOKEN: "from-the-shell", TENCENTCLOUD_SECRET_ID: "AKIDREAL" }, root);
    expect(r.err).toBe("");
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^emulator listening on http:\/\/127\.0\.0\.1:\d+/);
    const lines = fs.readFileSync(log, "utf8").split("\n");
    expect(lines.filter((l) => l.startsWith("ARGS "))).toEqual(["ARGS stack select dev --create --secrets-provider passphrase", "ARGS up --yes --stack dev --diff"]);
    expect(lines).toContain(`PULUMI_BACKEND_URL=file://${path.join(root, ".local", "state")}`);
    expect(lines).toContain("TENCENTCLOUD_SECRET_ID=AKIDEMULATOR");
    expect(lines).toContain("TENCENTCLOUD_SECRET_KEY=emulator-secret-key");
    expect(lines.some((l) => l.startsWith("PULUMI_CONFIG_PASSPHRASE=") && l.length > "PULUMI_CONFIG_PASSPHRASE=".length)).toBe(true);
    expect(lines.some((l) => l.startsWith("TENCENTCLOUD_SESSION_TOKEN"))).toBe(false);
    expect(lines.filter((l) => l.startsWith("EMULATOR "))).toEqual(["EMULATOR 200", "EMULATOR 200"]);
    const endpoint = lines.find((l) => l.startsWith("TENCENTCLOUD_CSS_ENDPOINT="))!.split("=")[1];
    await expect(fetch(`${endpoint}/_emulator/tasks`)).rejects.toThrow();
    expect(fs.existsSync(path.join(root, ".local", "state"))).toBe(true);
  });

  test("usage: --help exits 0; stray arguments exit 2; no Pulumi.yaml is an error", async () => {
    const root = project("usage");
    expect((await up(["--help"], {}, root)).code).toBe(0);
    expect((await up(["now"], {}, root)).code).toBe(2);
    const bin = path.join(dir, "home", ".pulumi", "bin");
    const r = await up([], { PATH: bin }, dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain("no Pulumi.yaml");
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: t\nruntime: nodejs\nmain: dist/program/index.js\n");
    const unbuilt = await up([], { PATH: bin }, root);
    expect(unbuilt.code).toBe(1);
    expect(unbuilt.err).toContain("dist/program/index.js (Pulumi.yaml's main) does not exist; run `npm run build` first");
    expect(fs.existsSync(path.join(root, ".local"))).toBe(false);
  });
});
