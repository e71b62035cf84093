// The provider edge, not the pure core, knows Pulumi's machinery keys: check and diff must see
// through `__provider` and `__identity` as the host passes them, and keep the identity for create.
import { describe, expect, it } from "vitest";
import * as impl from "../../provider/impl";
import { IDENTITY_KEY } from "../../provider/identity";
import { PROVIDER_KEY } from "../../provider/machinery";
import { liveRelay } from "../support/tasks";

describe("machinery keys at the provider edge", () => {
  const machinery = { [PROVIDER_KEY]: "exports.handler = …", [IDENTITY_KEY]: "proj/dev/relay" };

  it("check validates the task fields only, drops __provider and passes the identity on", async () => {
    const checked = await impl.check({}, { ...liveRelay(), ...machinery });
    expect(checked.failures ?? []).toEqual([]);
    expect(checked.inputs[PROVIDER_KEY]).toBeUndefined();
    expect(checked.inputs[IDENTITY_KEY]).toBe("proj/dev/relay");
  });

  it("diff of the same task with and without machinery keys is no change", async () => {
    const checked = await impl.check({}, liveRelay());
    const outputs = { ...checked.inputs, taskId: "t-1", ...machinery };
    const d = await impl.diff("t-1", outputs, { ...checked.inputs, ...machinery });
    expect(d.changes).toBe(false);
  });
});
