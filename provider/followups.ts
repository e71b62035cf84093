// Writes that follow the main one: RestartLivePullStreamTask after an update whose restartTrigger
// changed. (BackupVodUrl, which Create does not take, needs no code of its own here: create
// compares the program with `asCreated(inputs)`, so the Modify right after the Create carries it,
// and an interrupted create leaves state without it, so the next update sends it.)
//
// Exactly once, walked through:
// - The update's Modify fails: nothing restarts; the state keeps the old trigger; the next `up`
//   sends the Modify and the restart.
// - The restart is refused (a definite answer): the Modify stays applied and the state records
//   it with the OLD trigger, so the next `up` sends only the restart.
// - The restart's reply is lost (timeout, reset, 5xx after sending): a restart leaves nothing to
//   read back, so whether it happened cannot be known. It is not sent again: a second restart
//   would cut a live stream a second time. The state records the NEW trigger (the next `up`
//   sends nothing) and the update fails saying so; `css-pull-tasks status` shows the task.
// - restartWaitSeconds set: after the restart, RunStatus is polled until active (restart-wait.ts);
//   not active in time (or the status unreadable), the update fails saying so, with the NEW
//   trigger recorded: the restart happened and is not sent again.
import type { CssClient } from "./api/client";
import { CssApiError } from "./api/errors";
import { PROVIDER_KEY } from "./machinery";
import { waitUntilActive } from "./restart-wait";
import { DEFAULT_OPERATOR } from "./task/normalise";
import type { TaskInputs } from "./task/types";
import { maskSecrets } from "./task/mask";

type Bag = Record<string, unknown>;

/**
 * Whether an update from `olds` to `news` asks for a restart: a new, non-empty trigger on a task
 * that stays enabled. A paused task pushes nothing, so there is nothing to restart: the trigger is
 * recorded and no request is sent; a task enabled by this same update starts afresh, and a restart
 * right after would only cut the stream it just started.
 */
export function restartRequested(olds: TaskInputs, news: TaskInputs): boolean {
  const next = news.restartTrigger;
  const staysEnabled = news.status !== "pause" && olds.status !== "pause";
  return typeof next === "string" && next !== "" && next !== olds.restartTrigger && staysEnabled;
}

/** An error the host turns into a partial update: the engine records `outs` as the state. */
function partialUpdate(message: string, id: string, outs: Bag, provider: unknown): Error {
  const e = new Error(maskSecrets(message)) as Error & { id?: string; properties?: Bag; reasons?: string[] };
  e.id = id;
  e.properties = JSON.parse(JSON.stringify({ ...outs, [PROVIDER_KEY]: provider })) as Bag;
  e.reasons = [e.message];
  return e;
}

/**
 * After the update's Modify (or none): one RestartLivePullStreamTask if the trigger changed.
 * `outs` are the update's outputs; returned unchanged when no restart is needed or it succeeded.
 */
export async function restartAfterUpdate(
  client: () => CssClient,
  id: string,
  olds: TaskInputs,
  news: TaskInputs,
  outs: Bag,
  provider: unknown,
): Promise<Bag> {
  if (!restartRequested(olds, news)) return outs;
  try {
    // Not idempotent: the client retries only failures known not to have reached the service.
    const req = { TaskId: id, Operator: news.operator ?? DEFAULT_OPERATOR };
    await client().restartTask(req, { region: news.region, idempotent: false });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof CssApiError && err.ambiguous) {
      throw partialUpdate(
        `task ${id}: RestartLivePullStreamTask may or may not have been applied (${reason}); it is not sent again, ` +
          "since a second restart would interrupt the stream again. Check it with `css-pull-tasks status " +
          `${id}\`; to restart it (again), change restartTrigger once more.`,
        id,
        outs,
        provider,
      );
    }
    const kept = { ...outs, restartTrigger: olds.restartTrigger };
    if (kept.restartTrigger === undefined) delete kept.restartTrigger;
    throw partialUpdate(
      `task ${id} was updated but RestartLivePullStreamTask failed: ${reason}. ` +
        "The next `pulumi up` sends the restart again.",
      id,
      kept,
      provider,
    );
  }
  const seconds = news.restartWaitSeconds;
  if (seconds === undefined) return outs;
  let status: string;
  try {
    status = await waitUntilActive(client(), id, news.region, seconds);
  } catch (err) {
    // The restart was sent: a failed status read must not lose that (the next up would restart again).
    status = `unknown: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (status === "active") return outs;
  // The restart happened: the state records the new trigger, so it is not sent again.
  throw partialUpdate(
    `task ${id} was restarted but is not active after ${seconds} s (RunStatus ${status}); the restart is not ` +
      `sent again. Check the source URL and startTime (\`css-pull-tasks status ${id}\`), or raise restartWaitSeconds.`,
    id,
    outs,
    provider,
  );
}
