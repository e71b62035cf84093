import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CredentialsError, DEFAULT_ENDPOINT, resolveCredentials } from "../../provider/api/credentials";

const homes: string[] = [];
function home(files: { credential?: unknown; configure?: unknown } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "css-cred-"));
  homes.push(dir);
  if (files.credential !== undefined || files.configure !== undefined) mkdirSync(join(dir, ".tccli"));
  if (files.credential !== undefined) writeFileSync(join(dir, ".tccli", "default.credential"), typeof files.credential === "string" ? files.credential : JSON.stringify(files.credential));
  if (files.configure !== undefined) writeFileSync(join(dir, ".tccli", "default.configure"), JSON.stringify(files.configure));
  return dir;
}
afterEach(() => {
  while (homes.length) rmSync(homes.pop()!, { recursive: true, force: true });
});

const options = { secretId: "AKID-opt", secretKey: "key-opt", securityToken: "tok-opt", region: "ap-tokyo", endpoint: "http://127.0.0.1:9001" };
const config = {
  "tencentcloud:secretId": "AKID-cfg",
  "tencentcloud:secretKey": "key-cfg",
  "tencentcloud:securityToken": "tok-cfg",
  "tencentcloud:region": "ap-seoul",
  "tencentcloud:cssEndpoint": "http://127.0.0.1:9002",
};
const env = {
  TENCENTCLOUD_SECRET_ID: "AKID-env",
  TENCENTCLOUD_SECRET_KEY: "key-env",
  TENCENTCLOUD_SESSION_TOKEN: "tok-env",
  TENCENTCLOUD_REGION: "ap-mumbai",
  TENCENTCLOUD_CSS_ENDPOINT: "https://live.intl.tencentcloudapi.com",
};
const tccli = { credential: { secretId: "AKID-cli", secretKey: "key-cli", token: "tok-cli" }, configure: { _sys_param: { region: "ap-beijing", output: "json" } } };

describe("credential precedence: options, stack config, environment, tccli profile", () => {
  it("explicit options win over everything", () => {
    const c = resolveCredentials({ options, config, env, homeDir: home(tccli) });
    expect(c).toMatchObject({ secretId: "AKID-opt", secretKey: "key-opt", securityToken: "tok-opt", region: "ap-tokyo", endpoint: "http://127.0.0.1:9001" });
    expect(c.source).toMatch(/provider options/);
  });

  it("stack config comes next", () => {
    const c = resolveCredentials({ config, env, homeDir: home(tccli) });
    expect(c).toMatchObject({ secretId: "AKID-cfg", secretKey: "key-cfg", securityToken: "tok-cfg", region: "ap-seoul", endpoint: "http://127.0.0.1:9002" });
    expect(c.source).toMatch(/stack config/);
  });

  it("then the environment", () => {
    const c = resolveCredentials({ env, homeDir: home(tccli) });
    expect(c).toMatchObject({ secretId: "AKID-env", secretKey: "key-env", securityToken: "tok-env", region: "ap-mumbai", endpoint: "https://live.intl.tencentcloudapi.com" });
    expect(c.source).toMatch(/environment/);
  });

  it("accepts the Terraform provider's TENCENTCLOUD_SECURITY_TOKEN after the SDK's name", () => {
    const c = resolveCredentials({ env: { TENCENTCLOUD_SECRET_ID: "a", TENCENTCLOUD_SECRET_KEY: "b", TENCENTCLOUD_SECURITY_TOKEN: "tf" }, homeDir: home() });
    expect(c.securityToken).toBe("tf");
  });

  it("then the tccli profile, region from default.configure", () => {
    const c = resolveCredentials({ env: {}, homeDir: home(tccli) });
    expect(c).toMatchObject({ secretId: "AKID-cli", secretKey: "key-cli", securityToken: "tok-cli", region: "ap-beijing", endpoint: DEFAULT_ENDPOINT });
    expect(c.source).toMatch(/tccli profile .*default\.credential/);
  });

  it("defaults the region to ap-guangzhou and the endpoint to live.tencentcloudapi.com", () => {
    const c = resolveCredentials({ env: { TENCENTCLOUD_SECRET_ID: "a", TENCENTCLOUD_SECRET_KEY: "b" }, homeDir: home() });
    expect(c.region).toBe("ap-guangzhou");
    expect(c.endpoint).toBe("https://live.tencentcloudapi.com");
    expect(c.regionSource).toBe("default");
  });

  it("never pairs a token with a key from another place", () => {
    const c = resolveCredentials({ options: { secretId: "a", secretKey: "b" }, env, homeDir: home() });
    expect(c.securityToken).toBeUndefined();
  });

  it("takes region and endpoint from the first place that names them, independently of the key pair", () => {
    const c = resolveCredentials({ options: { secretId: "a", secretKey: "b" }, config: { "tencentcloud:region": "ap-hongkong" }, env, homeDir: home() });
    expect(c.region).toBe("ap-hongkong");
    expect(c.endpoint).toBe("https://live.intl.tencentcloudapi.com");
  });

  it("ignores blank values", () => {
    const c = resolveCredentials({ options: { secretId: " ", secretKey: "" }, config: { "tencentcloud:secretId": "" }, env, homeDir: home() });
    expect(c.secretId).toBe("AKID-env");
  });

  it("does not read a broken tccli profile when another place has everything", () => {
    expect(resolveCredentials({ env, homeDir: home({ credential: "not json" }) }).secretId).toBe("AKID-env");
  });
});

