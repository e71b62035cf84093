import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, test } from "vitest";
import { runValidate } from "../../cli/validate";
import type { Io } from "../../cli/io";
import { iso } from "../support/time";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "css-validate-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const NOW = new Date("2026-11-25T12:00:00Z");

function write(name: string, lines: string[]): string {
  fs.writeFileSync(path.join(dir, name), lines.join("\n") + "\n");
  return name;
}

async function validate(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: dir, env: {} };
  const code = await runValidate(argv, io, () => NOW);
  return { code, out, err };
}

const GOOD = [
  "# yaml-language-server: $schema=../schema/tasks-file.schema.json",
  "defaults:",
  "  domainName: push.example.com",
  "  appName: live",
  "tasks:",
  "  relay:",
  "    sourceType: PullLivePushLive",
  "    sourceUrls: [rtmp://origin.example.net/live/a]",
  "    streamName: a",
  "    startTime: 2026-11-26T00:00:00Z",
  "    endTime: 2026-11-28T00:00:00Z",
  "  playlist:",
  "    sourceType: PullVodPushLive",
  "    sourceUrls:",
  "      - https://media.example.com/a.mp4",
  "      - https://media.example.com/b.mp4",
  "    streamName: b",
  "    schedule: {window: 6d, renewBefore: 2d}",
];

