import { describe, expect, test } from "vitest";
import { loadTasksFile, formatProblem } from "../../program/tasks-file";

const NOW = new Date("2026-11-25T12:00:00Z");
const load = (lines: string[], assumeNew = false) => loadTasksFile(lines.join("\n") + "\n", "f.yaml", { now: NOW, assumeNew });
const problems = (lines: string[]) => load(lines).problems.map(formatProblem);

const BASE = [
  "defaults:",
  "  region: ap-singapore",
  "  domainName: push.example.com",
  "  appName: live",
  "  callbackEvents: [TaskStart, TaskExit]",
  "  schedule: {window: 3d, renewBefore: 1d}",
  "tasks:",
  "  a:",
  "    sourceType: PullLivePushLive",
  "    sourceUrls: [rtmp://origin.example.net/live/a]",
  "    streamName: a",
  "  b:",
  "    sourceType: PullVodPushLive",
  "    sourceUrls: [https://m.example.com/1.mp4]",
  "    streamName: b",
  "    region: ap-tokyo",
  "    callbackEvents: [TaskAlarm]",
];

describe("tasks file: defaults merge", () => {
  test("every task gets the defaults; a task's own value wins; lists and objects are replaced whole", () => {
    const { tasks, problems: found } = load(BASE);
    expect(found).toEqual([]);
    expect(tasks.map((t) => t.name)).toEqual(["a", "b"]);
    expect(tasks[0].inputs).toEqual({
      region: "ap-singapore",
      domainName: "push.example.com",
      appName: "live",
      callbackEvents: ["TaskStart", "TaskExit"],
      schedule: { window: "3d", renewBefore: "1d" },
      sourceType: "PullLivePushLive",
      sourceUrls: ["rtmp://origin.example.net/live/a"],
      streamName: "a",
    });
    expect(tasks[1].inputs.region).toBe("ap-tokyo");
    expect(tasks[1].inputs.callbackEvents).toEqual(["TaskAlarm"]);
  });

  test("a file without defaults, and imports attached to their tasks", () => {
    const { tasks, problems: found } = load([...BASE.slice(6), "imports:", "  b: task-123"].map((l) => l).concat([]));
    // Without the defaults' destination the tasks lack domainName/appName: reported, not crashed.
    expect(found.length).toBeGreaterThan(0);
    expect(tasks.find((t) => t.name === "b")?.importId).toBe("task-123");
    expect(tasks.find((t) => t.name === "a")?.importId).toBeUndefined();
  });

  test("an imports entry is its task's adoptTaskId; a task's own adoptTaskId works alike; two different ids are reported", () => {
    const viaImports = load([...BASE, "imports:", "  a: task-1"]);
    expect(viaImports.problems).toEqual([]);
    expect(viaImports.tasks[0].inputs.adoptTaskId).toBe("task-1");
    const own = load([...BASE, "    adoptTaskId: task-2"]);
    expect(own.problems).toEqual([]);
    expect(own.tasks[1]).toMatchObject({ importId: "task-2", inputs: { adoptTaskId: "task-2" } });
    expect(problems([...BASE, "    adoptTaskId: task-2", "imports:", "  b: task-3"])).toEqual([
      "f.yaml:20:3: imports.b: says task-3 but tasks.b.adoptTaskId says task-2: keep one",
    ]);
  });

  test("an unquoted numeric TaskId is the same id; anything else under imports is reported", () => {
    const ok = load([...BASE, "imports:", "  a: 1000001"]);
    expect(ok.problems).toEqual([]);
    expect(ok.tasks.find((t) => t.name === "a")?.importId).toBe("1000001");
    expect(problems([...BASE, "imports:", "  a: [1]"])).toEqual(["f.yaml:19:3: imports.a: must be a string or an integer"]);
  });

  test("a value from defaults that fails for some tasks only names them, at the defaults line", () => {
    const lines = [...BASE];
    // fileIndex 2 of a one-file list fails for b; task a sets its own (valid) one.
    lines.splice(5, 0, "  fileIndex: 2");
    lines.splice(10, 0, "    fileIndex: 1");
    const found = problems(lines);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^f\.yaml:6:3: defaults\.fileIndex: .* \(in tasks: b\)$/);
  });

  test("a backup source on a video-file task is a warning, not a problem (the API accepts and ignores it)", () => {
    const lines = [...BASE];
    lines.splice(5, 0, "  backupSourceType: PullLivePushLive", "  backupSourceUrl: rtmp://b.example.net/live/x");
    const loaded = load(lines);
    expect(loaded.problems).toEqual([]);
    expect(loaded.warnings.map(formatProblem)).toEqual([
      expect.stringMatching(/^f\.yaml:6:3: tasks\.b\.backupSourceType: has no effect: .*live primary/),
    ]);
  });

  test("the span limit follows maxSpanMs (tencentcloud:maxTaskSpanDays)", () => {
    const lines = [...BASE.filter((l) => !l.includes("schedule")), "    startTime: 2026-12-01T00:00:00Z", "    endTime: 2026-12-21T00:00:00Z"];
    lines.splice(9, 0, "    startTime: 2026-12-01T00:00:00Z", "    endTime: 2026-12-02T00:00:00Z");
    const strict = loadTasksFile(lines.join("\n") + "\n", "f.yaml", { now: NOW, maxSpanMs: 7 * 86_400_000 });
    expect(strict.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/tasks\.b\.endTime: must be less than 7 days after startTime/),
    ]);
    // The default is the newest model's 30 days; 7 or more is a warning naming the page that says 7.
    expect(problems(lines)).toEqual([]);
    expect(load(lines).warnings.map(formatProblem)).toEqual([
      expect.stringMatching(/tasks\.b\.endTime: endTime is 20\.00 days after startTime: .*international API page/),
    ]);
  });
});

