// css-pull-tasks restart: RestartLivePullStreamTask for the tasks named, each at most once.
import { parseArgs } from "util";
import { Io, EXIT_OK, EXIT_FAILED, UsageError, usageFailure } from "./io";
import { CssApiError } from "../provider/api/errors";
import { CssClient } from "../provider/api/client";
import { maskSecrets } from "../provider/task/mask";
import { DEFAULT_OPERATOR } from "../provider/task/normalise";

export const RESTART_USAGE = "Usage: css-pull-tasks restart TASK_ID... [--operator NAME] [--region R]";

export const RESTART_HELP = `${RESTART_USAGE}

Restarts each task once (RestartLivePullStreamTask): the push is interrupted briefly; a video-file
task resumes or starts over as its vodRefreshType says. In a Pulumi program, change the task's
\`restartTrigger\` instead, so the restart is part of the reviewed change.

  --operator NAME   recorded by the API as who restarted it (default ${DEFAULT_OPERATOR})
  --region R        the tasks' region (default: as the provider resolves it)

A restart whose answer is lost is not sent again (a second one would interrupt the stream again):
it is reported as "outcome unknown"; \`css-pull-tasks status TASK_ID\` shows the task.
Credentials and endpoint as for \`export\`.

Exit status: 0 every task restarted, 1 any failed or unknown, 2 usage error.
`;

export async function runRestart(argv: string[], io: Io): Promise<number> {
  let ids: string[];
  let values: { operator?: string; region?: string; help?: boolean };
  try {
    const parsed = parseArgs({
      args: argv,
      options: { operator: { type: "string" }, region: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values;
    if (values.help) {
      io.stdout(RESTART_HELP);
      return EXIT_OK;
    }
    ids = [...new Set(parsed.positionals)];
    if (ids.length === 0) throw new UsageError("name at least one TASK_ID");
    if (values.operator === "") throw new UsageError("--operator must not be empty");
  } catch (e) {
    return usageFailure(io, "restart", RESTART_USAGE, e);
  }
  let failed = 0;
  try {
    const client = new CssClient({ region: values.region, env: io.env });
    for (const id of ids) {
      try {
        // Not idempotent: only failures known not to have reached the service are retried.
        await client.restartTask({ TaskId: id, Operator: values.operator ?? DEFAULT_OPERATOR }, { idempotent: false });
        io.stdout(`${id}: restarted\n`);
      } catch (e) {
        failed++;
        const reason = maskSecrets(e instanceof Error ? e.message : String(e));
        if (e instanceof CssApiError && e.ambiguous) io.stderr(`${id}: outcome unknown, not sent again: ${reason}\n`);
        else if (e instanceof CssApiError && !e.code.startsWith("AuthFailure")) io.stderr(`${id}: failed: ${reason}\n`);
        else throw e;
      }
    }
  } catch (e) {
    io.stderr(`css-pull-tasks restart: ${maskSecrets(e instanceof Error ? e.message : String(e))}\n`);
    return EXIT_FAILED;
  }
  return failed === 0 ? EXIT_OK : EXIT_FAILED;
}
