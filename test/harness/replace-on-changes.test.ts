// The engine's replaceOnChanges decision (step_generator.go applyReplaceOnChanges), as the engine
// simulator makes it: only from what the provider's Diff returned.
import { describe, expect, it } from "vitest";
import { parsePropertyPath, pathContains, replaceOnChangesApplies } from "../../harness/replace-on-changes";
import type { DiffResult } from "../../harness/host";

const some = (extra: Partial<DiffResult> = {}): DiffResult => ({ changes: "some", replaces: [], deleteBeforeReplace: false, ...extra });

describe("replaceOnChanges", () => {
  it("parses property paths as the engine does, and matches by prefix with * for any one key", () => {
    expect(parsePropertyPath("watermarkList[1].location")).toEqual(["watermarkList", 1, "location"]);
    expect(parsePropertyPath('tags["a.b"]')).toEqual(["tags", "a.b"]);
    expect(pathContains(["watermarkList"], ["watermarkList", 0, "width"])).toBe(true);
    expect(pathContains(["*"], ["comment"])).toBe(true);
    expect(pathContains(["watermarkList", 0], ["watermarkList"])).toBe(false);
  });

  it("replaces only from the provider's changed keys or detailed diff, never from inputs", () => {
    // What the dynamic host returns: changes, nothing per field.
    expect(replaceOnChangesApplies(some(), ["comment"])).toBe(false);
    expect(replaceOnChangesApplies(some({ changedKeys: ["comment"] }), ["comment"])).toBe(true);
    expect(replaceOnChangesApplies(some({ detailedDiff: { "watermarkList[0].width": { kind: "update", inputDiff: false } } }), ["watermarkList"])).toBe(true);
    expect(replaceOnChangesApplies(some({ changedKeys: ["status"] }), ["comment"])).toBe(false);
    expect(replaceOnChangesApplies({ ...some({ changedKeys: ["comment"] }), changes: "none" }, ["comment"])).toBe(false);
  });

  it("init errors replace only under `*` (the engine's #initerror key)", () => {
    const none: DiffResult = { changes: "none", replaces: [], deleteBeforeReplace: false };
    expect(replaceOnChangesApplies(none, ["*"], true)).toBe(true);
    expect(replaceOnChangesApplies(none, ["comment"], true)).toBe(false);
  });
});
