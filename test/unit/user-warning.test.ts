// How a provider process finds the engine to log a warning to, and that the warning still reaches
// stderr when no engine answers there (provider/user-warning.ts).
import { afterEach, describe, expect, it, vi } from "vitest";
import { engineAddressOf, useEngineAt, warnUser } from "../../provider/user-warning";

afterEach(() => vi.restoreAllMocks());

describe("warnings for the user", () => {
  it("the engine address is the first argument that is not a logging or tracing flag", () => {
    expect(engineAddressOf(["127.0.0.1:4123"])).toBe("127.0.0.1:4123");
    expect(engineAddressOf(["--logtostderr", "-v=9", "--tracing", "file:/x", "127.0.0.1:4123", "extra"])).toBe("127.0.0.1:4123");
    expect(engineAddressOf([])).toBeUndefined();
  });

  it("with an engine that does not answer, the warning goes to stderr, once and whole", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    useEngineAt("127.0.0.1:1");
    await warnUser("warning: task quota: x");
    useEngineAt(undefined);
    await warnUser("warning: task quota: y");
    expect(warn.mock.calls).toEqual([["warning: task quota: x"], ["warning: task quota: y"]]);
  });
});
