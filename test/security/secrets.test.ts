// Secrets never leak: a full lifecycle (create, refresh, update, delete) through Pulumi's real
// provider host with a temporary key (SecretKey + session token) and URLs carrying auth query
// parameters in every URL field, plus error paths (invalid input carrying those URLs, an API error
// echoing them). Scanned: the serialised provider, every output, every error text, the host's
// stderr. The SecretKey and token appear nowhere; URL auth values appear only in the outputs the
// resource marks secret (which Pulumi encrypts in state).
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { HostCallError, ProviderHost, taskUrn, type Props } from "../support/host";
import { Stack } from "../../harness/engine";
import { programResource } from "../../harness/program";
import { iso } from "../support/time";

const hex = (n: number) => randomBytes(n).toString("hex");
const SECRET_ID = `AKIDSEC${hex(4)}`;
const SECRET_KEY = `SECRETKEY${hex(16)}`;
const TOKEN = `SESSIONTOKEN${hex(24)}`;
/** URL auth values, each distinctive so a hit is never a coincidence. */
const URL_SECRETS = {
  txSecret: `TXSECRET${hex(12)}`,
  txTime: `7${hex(3).toUpperCase()}ABCD`,
  sign: `SIGN${hex(12)}`,
  token: `URLTOKEN${hex(12)}`,
  auth_key: `AUTHKEY${hex(12)}`,
  backupSecret: `BACKUPSECRET${hex(10)}`,
  cbSign: `CBSIGN${hex(12)}`,
  password: `PASSWORD${hex(8)}`,
  qSignature: `QSIGNATURE${hex(12)}`,
};
const CREDENTIALS = [SECRET_KEY, TOKEN];
const ALL_SECRETS = [...CREDENTIALS, ...Object.values(URL_SECRETS)];
/** The URL fields the issue requires to be secrets in state. */
const URL_FIELDS = ["toUrl", "pushArgs", "sourceUrls", "backupSourceUrl", "backupToUrl", "callbackUrl", "backupVodUrl", "watermarkList"];
/** A presigned COS picture: its signature is as secret as a push signature. */
const signedPicture = () => ({
  pictureUrl: `https://img.example.com/logo.png?q-sign-algorithm=sha1&q-signature=${URL_SECRETS.qSignature}`,
  xPosition: 1, yPosition: 1, width: 10, height: 10, location: 0,
});


function configs(): Map<string, Props> {
  const start = Date.now() + 30 * 60_000;
  const times = { startTime: iso(start), endTime: iso(start + 86400_000) };
  return new Map<string, Props>([
    ["sec-live", {
      sourceType: "PullLivePushLive",
      sourceUrls: [`https://src.example.com/live/a.flv?sign=${URL_SECRETS.sign}&t=1`],
      toUrl: `rtmp://push.example.com/live/sec?txSecret=${URL_SECRETS.txSecret}&txTime=${URL_SECRETS.txTime}`,
      backupSourceType: "PullLivePushLive",
      backupSourceUrl: `https://backup.example.com/live/b.flv?txSecret=${URL_SECRETS.backupSecret}`,
      callbackUrl: `https://hooks.example.com/css?sign=${URL_SECRETS.cbSign}`,
      comment: "v1", ...times,
    }],
    ["sec-vod", {
      sourceType: "PullVodPushLive",
      sourceUrls: [`https://vod.example.com/a.mp4?token=${URL_SECRETS.token}`, `https://vod.example.com/b.mp4?auth_key=${URL_SECRETS.auth_key}`],
      domainName: "push.example.com", appName: "live", streamName: "sec-vod",
      callbackUrl: `https://ops:${URL_SECRETS.password}@hooks.example.com/css`,
      watermarkList: [signedPicture()],
      comment: "v1", ...times,
    }],
  ]);
}

function leaks(text: string, secrets: string[] = ALL_SECRETS): string[] {
  return secrets.filter((s) => text.includes(s));
}

/** URL auth values may sit only under the fields marked secret; credentials nowhere at all. */
function outputLeaks(props: Props): string[] {
  const found: string[] = [];
  for (const [k, v] of Object.entries(props)) {
    const text = JSON.stringify(v) ?? "";
    for (const s of leaks(text, CREDENTIALS)) found.push(`${k}: credential ${s.slice(0, 8)}…`);
    if (k === "__provider" || URL_FIELDS.includes(k)) continue;
    for (const s of leaks(text, Object.values(URL_SECRETS))) found.push(`${k}: URL secret ${s.slice(0, 8)}…`);
  }
  return found;
}

