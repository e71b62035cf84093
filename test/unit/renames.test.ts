// A renamed key is not a new stream: the pure detection against a base version (program/renames.ts)
// and the rules on `renamedFrom` within one file (program/renamed-from.ts).
import { describe, expect, it } from "vitest";
import { renameMessage, undeclaredRenames, type BaseTask, type CurrentTask } from "../../program/renames";
import { renamedFromFailures } from "../../program/renamed-from";

const dest = (stream: string, over: Record<string, unknown> = {}) => ({
  sourceType: "PullLivePushLive",
  sourceUrls: [`rtmp://origin.example.net/live/${stream}`],
  domainName: "push.example.com",
  appName: "live",
  streamName: stream,
  ...over,
});
const base = (name: string, inputs: Record<string, unknown>): BaseTask => ({ name, inputs });
let line = 0;
const now = (name: string, inputs: Record<string, unknown>, renamedFrom?: string): CurrentTask => ({
  name, inputs, line: ++line, column: 3, ...(renamedFrom ? { renamedFrom } : {}),
});

describe("undeclaredRenames", () => {
  it("a gone key whose destination a new key pushes to is a rename, at the new key's line", () => {
    line = 0;
    const found = undeclaredRenames([base("studio", dest("studio")), base("lobby", dest("lobby"))], [
      now("lobby", dest("lobby")),
      now("main-stage", dest("studio", { sourceUrls: ["rtmp://elsewhere.example.net/live/x"] })),
    ]);
    expect(found).toEqual([{ task: "main-stage", line: 2, column: 3, from: "studio", destination: "push.example.com/live/studio" }]);
  });

  it("nothing when the base equals the file, or the base is empty (a new file)", () => {
    const tasks = [base("a", dest("a")), base("b", dest("b"))];
    expect(undeclaredRenames(tasks, tasks.map((t) => now(t.name, t.inputs)))).toEqual([]);
    expect(undeclaredRenames([], [now("a", dest("a"))])).toEqual([]);
  });

  it("nothing when the new key declares renamedFrom, or another key claims the old one", () => {
    expect(undeclaredRenames([base("studio", dest("studio"))], [now("main", dest("studio"), "studio")])).toEqual([]);
    // `other` is renamed from studio; `main` pushing there too is the file's own problem (shared destination).
    expect(undeclaredRenames([base("studio", dest("studio"))], [
      now("other", dest("x"), "studio"),
      now("main", dest("studio")),
    ])).toEqual([]);
  });

  it("a new key on a new destination, a removed key alone, or a kept key sharing a destination: no rename", () => {
    expect(undeclaredRenames([base("a", dest("a"))], [now("b", dest("b"))])).toEqual([]);
    expect(undeclaredRenames([base("a", dest("a")), base("b", dest("b"))], [now("a", dest("a"))])).toEqual([]);
    expect(undeclaredRenames([base("a", dest("a"))], [now("a", dest("z")), now("b", dest("a"))])).toEqual([]);
  });

  it("toUrl and backupToUrl destinations, compared by host and path (a signature or scheme change is the same stream)", () => {
    const old = base("old", { sourceType: "PullLivePushLive", toUrl: "rtmp://push.example.com/live/s?txSecret=a" });
    const moved = now("new", { sourceType: "PullLivePushLive", toUrl: "rtmps://push.example.com/live/s?${config:auth}" });
    expect(undeclaredRenames([old], [moved]).map((r) => r.destination)).toEqual(["push.example.com/live/s"]);
    const backup = now("b2", dest("other", { backupToUrl: "rtmp://push.example.com/live/s" }));
    expect(undeclaredRenames([old], [backup]).map((r) => r.from)).toEqual(["old"]);
  });

  it("each gone key is matched once, in file order", () => {
    const found = undeclaredRenames([base("s", dest("s"))], [now("first", dest("s")), now("second", dest("s"))]);
    expect(found.map((r) => r.task)).toEqual(["first"]);
  });

  it("the message names the old key, the line to add and the base, and no auth value", () => {
    const old = base("old", { sourceType: "PullLivePushLive", toUrl: "rtmp://push.example.com/live/s?txSecret=a1b2" });
    const [r] = undeclaredRenames([old], [now("new", { toUrl: "rtmp://push.example.com/live/s?txSecret=c3d4" })]);
    const text = renameMessage(r, "origin/main:tasks.yaml");
    expect(text).toContain(`add "renamedFrom: old" under tasks.new (line ${r.line})`);
    expect(text).toContain("as tasks.old did in origin/main:tasks.yaml");
    expect(text).not.toMatch(/a1b2|c3d4|txSecret/);
  });
});

describe("renamedFromFailures", () => {
  const entry = (name: string, l: number, renamedFrom?: string) => ({ name, line: l, column: 3, renamedFrom });

  it("a renamedFrom naming a key still in the file, or the entry's own key, is refused at the entry", () => {
    expect(renamedFromFailures([entry("a", 2), entry("b", 5, "a")])).toEqual([
      { task: "b", reason: expect.stringMatching(/^"a" is still a task \(line 2\): only a key that is gone/) },
    ]);
    expect(renamedFromFailures([entry("a", 2, "a")])).toEqual([{ task: "a", reason: expect.stringContaining("own key") }]);
  });

  it("two entries renamed from one key: the later is refused, naming the earlier's line", () => {
    expect(renamedFromFailures([entry("x", 2, "old"), entry("y", 7, "old")])).toEqual([
      { task: "y", reason: expect.stringMatching(/^tasks\.x \(line 2\) is already renamed from "old"/) },
    ]);
  });

  it("renames from distinct gone keys pass", () => {
    expect(renamedFromFailures([entry("x", 2, "old1"), entry("y", 7, "old2"), entry("z", 9)])).toEqual([]);
  });
});

describe("undeclaredRenames: a renamedFrom the base does not know", () => {
  it("names no key of the base: reported, with the gone key sharing its destination when there is one", () => {
    line = 0;
    const [typo] = undeclaredRenames([base("studio", dest("studio"))], [now("main", dest("studio"), "stuido")]);
    expect(typo).toEqual({ task: "main", line: 1, column: 3, named: "stuido", from: "studio", destination: "push.example.com/live/studio" });
    expect(renameMessage(typo, "origin/main:tasks.yaml")).toBe(
      "renamedFrom: stuido is not a task in origin/main:tasks.yaml, so its alias keeps nothing; this task pushes to " +
        "push.example.com/live/studio, as tasks.studio did: as written, up refuses to create it while studio's task " +
        'pushes that stream. To keep the running task, write "renamedFrom: studio" under tasks.main (line 1)',
    );
    const [alone] = undeclaredRenames([base("studio", dest("studio"))], [now("other", dest("other"), "gone")]);
    expect(renameMessage(alone, "b.yaml")).toBe("renamedFrom: gone is not a task in b.yaml, so its alias keeps nothing: up creates this task new");
  });

  it("an entry already in the base is not judged again, whatever its renamedFrom (the base equals the file)", () => {
    const file = [now("main", dest("studio"), "studio")];
    expect(undeclaredRenames(file, file)).toEqual([]);
  });
});