describe("css-pull-tasks validate", () => {
  test("a good file: exit 0 and an ok line", async () => {
    const r = await validate(write("good.yaml", GOOD));
    expect(r).toEqual({ code: 0, out: "good.yaml: ok (2 tasks)\n", err: "" });
  });

  test("the repository's sample tasks.yaml is valid", async () => {
    let out = "";
    const io: Io = { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: path.resolve(__dirname, "../.."), env: {} };
    expect(await runValidate([], io, () => NOW)).toBe(0);
    expect(out).toMatch(/^tasks\.yaml: ok/);
  });

  test("a typo'd property points at its key", async () => {
    const lines = [...GOOD];
    lines[7] = "    sourceUrl: [rtmp://origin.example.net/live/a]";
    const r = await validate(write("typo.yaml", lines));
    expect(r.code).toBe(1);
    expect(r.out).toContain('typo.yaml:8:5: tasks.relay.sourceUrl: unknown property; did you mean "sourceUrls"?\n');
    // …and the property it should have been is reported missing at the task's name.
    expect(r.out).toContain("typo.yaml:6:3: tasks.relay.sourceUrls: is required\n");
  });

  test("a nested watermark field points at that field in the right list item", async () => {
    const lines = [
      ...GOOD.slice(0, 11),
      "    watermarkList:",
      "      - {pictureUrl: https://s.example.com/a.png, xPosition: 1, yPosition: 1, width: 5, height: 5, location: 0}",
      "      - pictureUrl: https://s.example.com/b.png",
      "        xPosition: 1",
      "        yPosition: 1",
      "        width: 5",
      "        height: 5",
      "        location: 9",
      ...GOOD.slice(11),
    ];
    const r = await validate(write("watermark.yaml", lines));
    expect(r.code).toBe(1);
    expect(r.out).toBe("watermark.yaml:19:9: tasks.relay.watermarkList[1].location: must be one of 0, 1, 2, 3\n");
  });

  test("several rules at once, each at its own line:column, in file order", async () => {
    const lines = [...GOOD];
    lines[6] = "    sourceType: PullLiveStream"; // not an enum value
    lines[12] = "    sourceType: PullVodPushLive";
    lines.push("    backupSourceType: PullLivePushLive", "    backupSourceUrl: rtmp://b.example.net/live/b");
    const r = await validate(write("several.yaml", lines));
    expect(r.code).toBe(1);
    const found = r.out.trim().split("\n").map((l) => l.split(": ").slice(0, 2).join(": "));
    expect(found).toEqual(["several.yaml:7:5: tasks.relay.sourceType", "several.yaml:19:5: tasks.playlist.backupSourceType"]);
    // The backup source on a video-file primary is a warning (the API ignores it), the enum a failure.
    expect(r.out).toMatch(/several\.yaml:19:5: tasks\.playlist\.backupSourceType: warning: has no effect/);
  });

  test("a typo in defaults is reported once, at its line in defaults", async () => {
    const lines = [...GOOD];
    lines.splice(4, 0, "  comments: shared");
    const r = await validate(write("defaults.yaml", lines));
    expect(r.code).toBe(1);
    expect(r.out).toBe('defaults.yaml:5:3: defaults.comments: unknown property; did you mean "comment"?\n');
  });

  test("file-level problems: unknown top-level key, bad task name, import of an unknown task", async () => {
    const r = await validate(write("shape.yaml", [...GOOD, "  bad name!:", "    sourceType: PullLivePushLive", "imports:", "  ghost: '42'", "task: {}"]));
    expect(r.code).toBe(1);
    expect(r.out).toContain("shape.yaml:19:3: tasks.bad name!: name \"bad name!\" is not a valid resource name");
    expect(r.out).toContain('shape.yaml:22:3: imports.ghost: no task named "ghost" under tasks\n');
    expect(r.out).toContain('shape.yaml:23:1: task: unknown property "task" (allowed: defaults, tasks, imports)\n');
  });

  test("a YAML syntax error is reported with its position", async () => {
    const r = await validate(write("syntax.yaml", ["tasks:", "  a:", "    sourceType: PullLivePushLive", "    sourceType: again"]));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^syntax\.yaml:4:5: \(file\): YAML: Map keys must be unique/);
  });

  test("an ended task is a warning by default (saying what to change) and an error with --assume-new", async () => {
    const at = (msFromNow: number) => iso(NOW.getTime() + msFromNow);
    const lines = [...GOOD];
    lines[9] = `    startTime: ${at(-6 * 86_400_000)}`;
    lines[10] = `    endTime: ${at(-3_600_000)}`;
    const file = write("past.yaml", lines);
    const lenient = await validate(file);
    expect(lenient.code).toBe(0);
    expect(lenient.out).toMatch(/^past\.yaml:11:5: tasks\.relay\.endTime: warning: .* has passed: the task has ended, and the API refuses to create/m);
    expect(lenient.out).toMatch(/move startTime and endTime into the future, use schedule/);
    expect(lenient.out).toMatch(/past\.yaml: ok \(2 tasks\)/);
    const strict = await validate(file, "--assume-new");
    expect(strict.code).toBe(1);
    // A new task may start in the past (Create starts it at once) but must end in the future.
    expect(strict.out).toMatch(/^past\.yaml:11:5: tasks\.relay\.endTime: /);
    expect(strict.out).not.toMatch(/tasks\.relay\.startTime/);
    expect(strict.out).toMatch(/endTime later than now when it is sent; move startTime and endTime into the future/);
  });

  test("a task ended in 2020 fails --assume-new, which the GitOps workflow's validate step passes", async () => {
    const lines = [...GOOD];
    lines[9] = "    startTime: 2020-01-01T00:00:00Z";
    lines[10] = "    endTime: 2020-01-02T00:00:00Z";
    const file = write("2020.yaml", lines);
    expect((await validate(file)).code).toBe(0);
    const strict = await validate(file, "--assume-new", "--format", "json");
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.out)).toContainEqual(expect.objectContaining({ path: "tasks.relay.endTime", line: 11 }));
    const workflow = fs.readFileSync(path.join(__dirname, "..", "..", "examples", "gitops", ".github", "workflows", "pulumi.yml"), "utf8");
    expect(workflow).toMatch(/css-pull-tasks validate tasks\.yaml --assume-new --format json/);
  });

  test("a schedule window above the span limit is a warning naming the limit; one under it is not", async () => {
    const lines = [...GOOD];
    lines.splice(9, 2, '    schedule: {window: "10d", renewBefore: "1d"}');
    const r = await validate(write("window.yaml", lines), "--max-task-span-days", "7");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^window\.yaml:10:\d+: tasks\.relay\.schedule\.window: warning: 10d is above the span limit of 7 days/m);
    expect((await validate(write("window.yaml", lines), "--max-task-span-days", "14")).out).not.toMatch(/above the span limit/);
    lines[9] = '    schedule: {window: "6d", renewBefore: "1d"}';
    expect((await validate(write("window6.yaml", lines))).out).not.toMatch(/warning/);
  });

  test("the help says what is checked: ended tasks, --assume-new, warnings", async () => {
    const r = await validate("--help");
    expect(r.out).toMatch(/endTime that has passed is\s+an error/);
    expect(r.out).not.toMatch(/startTime and endTime must also lie in the future/);
    expect(r.out).toMatch(/schedule window above\s+the span limit/);
  });

  test("--format json: an array of {file, line, column, path, message}", async () => {
    const lines = [...GOOD];
    lines[7] = "    sourceUrl: [rtmp://origin.example.net/live/a]";
    const r = await validate(write("json.yaml", lines), "--format", "json");
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.out) as unknown[];
    expect(parsed).toContainEqual({ file: "json.yaml", line: 8, column: 5, path: "tasks.relay.sourceUrl", message: 'unknown property; did you mean "sourceUrls"?' });
    expect(parsed.every((p) => Object.keys(p as object).sort().join() === "column,file,line,message,path")).toBe(true);
    const ok = await validate(write("json-good.yaml", GOOD), "--format=json");
    expect(ok).toEqual({ code: 0, out: "[]\n", err: "" });
  });

  test("several files (one per stack): each reported, exit 1 if any has a problem", async () => {
    const bad = [...GOOD];
    bad[7] = "    sourceUrl: [rtmp://origin.example.net/live/a]";
    const r = await validate(write("prod.yaml", GOOD), write("dev.yaml", bad));
    expect(r.code).toBe(1);
    expect(r.out.split("\n")[0]).toBe("prod.yaml: ok (2 tasks)");
    expect(r.out).toContain("dev.yaml:8:5: tasks.relay.sourceUrl:");
    const json = JSON.parse((await validate("prod.yaml", "dev.yaml", "--format", "json")).out) as { file: string }[];
    expect(new Set(json.map((p) => p.file))).toEqual(new Set(["dev.yaml"]));
    expect((await validate("prod.yaml", "prod.yaml")).code).toBe(0);
  });

  test("usage errors exit 2; --help exits 0", async () => {
    expect((await validate("--format", "xml")).code).toBe(2);
    expect((await validate("--bogus")).code).toBe(2);
    const missing = await validate("missing.yaml");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("cannot read missing.yaml: ENOENT");
    const help = await validate("--help");
    expect(help.code).toBe(0);
    expect(help.out).toContain("--format json");
  });
});

