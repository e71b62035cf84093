// check learns the API's time only when its answer depends on it, and builds the API client only to
// learn it: a preview without credentials must not look them up again for every resource it checks.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { liveRelay } from "../support/tasks";
import { NEAR_NOW_MS } from "../../provider/clock";
// vi.mock is hoisted above the imports, so impl loads the stand-in config.
import * as impl from "../../provider/impl";

// Stands in for a process without credentials: building the client fails, as CssClient's does.
const built = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../provider/config", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../provider/config")>();
  return {
    ...real,
    apiClient: () => {
      built.count++;
      throw new Error("no credentials (the test's stand-in)");
    },
  };
});

describe("check and the API clock without credentials", () => {
  beforeEach(() => {
    built.count = 0;
  });

  // Checks with old inputs: an update, so the quota count (new resources only) stays out of it.
  it("a task with settled times is checked without building a client", async () => {
    const task = liveRelay();
    for (let i = 0; i < 3; i++) {
      const checked = await impl.check(task, task);
      expect(checked.failures ?? []).toEqual([]);
    }
    const first = await impl.check(task, task);
    const d = await impl.diff("t-1", { ...first.inputs, taskId: "t-1" }, first.inputs);
    expect(d.changes).toBe(false);
    expect(built.count).toBe(0);
  });

  it("a new rolling schedule asks for the client, and is filled from the local clock without one", async () => {
    const { startTime: _s, endTime: _e, ...fields } = liveRelay();
    const task = { ...fields, schedule: { window: "2h", renewBefore: "30m" } };
    const before = Date.now();
    const checked = await impl.check(task, task);
    expect(checked.failures ?? []).toEqual([]);
    expect(built.count).toBe(1);
    const start = Date.parse(String(checked.inputs.startTime));
    // From the local clock: within minutes of it (the schedule starts a little ahead).
    expect(Math.abs(start - before)).toBeLessThan(NEAR_NOW_MS);
  });

  it("new resources: the quota asks for the account's figures once per provider, not once per check", async () => {
    for (let i = 0; i < 3; i++) {
      const checked = await impl.check({}, liveRelay());
      expect(checked.failures ?? []).toEqual([]);
    }
    expect(built.count).toBe(1);
  });
});
