// Generated tampering (issue 6): every altered request is refused with an AuthFailure code,
// while the untouched twin of each request is accepted.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { codeOf, rawPost, signedHeaders } from "./support-sign";

let emu: RunningEmulator;
let host: string;
beforeAll(async () => {
  emu = await startEmulator({ rateScale: 10_000 });
  host = new URL(emu.url).host;
});
afterAll(() => emu.close());

const ACTION = "DescribeLivePullStreamTasks";
type Tamper =
  | { kind: "body"; index: number; bit: number }
  | { kind: "header"; name: "Content-Type" | "Host" | "X-TC-Action"; value: string }
  | { kind: "date"; days: number }
  | { kind: "service"; service: string }
  | { kind: "timestamp"; skew: number };

const tamper: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({ kind: fc.constant("body" as const), index: fc.nat(), bit: fc.integer({ min: 0, max: 6 }) }),
  fc.record({
    kind: fc.constant("header" as const),
    name: fc.constantFrom("Content-Type" as const, "Host" as const, "X-TC-Action" as const),
    value: fc.stringMatching(/^[a-z][a-z0-9./;=-]{0,20}$/),
  }),
  fc.record({ kind: fc.constant("date" as const), days: fc.integer({ min: -400, max: 400 }).filter((d) => d !== 0) }),
  fc.record({ kind: fc.constant("service" as const), service: fc.stringMatching(/^[a-z0-9]{1,8}$/).filter((s) => s !== "live" && s !== "127") }),
  fc.record({ kind: fc.constant("timestamp" as const), skew: fc.oneof(fc.integer({ min: 301, max: 100_000 }), fc.integer({ min: -100_000, max: -301 })) }),
);

async function send(headers: Record<string, string>, body: Buffer): Promise<string> {
  const r = await rawPost(emu.url, headers, body);
  return codeOf(r.json?.Response);
}

describe("generated tampered requests", () => {
  it("are all rejected with AuthFailure.*; their untouched twins are accepted", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 50 }), tamper, async (pageSize, pageNum, t) => {
        const body = Buffer.from(JSON.stringify({ PageSize: pageSize, PageNum: pageNum }));
        const now = Math.floor(Date.now() / 1000);
        expect(await send(signedHeaders(ACTION, body, host, { timestamp: now }), body)).toBe("OK");
        let headers: Record<string, string>;
        let sent = body;
        switch (t.kind) {
          case "body":
            sent = Buffer.from(body);
            sent[t.index % sent.length] ^= 1 << t.bit;
            headers = signedHeaders(ACTION, body, host, { timestamp: now });
            break;
          case "header": {
            headers = signedHeaders(ACTION, body, host, { timestamp: now });
            if (headers[t.name].toLowerCase() === t.value.toLowerCase()) return; // not a change
            headers[t.name] = t.value;
            break;
          }
          case "date": {
            const date = new Date((now + t.days * 86400) * 1000).toISOString().slice(0, 10);
            headers = signedHeaders(ACTION, body, host, { timestamp: now, date });
            break;
          }
          case "service":
            headers = signedHeaders(ACTION, body, host, { timestamp: now, service: t.service });
            break;
          case "timestamp":
            headers = signedHeaders(ACTION, body, host, { timestamp: now + t.skew });
            break;
        }
        expect(await send(headers, sent)).toMatch(/^AuthFailure\./);
      }),
      { numRuns: 150 },
    );
  });
});
