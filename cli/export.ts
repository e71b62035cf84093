// css-pull-tasks export: adopt an existing account: live tasks → tasks.yaml (+ a bulk-import file).
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { Io, EXIT_OK, EXIT_FAILED, noteWritten, UsageError, usageFailure } from "./io";
import { buildExport, spansOverLimit } from "./export-file";
import { progress } from "./progress";
import { maxTaskSpanMsForCli } from "../provider/config";
import { MAX_TASK_SPAN_CONFIG_KEY, MAX_TASK_SPAN_DAYS_LIMIT, MAX_TASK_SPAN_ENV } from "../provider/task/span";
import { CssClient } from "../provider/api/client";
import { maskSecrets } from "../provider/task/mask";
import { RESOURCE_TOKEN as PLUGIN_RESOURCE_TOKEN } from "../plugin/schema";

/**
 * The type token Pulumi records for LivePullStreamTask: a dynamic resource registered with module
 * `css` and type `LivePullStreamTask` (test/gitops/program.test.ts checks it against the resource).
 */
export const RESOURCE_TYPE = "pulumi-nodejs:dynamic/css:LivePullStreamTask";

export const EXPORT_USAGE =
  "Usage: css-pull-tasks export [--out tasks.yaml] [--import-file import.json] [--region R] [--force] " +
  "[--max-task-span-days N]";

export const EXPORT_HELP = `${EXPORT_USAGE}

Reads every stream-pulling task of the account in a region (DescribeLivePullStreamTasks, page by
page) and writes:
  --out FILE          a tasks file (default: tasks.yaml). Each task is named after its stream name
                      (else task-<TaskId>), and an \`imports\` block maps names to TaskIds, so the
                      next \`pulumi up\` of the root stack adopts the tasks without touching them
                      (each entry is that task's adoptTaskId; only the first create reads it).
                      Fields Describe cannot return (toUrl, extraCmd, fileIndex, offsetTime) are
                      named in a comment above each task for you to fill in.
  --import-file FILE  also a bulk-import file for \`pulumi import --file FILE\` with the native
                      provider (${PLUGIN_RESOURCE_TOKEN}; reads in the provider's region).
                      The dynamic resource cannot be imported by the CLI (its Read gets no
                      provider code, pulumi/pulumi#16175): it adopts through \`imports\` above.
  --region R          region to read (default: as the provider resolves it: TENCENTCLOUD_REGION,
                      ~/.tccli, else ap-guangzhou)
  --force             overwrite existing files
  --max-task-span-days N  the stack's tencentcloud:maxTaskSpanDays (default ${MAX_TASK_SPAN_ENV},
                      else 30): tasks spanning that long or longer are named, with the value that
                      lets validate and preview accept them

Credentials and endpoint are resolved like the provider's: TENCENTCLOUD_SECRET_ID /
TENCENTCLOUD_SECRET_KEY (/ TENCENTCLOUD_SESSION_TOKEN), then ~/.tccli/default.credential;
TENCENTCLOUD_CSS_ENDPOINT points at another endpoint (e.g. the local emulator). Without stored keys:
OIDC (TENCENTCLOUD_ASSUME_ROLE_ARN + TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE), an assumed role,
a CVM role (TENCENTCLOUD_CAM_ROLE_NAME), TKE pod OIDC, a profile (TENCENTCLOUD_PROFILE): docs/credentials.md.

Exit status: 0 written, 1 API or file error, 2 usage error.
`;

/** Locates the package's schema/ so the written file's `$schema` line works from where it lands. */
function schemaFile(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "schema", "tasks-file.schema.json");
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..", "schema", "tasks-file.schema.json");
  }
}

function relativeRef(fromFile: string, target: string): string {
  const rel = path.relative(path.dirname(fromFile), target).split(path.sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

export async function runExport(argv: string[], io: Io): Promise<number> {
  let values: {
    out?: string;
    "import-file"?: string;
    region?: string;
    force?: boolean;
    help?: boolean;
    "max-task-span-days"?: string;
  };
  let maxSpanMs: number;
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        out: { type: "string", short: "o" },
        "import-file": { type: "string" },
        region: { type: "string" },
        force: { type: "boolean" },
        "max-task-span-days": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values;
    if (values.help) {
      io.stdout(EXPORT_HELP);
      return EXIT_OK;
    }
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
    const flag = values["max-task-span-days"];
    maxSpanMs = maxTaskSpanMsForCli(flag, io.env);
  } catch (e) {
    return usageFailure(io, "export", EXPORT_USAGE, e);
  }
  const out = path.resolve(io.cwd, values.out ?? "tasks.yaml");
  const importFile = values["import-file"] ? path.resolve(io.cwd, values["import-file"]) : undefined;
  for (const file of [out, importFile]) {
    if (file && fs.existsSync(file) && !values.force) {
      io.stderr(`css-pull-tasks export: ${path.relative(io.cwd, file)} exists; pass --force to overwrite it\n`);
      return EXIT_FAILED;
    }
  }
  try {
    const client = new CssClient({ region: values.region, env: io.env });
    const bar = progress(io);
    let infos;
    try {
      infos = await client.listAllTasks({}, (read, total) => bar.update(`reading tasks: ${read} of ${total}`));
    } finally {
      bar.done();
    }
    const result = buildExport(infos, {
      resourceType: PLUGIN_RESOURCE_TOKEN,
      schemaRef: relativeRef(out, schemaFile()),
      source: `region ${client.region}`,
    });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, result.yaml);
    noteWritten(out);
    io.stdout(`wrote ${path.relative(io.cwd, out)}: ${result.tasks.length} task(s) from region ${client.region}\n`);
    if (result.withCredentials.length > 0) {
      // The file is meant for git: say so loudly when it holds working credentials.
      io.stderr(
        `css-pull-tasks export: warning: ${result.withCredentials.join(", ")} ` +
          "carry auth parameters (txSecret, sign, token, …) " +
          "in their URLs, written to the file as they are. Before committing it, move each to stack config " +
          "(`pulumi config set --secret NAME 'txSecret=...'`) and write `${config:NAME}` in its place.\n",
      );
    }
    const long = spansOverLimit(result.tasks, maxSpanMs);
    if (long.length > 0) {
      const needed = Math.min(MAX_TASK_SPAN_DAYS_LIMIT, Math.max(...long.map((l) => l.needed)));
      io.stderr(
        `css-pull-tasks export: warning: ${long.map((l) => `${l.name} (${l.days.toFixed(2)} days)`).join(", ")} span ` +
          `${maxSpanMs / 86_400_000} days or more, which validate and preview refuse under that limit. ` +
          `If the account accepts them, set \`pulumi config set ${MAX_TASK_SPAN_CONFIG_KEY} ${needed}\` ` +
          `(and --max-task-span-days ${needed} for validate).\n`,
      );
    }
    if (importFile) {
      fs.mkdirSync(path.dirname(importFile), { recursive: true });
      fs.writeFileSync(importFile, `${JSON.stringify(result.importFile, null, 2)}\n`);
      noteWritten(importFile);
      io.stdout(`wrote ${path.relative(io.cwd, importFile)}\n`);
    }
    return EXIT_OK;
  } catch (e) {
    io.stderr(`css-pull-tasks export: ${maskSecrets(e instanceof Error ? e.message : String(e))}\n`);
    return EXIT_FAILED;
  }
}