describe("tasks file: ${config:KEY} references", () => {
  test("are not judged offline (the stack resolves them) and stay in the inputs for the program", () => {
    const lines = [...BASE];
    lines[9] = '    sourceUrls: ["${config:studioSource}"]';
    lines.push("    pushArgs: ${config:css:pushAuth}");
    const { tasks, problems: found } = load(lines, true);
    expect(found).toEqual([]);
    expect(tasks[0].inputs.sourceUrls).toEqual(["${config:studioSource}"]);
    expect(tasks[1].inputs.pushArgs).toBe("${config:css:pushAuth}");
  });

  test("a value without a well-formed reference is judged as written", () => {
    const lines = [...BASE];
    lines[9] = '    sourceUrls: ["${config:}"]';
    expect(problems(lines)[0]).toMatch(/^f\.yaml:10:\d+: tasks\.a\.sourceUrls\[0\]: /);
  });
});

describe("tasks file: positions", () => {
  test("a missing nested property points at the closest existing parent (the list item)", () => {
    const lines = [...BASE.slice(0, 11), "    watermarkList:", "      - pictureUrl: https://s.example.com/l.png", "        xPosition: 1", "        yPosition: 1", "        width: 5", "        location: 0", ...BASE.slice(11)];
    expect(problems(lines)).toEqual(["f.yaml:13:9: tasks.a.watermarkList[0].height: is required"]);
  });

  test("a missing required property points at the task's name", () => {
    const lines = BASE.filter((l) => !l.includes("sourceUrls: [https"));
    expect(problems(lines)).toEqual(["f.yaml:12:3: tasks.b.sourceUrls: is required"]);
  });

  test("a bad item of a flow sequence points at that item", () => {
    const lines = [...BASE];
    lines[16] = "    callbackEvents: [TaskAlarm, TaskExploded]";
    const found = problems(lines);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^f\.yaml:17:33: tasks\.b\.callbackEvents\[1\]: /);
  });

  test("a list that is not a list points at its key", () => {
    const lines = [...BASE];
    lines[9] = "    sourceUrls: rtmp://origin.example.net/live/a";
    expect(problems(lines)[0]).toMatch(/^f\.yaml:10:5: tasks\.a\.sourceUrls: /);
  });

  test("a file that is not a map, an empty file, and tasks that is not a map", () => {
    expect(problems(["- a", "- b"])).toEqual(["f.yaml:1:1: (file): must be a map (key: value lines)"]);
    expect(problems([""])).toEqual(['f.yaml:1:1: (file): the property "tasks" is required']);
    expect(problems(["tasks: [a]"])).toEqual(["f.yaml:1:1: tasks: must be a map (key: value lines)"]);
  });
});

describe("tasks file: one stream, one task", () => {
  test("two tasks pushing one stream are reported at the later one, naming the earlier", () => {
    const twice = [...BASE, "  c:", "    sourceType: PullLivePushLive", "    sourceUrls: [rtmp://origin.example.net/live/c]", "    streamName: a"];
    expect(problems(twice)).toEqual([
      "f.yaml:18:3: tasks.c: pushes to push.example.com/live/a, as tasks.a does: two tasks would push one stream; keep one of them (or set allowSharedDestination: true on both)",
    ]);
    // The same stream name under another app is another stream.
    expect(problems([...twice.slice(0, -1), "    streamName: a", "    appName: other"])).toEqual([]);
  });

  test("allowSharedDestination on both tasks allows one stream; on one alone it does not", () => {
    const twice = [...BASE, "  c:", "    sourceType: PullLivePushLive", "    sourceUrls: [rtmp://origin.example.net/live/c]", "    streamName: a"];
    const onC = [...twice, "    allowSharedDestination: true"];
    expect(problems(onC)).toHaveLength(1);
    const aAt = onC.findIndex((l) => l === "  a:");
    const onBoth = [...onC.slice(0, aAt + 1), "    allowSharedDestination: true", ...onC.slice(aAt + 1)];
    expect(problems(onBoth)).toEqual([]);
  });
});

describe("tasks file: renamedFrom", () => {
  const renamed = (to: string, from: string) => BASE.map((l) => (l === "  a:" ? `  ${to}:\n    renamedFrom: ${from}` : l)).join("\n").split("\n");

  test("is the entry's, not a task field: kept beside the inputs, never in them", () => {
    const { tasks, problems: found } = load(renamed("main", "old"));
    expect(found).toEqual([]);
    expect(tasks[0]).toMatchObject({ name: "main", renamedFrom: "old", line: 8, column: 3 });
    expect(tasks[0].inputs).not.toHaveProperty("renamedFrom");
    expect(tasks[1]).not.toHaveProperty("renamedFrom");
  });

  test("naming a key still in the file, two entries from one key, or a bad name: refused at its line", () => {
    expect(problems(renamed("main", "b"))).toEqual([
      'f.yaml:9:5: tasks.main.renamedFrom: "b" is still a task (line 13): only a key that is gone can be renamed; ' +
        "remove tasks.b, or drop renamedFrom if this is a new task",
    ]);
    const twice = [...renamed("main", "old"), "    renamedFrom: old"];
    expect(problems(twice)).toEqual([
      'f.yaml:19:5: tasks.b.renamedFrom: tasks.main (line 8) is already renamed from "old": one task keeps ' +
        "old's running task; drop renamedFrom here and this one is created new",
    ]);
    expect(problems(renamed("main", "'9 lives'"))).toEqual([
      "f.yaml:9:5: tasks.main.renamedFrom: is not a valid resource name: start with a letter, then letters, " +
        "digits, '.', '_' or '-' (at most 100 characters)",
    ]);
  });
});
