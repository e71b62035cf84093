// css-pull-tasks prune --ended: deletes the account's ended tasks that no stack holds. Dry run by
// default; --yes deletes. Ended tasks count against the task quota (200 by default) until deleted
// or cleaned up by the console's auto-cleanup of expired tasks.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { Io, EXIT_OK, EXIT_FAILED, UsageError, usageFailure } from "./io";
import { heldTaskIds, prunePlan } from "./prune-plan";
import { CssClient } from "../provider/api/client";
import { isTaskNotExist } from "../provider/api/errors";
import { maskSecrets } from "../provider/task/mask";
import { DEFAULT_OPERATOR } from "../provider/task/normalise";

export const PRUNE_USAGE = "Usage: css-pull-tasks prune --ended [--state FILE]... [--yes] [--region R]";

export const PRUNE_HELP = `${PRUNE_USAGE}

Lists the account's tasks whose endTime has passed (by the API's clock) and, with --yes, deletes
them. Ended tasks stay on the account and count against its task quota unless auto-cleanup of
expired tasks is on in the console. A task any resource in the given state files holds (its id or
taskId; \`pulumi stack export > FILE\`, one per stack) is never deleted: let that stack's next
\`up\` or \`destroy\` handle it.

  --ended        the tasks to prune: those that have ended (the only kind, and required)
  --state FILE   a stack's exported state; repeat for every stack on the account
  --yes          delete them (without it: a dry run that deletes nothing)
  --region R     the region to prune (default: as the provider resolves it)

Exit status: 0 done (or nothing to do), 1 a deletion failed, 2 usage error.
`;

export async function runPrune(argv: string[], io: Io): Promise<number> {
  let values: { ended?: boolean; state?: string[]; yes?: boolean; region?: string; help?: boolean };
  const held = new Set<string>();
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ended: { type: "boolean" },
        state: { type: "string", multiple: true },
        yes: { type: "boolean" },
        region: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
    if (values.help) {
      io.stdout(PRUNE_HELP);
      return EXIT_OK;
    }
    if (!values.ended) throw new UsageError("say which tasks: --ended (the tasks whose endTime has passed)");
    for (const file of values.state ?? []) {
      let state: unknown;
      try {
        state = JSON.parse(fs.readFileSync(path.resolve(io.cwd, file), "utf8"));
      } catch (e) {
        throw new UsageError(`--state ${file}: cannot read it as a state export (${(e as Error).message})`);
      }
      for (const id of heldTaskIds(state)) held.add(id);
    }
  } catch (e) {
    return usageFailure(io, "prune", PRUNE_USAGE, e);
  }
  try {
    const client = new CssClient({ region: values.region, env: io.env });
    const tasks = await client.listAllTasks();
    const plan = prunePlan(tasks, client.apiNow(), held);
    if (!values.state?.length) io.stdout("no --state given: no task is protected by a stack\n");
    for (const t of plan.held) io.stdout(`${t.TaskId}: ended ${t.EndTime}, kept (a stack holds it)\n`);
    let failed = 0;
    for (const t of plan.prune) {
      if (!values.yes) {
        io.stdout(`${t.TaskId}: ended ${t.EndTime}, would be deleted\n`);
        continue;
      }
      try {
        await client.deleteTask({ TaskId: t.TaskId, Operator: DEFAULT_OPERATOR });
        io.stdout(`${t.TaskId}: ended ${t.EndTime}, deleted\n`);
      } catch (e) {
        if (isTaskNotExist(e)) continue; // already gone: nothing left to free
        failed++;
        io.stderr(`${t.TaskId}: not deleted: ${maskSecrets(e instanceof Error ? e.message : String(e))}\n`);
      }
    }
    const verb = values.yes ? "deleted" : "would be deleted (dry run: --yes deletes them)";
    io.stdout(`${plan.prune.length - failed} ended task(s) ${verb}; ${plan.held.length} held by a stack kept\n`);
    return failed === 0 ? EXIT_OK : EXIT_FAILED;
  } catch (e) {
    io.stderr(`css-pull-tasks prune: ${maskSecrets(e instanceof Error ? e.message : String(e))}\n`);
    return EXIT_FAILED;
  }
}