describe("css-pull-tasks validate --max-task-span-days", () => {
  const long = () => {
    const lines = [...GOOD];
    lines[10] = "    endTime: 2026-12-16T00:00:00Z"; // 20 days after startTime
    return write("long.yaml", lines);
  };

  test("30 days by default with a warning above 7 (the international page); the flag or the env sets it", async () => {
    const file = long();
    const lenient = await validate(file);
    expect(lenient.code).toBe(0);
    expect(lenient.out).toMatch(
      /tasks\.relay\.endTime: warning: endTime is 20\.00 days after startTime: the newest API model accepts less than 30 days, the international API page .*still says less than 7; .*tencentcloud:maxTaskSpanDays .* to 7/,
    );
    const strict = await validate(file, "--max-task-span-days", "7");
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/tasks\.relay\.endTime: must be less than 7 days after startTime .*tencentcloud:maxTaskSpanDays/);
    expect((await validate(file, "--max-task-span-days", "20")).code).toBe(1);
    let out = "";
    const io: Io = { stdout: (t) => (out += t), stderr: () => undefined, cwd: dir, env: { TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS: "7" } };
    expect(await runValidate([file], io, () => NOW)).toBe(1);
    expect(out).toMatch(/must be less than 7 days/);
  });

  test("a value outside 1..30 is a usage error naming the documented limits", async () => {
    for (const bad of ["0", "31", "7.5", "week"]) {
      const r = await validate(long(), "--max-task-span-days", bad);
      expect(r.code, bad).toBe(2);
      expect(r.err).toMatch(/--max-task-span-days must be a whole number of days from 1 to 30/);
    }
  });
});

describe("css-pull-tasks validate: files that are not UTF-8 YAML", () => {
  test("a latin-1 file is refused in one line naming the file (it validated ok and would send garbled text)", async () => {
    const latin1 = Buffer.from(GOOD.join("\n").replace("sourceType: PullLivePushLive", "comment: caf\u00e9\n    sourceType: PullLivePushLive") + "\n", "latin1");
    fs.writeFileSync(path.join(dir, "latin1.yaml"), latin1);
    const r = await validate("latin1.yaml");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^latin1\.yaml: is not UTF-8 text \(an invalid byte at line \d+, e\.g\. latin-1\): save it as UTF-8\n$/);
  });

  test("a binary file is one line, not hundreds of YAML errors; a UTF-8 BOM is fine", async () => {
    fs.writeFileSync(path.join(dir, "binary.yaml"), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), Buffer.alloc(100_000, 7)]));
    const r = await validate("binary.yaml");
    expect([r.code, r.out.split("\n").filter(Boolean)]).toEqual([1, ["binary.yaml: is a binary file (a NUL byte at offset 8), not a YAML tasks file"]]);
    fs.writeFileSync(path.join(dir, "bom.yaml"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GOOD.join("\n") + "\n")]));
    expect((await validate("bom.yaml")).code).toBe(0);
  });
});