let emu: RunningEmulator;
let host: ProviderHost;
const texts: { where: string; text: string }[] = [];
const outputs: { where: string; props: Props }[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, tempCredentials: [{ secretId: SECRET_ID, secretKey: SECRET_KEY, token: TOKEN }], rateScale: 10 });
  host = await ProviderHost.start();
  await host.configure({
    "tencentcloud:secretId": SECRET_ID,
    "tencentcloud:secretKey": SECRET_KEY,
    "tencentcloud:securityToken": TOKEN,
    "tencentcloud:region": "ap-guangzhou",
    "tencentcloud:cssEndpoint": emu.url,
  });
});
afterAll(async () => {
  await host?.close();
  await emu?.close();
});

describe("a full lifecycle with a temporary key and auth-bearing URLs", () => {
  it("create, refresh, update, refresh, delete: converges, and nothing secret leaks", async () => {
    const desired = new Map<string, Props>();
    const registered = new Map<string, string[]>();
    for (const [name, cfg] of configs()) {
      const p = await programResource(name, cfg, "css", "secrets");
      desired.set(name, p.inputs);
      registered.set(name, p.secretInputs);
      texts.push({ where: `${name} registered __provider`, text: String(p.inputs.__provider) });
    }
    const engine = new Stack({ current: host }, "secrets");
    const created = await engine.apply(desired);
    expect(created.failures).toEqual([]);
    expect(emu.tasks()).toHaveLength(2);
    const refresh = async (phase: string) => {
      for (const [name, e] of engine.state) {
        const r = await host.read(e.id, engine.urn(name), e.outputs, e.inputs);
        outputs.push({ where: `${phase} read ${name}`, props: r.properties }, { where: `${phase} read ${name} inputs`, props: r.inputs ?? {} });
      }
    };
    for (const [name, e] of engine.state) outputs.push({ where: `create ${name}`, props: e.outputs });
    await refresh("after create");
    const changed = new Map([...desired].map(([n, c]) => [n, { ...c, comment: "v2" }]));
    const updated = await engine.apply(changed);
    expect(updated.failures).toEqual([]);
    expect(emu.tasks().map((t) => t.Comment)).toEqual(["v2", "v2"]);
    for (const [name, e] of engine.state) outputs.push({ where: `update ${name}`, props: e.outputs });
    await refresh("after update");
    const deleted = await engine.apply(new Map());
    expect(deleted.failures).toEqual([]);
    expect(emu.tasks()).toHaveLength(0);
    for (const t of engine.errorTexts) texts.push({ where: "engine error", text: t });
    // The removal ran in a provider process of its own, as `pulumi up` does: its stderr is scanned too.
    for (const text of engine.ownProcessStderr) texts.push({ where: "own-process host stderr", text });
    // The serialised provider the engine stores in every resource's state.
    texts.push({ where: "serialised provider", text: host.providerText });
    for (const o of outputs) expect(outputLeaks(o.props), o.where).toEqual([]);
    // The API really was called with the temporary key (so the token was in play).
    expect(emu.calls().calls.CreateLivePullStreamTask).toBe(2);
    for (const [name, keys] of registered) {
      const cfg = configs().get(name)!;
      const set = URL_FIELDS.filter((f) => cfg[f] !== undefined);
      expect(keys.sort(), `${name}: inputs registered as secrets`).toEqual(set.sort());
    }
  });

  it("check failures on inputs carrying secret URLs name the field but not the secret", async () => {
    const bad: Props[] = [
      { ...configs().get("sec-live")!, sourceUrls: [`http://10.0.0.8/live/a.flv?txSecret=${URL_SECRETS.txSecret}`] },
      { ...configs().get("sec-live")!, toUrl: `http://push.example.com/live/x?txSecret=${URL_SECRETS.txSecret}&txTime=${URL_SECRETS.txTime}` },
      { ...configs().get("sec-live")!, sourceUrls: [`ftp://src.example.com/a.flv?sign=${URL_SECRETS.sign}`] },
      { ...configs().get("sec-vod")!, watermarkList: [{ pictureUrl: `https://img.example.com/a;b.png?token=${URL_SECRETS.token}`, xPosition: 0, yPosition: 0, width: 10, height: 10, location: 0 }] },
      { ...configs().get("sec-vod")!, sourceUrls: [`rtmp://ops:${URL_SECRETS.password}@192.168.1.2/live/x.mp4`] },
    ];
    for (const [i, cfg] of bad.entries()) {
      const r = await host.check(taskUrn(`bad-${i}`), {}, cfg);
      expect(r.failures.length, JSON.stringify(cfg)).toBeGreaterThan(0);
      for (const f of r.failures) texts.push({ where: `check failure ${i} ${f.property}`, text: `${f.property} ${f.reason}` });
    }
  });

  it("an API error echoing the request's URLs is masked before it reaches the engine", async () => {
    // A stand-in endpoint whose errors quote the request, as real services' messages sometimes do.
    const echo = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        res.writeHead(200, { "Content-Type": "application/json" });
        if (req.headers["x-tc-action"] === "DescribeLivePullStreamTasks") {
          res.end(JSON.stringify({ Response: { TaskInfos: [], TotalNum: 0, PageNum: 1, PageSize: 10, TotalPage: 0, LimitTaskNum: 200, RequestId: "echo-0" } }));
          return;
        }
        const msg = `cannot pull ${JSON.parse(body).SourceUrls?.[0]} to ${JSON.parse(body).ToUrl} (request ${body})`;
        res.end(JSON.stringify({ Response: { Error: { Code: "InvalidParameter.InvalidSourceUrl", Message: msg }, RequestId: "echo-1" } }));
      });
    });
    await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
    const echoHost = await ProviderHost.start();
    try {
      await echoHost.configure({
        "tencentcloud:secretId": SECRET_ID, "tencentcloud:secretKey": SECRET_KEY, "tencentcloud:securityToken": TOKEN,
        "tencentcloud:cssEndpoint": `http://127.0.0.1:${(echo.address() as AddressInfo).port}`,
      });
      const cfg = configs().get("sec-live")!;
      const checked = await echoHost.check(taskUrn("echo"), {}, cfg);
      const err = await echoHost.create(taskUrn("echo"), checked.inputs).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(HostCallError);
      const e = err as HostCallError;
      expect(e.details).toContain("InvalidParameter.InvalidSourceUrl");
      // The echo really carried the URLs: masked, not dropped.
      expect(e.details).toMatch(/sign=\*\*\*/);
      expect(e.details).toMatch(/txSecret=\*\*\*/);
      texts.push({ where: "API error", text: e.details }, { where: "API error reasons", text: JSON.stringify(e.initFailure ?? {}) });
      texts.push({ where: "echo host stderr", text: echoHost.stderr() });
    } finally {
      await echoHost.close();
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });

  it("scan: 0 occurrences of the SecretKey, the token or any URL auth value", async () => {
    await host.close();
    texts.push({ where: "host stderr", text: host.stderr() });
    expect(texts.length).toBeGreaterThan(8);
    const found = texts.flatMap((t) => leaks(t.text).map((s) => `${t.where}: ${s.slice(0, 10)}…`));
    expect(found).toEqual([]);
  });
});

