// The bench's command line: --help prints the usage (it printed a stack trace), and a bad option is
// a UsageError, which main prints as a message and the usage, without a stack, exit 2.
import { describe, expect, it } from "vitest";
import { parse, UsageError, USAGE } from "../../bench/apply";

describe("bench arguments", () => {
  it("--help asks for the usage; bad options and values are usage errors naming them", () => {
    expect(parse(["--help"])).toBe("help");
    expect(() => parse(["--bogus"])).toThrow(UsageError);
    expect(() => parse(["--bogus"])).toThrow(/bogus[\s\S]*Usage: npm run bench/);
    expect(() => parse(["--tasks", "0"])).toThrow(new UsageError(`--tasks must be a positive whole number, got "0"\n${USAGE}`));
    expect(parse(["--tasks", "5"])).toMatchObject({ tasks: 5 });
  });
});