describe("css-pull-tasks validate --base", () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "css-validate-git-"));
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: repo, stdio: "pipe" });
  const put = (name: string, lines: string[]) => {
    fs.mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    fs.writeFileSync(path.join(repo, name), lines.join("\n") + "\n");
  };
  const inRepo = async (...argv: string[]) => {
    let out = "";
    let err = "";
    const io: Io = { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: repo, env: {} };
    return { code: await runValidate(argv, io, () => NOW), out, err };
  };
  // GOOD with `relay` renamed to `main-stage` (line 6): same destination push.example.com/live/a.
  const RENAMED = GOOD.map((l) => (l === "  relay:" ? "  main-stage:" : l));
  const WARNING =
    "tasks.yaml:6:3: tasks.main-stage: warning: pushes to push.example.com/live/a, as tasks.relay did in " +
    "HEAD:tasks.yaml: a renamed key? As written, up refuses to create it while relay's task pushes that stream. " +
    'To keep the running task, add "renamedFrom: relay" under tasks.main-stage (line 6)\n';

  test("a git ref: a rename without renamedFrom is warned at the new key, naming the line; with it, nothing", async () => {
    git("init", "-q");
    put("tasks.yaml", GOOD);
    git("add", "tasks.yaml");
    git("commit", "-qm", "base");
    const same = await inRepo("--base", "HEAD");
    expect(same).toEqual(await inRepo());
    expect(same).toEqual({ code: 0, out: "tasks.yaml: ok (2 tasks)\n", err: "" });

    put("tasks.yaml", RENAMED);
    expect(await inRepo("--base", "HEAD")).toEqual({ code: 0, out: `${WARNING}tasks.yaml: ok (2 tasks)\n`, err: "" });
    const json = await inRepo("--base", "HEAD", "--format", "json");
    expect(json).toEqual({ code: 0, out: "[]\n", err: WARNING });

    put("tasks.yaml", RENAMED.flatMap((l) => (l === "  main-stage:" ? [l, "    renamedFrom: relay"] : [l])));
    expect(await inRepo("--base", "HEAD")).toEqual({ code: 0, out: "tasks.yaml: ok (2 tasks)\n", err: "" });
  });

  test("a file in a subdirectory, and a file the ref does not hold yet (every task new)", async () => {
    put("stacks/prod.yaml", GOOD);
    git("add", "stacks/prod.yaml");
    git("commit", "-qm", "prod");
    put("stacks/prod.yaml", RENAMED);
    const sub = await inRepo("stacks/prod.yaml", "--base", "HEAD");
    expect(sub.out).toContain("stacks/prod.yaml:6:3: tasks.main-stage: warning: pushes to push.example.com/live/a, as tasks.relay did in HEAD:stacks/prod.yaml");
    put("stacks/new.yaml", RENAMED);
    expect(await inRepo("stacks/new.yaml", "--base", "HEAD")).toEqual({
      code: 0,
      out: "stacks/new.yaml: not in HEAD: every task is new, no rename to check\nstacks/new.yaml: ok (2 tasks)\n",
      err: "",
    });
  });

  test("a file as the base; a file base for two files, an unknown ref, or no git repository: usage errors", async () => {
    put("base.yaml", GOOD);
    put("tasks.yaml", RENAMED);
    const r = await inRepo("--base", "base.yaml");
    expect(r.code).toBe(0);
    expect(r.out).toContain("tasks.main-stage: warning: pushes to push.example.com/live/a, as tasks.relay did in base.yaml:");
    const two = await inRepo("tasks.yaml", "base.yaml", "--base", "base.yaml");
    expect(two.code).toBe(2);
    expect(two.err).toContain("--base base.yaml is a file: give one FILE to compare with it");
    const unknown = await inRepo("--base", "no-such-branch");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("--base no-such-branch: neither a file nor a git commit of the repository holding tasks.yaml");
    expect((await inRepo("--base", "--assume-new")).code).toBe(2);
    // Outside any repository (the temp dir of the other tests).
    const outside = await validate(write("lone.yaml", GOOD), "--base", "HEAD");
    expect(outside.code).toBe(2);
    expect(outside.err).toMatch(/--base HEAD: neither a file nor a git commit .*\(git: .*not a git repository/);
  });
});