describe("the resource marks the URL fields secret", () => {
  it("every URL field is in additionalSecretOutputs, and the ones set are secret outputs", async () => {
    const cfg: Props = {
      ...configs().get("sec-live")!,
      pushArgs: `bak=1&sign=${URL_SECRETS.sign}`,
      backupToUrl: `rtmp://backup.example.com/live/x?txSecret=${URL_SECRETS.txSecret}`,
      backupVodUrl: `https://vod.example.com/pad.mp4?sign=${URL_SECRETS.sign}`,
      watermarkList: [signedPicture()],
    };
    delete cfg.toUrl;
    Object.assign(cfg, { domainName: "push.example.com", appName: "live", streamName: "marks" });
    const { resource, secretInputs, additionalSecretOutputs } = await programResource("marks", cfg, "css", "secrets");
    expect(URL_FIELDS.filter((f) => !additionalSecretOutputs.includes(f))).toEqual([]);
    for (const f of URL_FIELDS.filter((k) => cfg[k] !== undefined)) {
      const out = resource[f] as { isSecret: Promise<boolean> } | undefined;
      expect(out, f).toBeDefined();
      expect(await out!.isSecret, `${f} output is secret`).toBe(true);
    }
    expect(secretInputs.sort()).toEqual(URL_FIELDS.filter((f) => f !== "toUrl").sort());
    // Fields without auth values stay readable in previews and diffs.
    expect(await (resource.comment as { isSecret: Promise<boolean> }).isSecret).toBe(false);
  });
});
