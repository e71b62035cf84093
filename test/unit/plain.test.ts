// plain() (what check, create and read hand the host) is a JSON round trip: its copy of plain data
// must give exactly what the round trip gives, whatever the value.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plain } from "../../provider/protocol/story";

const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v) as string);

describe("plain", () => {
  it("equals a JSON round trip on any value: -0, undefined in lists and maps, __proto__, Dates, NaN", () => {
    const edges: unknown[] = [
      -0, [-0], { a: -0 }, [undefined], { a: undefined, b: 1 }, NaN, [Infinity], new Date(0), { d: new Date(0) },
      JSON.parse('{"__proto__": {"x": 1}}'), { toJSON: () => "t" }, Object.create(null), [1, , 3], "s", null,
    ];
    for (const v of edges) expect(plain(v)).toStrictEqual(roundTrip(v));
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withDate: true, withSparseArray: true }), (v) => {
        let expected: unknown;
        try {
          expected = roundTrip(v);
        } catch {
          expect(() => plain(v)).toThrow();
          return;
        }
        expect(plain(v)).toStrictEqual(expected);
      }),
      { numRuns: 2000, seed: 24 },
    );
  });
});
