// auth-secrets and the probe that tells it which inputs are secrets (policy/secrets.ts,
// policy/secret-probe.ts), on the shapes @pulumi/policy hands a remediation: policy.Secret values
// behind proxies that unwrap on read.
import * as fs from "node:fs";
import * as path from "node:path";
import { Secret } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { secretPaths, SecretRegistry } from "../../policy/secret-probe";
import { checkAuthSecrets, isSecretAt } from "../../policy/secrets";

// What @pulumi/policy's secretsPreservingProxy does on read (node_modules/@pulumi/policy/secret.js).
function unwrapping(target: any): any {
  if (!(target instanceof Object)) return target;
  return new Proxy(target, { get: (t, p) => unwrapping(t[p] instanceof Secret ? t[p].value : t[p]) });
}

const task = {
  sourceType: "PullLivePushLive",
  sourceUrls: ["rtmp://o/live/a?txSecret=s1&txTime=1"],
  watermarkList: [{ pictureUrl: "https://cdn/a.png?sign=plain-sig", location: 0 }],
  comment: "no auth here",
  __provider: "exports.handler = ...token=zzz",
};

describe("secret-inputs probe", () => {
  it("finds secrets under the unwrapping proxy, outermost paths only", () => {
    const props = unwrapping({
      toUrl: new Secret("rtmp://p/l/s?txSecret=x"),
      sourceUrls: [new Secret("rtmp://o/a")],
      watermarkList: new Secret([{ pictureUrl: "https://x?sign=1" }]),
      comment: "plain",
    });
    expect(props.toUrl).toBe("rtmp://p/l/s?txSecret=x"); // reads are unwrapped, as a policy sees them
    expect([...secretPaths(props)].sort()).toEqual(["sourceUrls[0]", "toUrl", "watermarkList"]);
  });

  it("keeps the latest record per URN", () => {
    const r = new SecretRegistry();
    r.record("urn:a", unwrapping({ toUrl: new Secret("x") }));
    r.record("urn:a", unwrapping({ comment: new Secret("y") }));
    expect([...(r.get("urn:a") ?? [])]).toEqual(["comment"]);
    expect(r.get("urn:b")).toBeUndefined();
  });
});

describe("auth-secrets", () => {
  it("a value inside a secret is secret", () => {
    expect(isSecretAt(["watermarkList", 0, "pictureUrl"], new Set(["watermarkList"]))).toBe(true);
    expect(isSecretAt(["watermarkList", 0, "pictureUrl"], new Set(["watermarkList[0].pictureUrl"]))).toBe(true);
    expect(isSecretAt(["watermarkList", 0, "pictureUrl"], new Set(["watermarkList[1]"]))).toBe(false);
  });

  it("passes when every auth-bearing string is a secret; ignores strings without auth and __ keys", () => {
    expect(checkAuthSecrets("r", task, new Set(["sourceUrls", "watermarkList[0]"]))).toEqual([]);
  });

  it("fails a plain auth-bearing string, naming the field and the fix, with the credential masked", () => {
    const v = checkAuthSecrets("relay", task, new Set(["sourceUrls"]));
    expect(v.map((x) => x.field)).toEqual(["watermarkList[0].pictureUrl"]);
    expect(v[0].message).toMatch(/^relay: watermarkList\[0\]\.pictureUrl carries auth parameters as plain text \("https:\/\/cdn\/a\.png\?sign=\*\*\*"\); pass it as a secret/);
    expect(v[0].message).not.toContain("plain-sig");
  });

  it("without the probe's record it cannot pass anything auth-bearing", () => {
    const v = checkAuthSecrets("r", task, undefined);
    expect(v.map((x) => x.field)).toEqual(["sourceUrls[0]", "watermarkList[0].pictureUrl"]);
    expect(v[0].message).toMatch(/enable the policy secret-inputs/);
  });
});

describe("the pack's directory", () => {
  const root = path.resolve(__dirname, "../..");
  it("declares the package's version (@pulumi/policy reads it from policy/package.json)", () => {
    const read = (p: string) => JSON.parse(fs.readFileSync(path.join(root, p), "utf8")) as { version: string };
    expect(read("policy/package.json").version).toBe(read("package.json").version);
  });

  it("is published: PulumiPolicy.yaml, the entry and the compiled pack are in package.json files", () => {
    const files = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { files: string[] }).files;
    for (const f of ["policy/PulumiPolicy.yaml", "policy/index.js", "policy/package.json", "dist/policy"]) {
      expect(files).toContain(f);
    }
  });
});
