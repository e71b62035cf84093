// The masking rule behind every message, as a property: whatever URL carries an auth parameter
// (txSecret, txTime, sign, token, in any case, in any position, with any value of URL-safe
// characters), wherever it sits in a message (quoted, in brackets, at the end of a sentence, in
// JSON), the value is gone after maskSecrets — and redact also removes the exact SecretKey/token.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { maskSecrets } from "../../provider/task";
import { redact } from "../../provider/api/mask";
import { SIGNED_URL_SCHEMES } from "../../provider/task/mask";

const SEED = Number(process.env.FC_SEED ?? 20261125);
const names = fc.constantFrom("txSecret", "txTime", "sign", "token", "TXSECRET", "Sign", "txsecret", "wsSecret", "hwSecret", "volcSecret", "q-signature");
/** 12+ URL-safe characters, so a hit in the output is never a coincidence. */
const value = fc.stringMatching(/^[A-Za-z0-9_.~%-]{12,40}$/);
const plain = fc.stringMatching(/^[a-z]{1,8}$/);
const url = fc
  .tuple(
    fc.constantFrom("rtmp", "https", "http", "srt", "rtmps"),
    fc.constantFrom("push.example.com", "src.example.com:1935", "[2001:db8::1]"),
    fc.array(plain, { minLength: 0, maxLength: 3 }),
    fc.array(fc.tuple(plain, plain), { maxLength: 3 }),
    fc.array(fc.tuple(names, value), { minLength: 1, maxLength: 3 }),
  )
  .chain(([s, h, path, before, secrets]) =>
    fc.shuffledSubarray([...before.map(([k, v]) => `${k}=${v}`), ...secrets.map(([k, v]) => `${k}=${v}`)], { minLength: before.length + secrets.length })
      .map((params) => ({ text: `${s}://${h}/${path.join("/")}?${params.join("&")}`, secrets: secrets.map(([, v]) => v) })));
const wrap = fc.constantFrom(
  (u: string) => u,
  (u: string) => `cannot pull "${u}": refused`,
  (u: string) => `(${u})`,
  (u: string) => `source ${u}.`,
  (u: string) => JSON.stringify({ SourceUrls: [u] }),
  (u: string) => `<${u}>`,
  (u: string) => `'${u}'`,
);

describe("maskSecrets", () => {
  it("removes every auth parameter value from any message carrying such URLs", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(url, wrap), { minLength: 1, maxLength: 3 }), (items) => {
        const message = items.map(([u, w]) => w(u.text)).join(" and ");
        const masked = maskSecrets(message);
        for (const [u] of items) for (const s of u.secrets) if (masked.includes(s)) throw new Error(`"${s}" survived in: ${masked}`);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("masks every signed-URL scheme's parameters, plain, URL-encoded and JSON-escaped (\\u0026)", () => {
    const SECRET = "S3cr3tV4lu3xyz";
    for (const [scheme, params] of Object.entries(SIGNED_URL_SCHEMES)) {
      for (const name of params) {
        const url = `rtmp://push.example.com/live/s?bak=1&${name}=${SECRET}&n=2`;
        const forms = [
          url,
          encodeURIComponent(url),
          JSON.stringify({ ToUrl: url }).replace(/&/g, "\\u0026"),
          `PushArgs ${name}=${SECRET}`,
        ];
        for (const form of forms) expect(maskSecrets(`failed: ${form}`), `${scheme} ${name}`).not.toContain(SECRET);
      }
    }
    // Any <vendor>Secret, and nothing that merely ends in a listed name.
    expect(maskSecrets("rtmp://h/l/s?acmeSecret=S3cr3tV4lu3xyz")).not.toContain("S3cr3tV4lu3xyz");
    expect(maskSecrets("monkey=banana&turnkey=ok")).toBe("monkey=banana&turnkey=ok");
  });

  it("redact removes the exact SecretKey and token too, wherever they appear", () => {
    fc.assert(
      fc.property(value, value, fc.string(), (key, token, noise) => {
        const out = redact(`${noise}${key}${noise} token=${token} X-TC-Token: ${token}`, [key, token]);
        expect(out.includes(key) || out.includes(token)).toBe(false);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