describe("credential errors", () => {
  it("lists every place it looked when no credential is found", () => {
    const dir = home();
    let err: unknown;
    try {
      resolveCredentials({ env: {}, homeDir: dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CredentialsError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/No Tencent Cloud credentials found/);
    expect(msg).toContain("provider's options: secretId / secretKey");
    expect(msg).toContain("tencentcloud:secretId");
    expect(msg).toContain("tencentcloud:secretKey");
    expect(msg).toContain("TENCENTCLOUD_SECRET_ID");
    expect(msg).toContain("TENCENTCLOUD_SECRET_KEY");
    expect(msg).toContain("TENCENTCLOUD_SESSION_TOKEN");
    expect(msg).toContain(join(dir, ".tccli", "default.credential"));
  });

  it("half a pair is an error naming the place and the missing half", () => {
    expect(() => resolveCredentials({ config: { "tencentcloud:secretId": "AKID" }, env, homeDir: home() })).toThrow(/stack config .* has a SecretId but no SecretKey/);
    expect(() => resolveCredentials({ env: { TENCENTCLOUD_SECRET_KEY: "k" }, homeDir: home() })).toThrow(/environment .* has a SecretKey but no SecretId/);
  });

  it("a malformed tccli profile is named without echoing its content", () => {
    const dir = home({ credential: '{"secretId": "AKID", "secretKey": "super-secret-value"' });
    let msg = "";
    try {
      resolveCredentials({ env: {}, homeDir: dir });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain("default.credential is not a JSON object");
    expect(msg).not.toContain("super-secret-value");
  });

  it("an endpoint must be scheme://host[:port]", () => {
    const base = { secretId: "a", secretKey: "b" };
    expect(() => resolveCredentials({ options: { ...base, endpoint: "127.0.0.1:4566" }, homeDir: home() })).toThrow(/endpoint from provider options .* must (be a full URL|use http or https)/);
    expect(() => resolveCredentials({ options: { ...base, endpoint: "ftp://x" }, homeDir: home() })).toThrow(/must use http or https/);
    expect(() => resolveCredentials({ options: { ...base, endpoint: "http://h/api" }, homeDir: home() })).toThrow(/no path, query/);
    expect(resolveCredentials({ options: { ...base, endpoint: "http://127.0.0.1:4566/" }, homeDir: home() }).endpoint).toBe("http://127.0.0.1:4566");
  });
});

describe("Terraform's protocol and domain", () => {
  const keys = { TENCENTCLOUD_SECRET_ID: "AKIDX", TENCENTCLOUD_SECRET_KEY: "k" };
  const home = mkdtempSync(join(tmpdir(), "css-domain-"));
  const endpoint = (config: Record<string, string>, env: Record<string, string> = {}) =>
    resolveCredentials({ config, env: { ...keys, ...env }, homeDir: home }).endpoint;

  it("make the endpoint <protocol>://live.<domain> when no endpoint is set; stack config before the environment", () => {
    expect(endpoint({})).toBe(DEFAULT_ENDPOINT);
    expect(endpoint({}, { TENCENTCLOUD_DOMAIN: "intl.tencentcloudapi.com" })).toBe("https://live.intl.tencentcloudapi.com");
    expect(endpoint({ "tencentcloud:domain": "tencentcloudapi.woa.com" }, { TENCENTCLOUD_DOMAIN: "intl.tencentcloudapi.com" })).toBe("https://live.tencentcloudapi.woa.com");
    expect(endpoint({ "tencentcloud:protocol": "HTTPS" })).toBe(DEFAULT_ENDPOINT);
    // An explicit endpoint wins.
    expect(endpoint({ "tencentcloud:cssEndpoint": "http://127.0.0.1:4566" }, { TENCENTCLOUD_DOMAIN: "x.example.com" })).toBe("http://127.0.0.1:4566");
  });

  it("refuse another protocol, and plain HTTP to a host that is not loopback (signed requests in clear)", () => {
    expect(() => endpoint({ "tencentcloud:protocol": "ftp" })).toThrow(/tencentcloud:protocol \(TENCENTCLOUD_PROTOCOL\) must be HTTPS or HTTP, got "ftp"/);
    expect(() => endpoint({}, { TENCENTCLOUD_PROTOCOL: "HTTP" })).toThrow(/must use https: plain http is allowed only to a loopback host/);
  });
});
