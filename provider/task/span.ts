// The API's limit on endTime − startTime, which the documents disagree on:
// - Create's and Modify's EndTime in the newest api.json (tccli 3.1.155.1, text since 2025-04):
//   "less than 30 days";
// - the international ModifyLivePullStreamTask page (updated 2025-10-30) and Describe's
//   PullStreamTaskInfo in the same api.json: "less than 7 days".
// The newest model is followed: 30 days by default, since refusing what the API accepts blocks a
// user as surely as a bug. A span of 7 days or more is accepted with a warning naming the page that
// still says 7; stack config `tencentcloud:maxTaskSpanDays: 7` (env TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS)
// makes 7 strict for an account held to it.

export const DEFAULT_MAX_TASK_SPAN_DAYS = 30;
/** The newest documented limit: nothing above it can ever be accepted. */
export const MAX_TASK_SPAN_DAYS_LIMIT = 30;
export const DAY_MS = 86_400_000;
/** The default limit in ms (the newest model: "less than 30 days"). */
export const MAX_TASK_SPAN_MS = DEFAULT_MAX_TASK_SPAN_DAYS * DAY_MS;
/** The limit the international pages still state: above it a span is accepted with a warning. */
export const INTERNATIONAL_SPAN_DAYS = 7;
export const INTERNATIONAL_SPAN_PAGE = "the international API page (ModifyLivePullStreamTask, 2025-10-30)";

/** Stack config key and environment variable of the limit (one place for the names). */
export const MAX_TASK_SPAN_CONFIG_KEY = "tencentcloud:maxTaskSpanDays";
export const MAX_TASK_SPAN_ENV = "TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS";
/**
 * The setting as check's messages name it: both faces share check, and a user of the native
 * provider (Pulumi YAML, Python…) sets its `maxTaskSpanDays`, not the dynamic provider's stack config.
 */
export const MAX_TASK_SPAN_SETTING =
  `${MAX_TASK_SPAN_CONFIG_KEY} (the native provider's tencentcloud-css:maxTaskSpanDays)`;

/**
 * A whole number of days 1..30 from config, env or a flag (`source` names it in the error);
 * undefined or "" gives the default.
 */
export function parseMaxTaskSpanDays(text: string | number | undefined, source: string): number {
  if (text === undefined || text === "") return DEFAULT_MAX_TASK_SPAN_DAYS;
  const days = typeof text === "number" ? text : Number(String(text).trim());
  if (!Number.isInteger(days) || days < 1 || days > MAX_TASK_SPAN_DAYS_LIMIT) {
    throw new Error(
      `${source} must be a whole number of days from 1 to ${MAX_TASK_SPAN_DAYS_LIMIT} ` +
        `(the API's documented limits are 7 and 30; default 30), got ${JSON.stringify(text)}`,
    );
  }
  return days;
}

/** The limit in ms for a number of days (default 30). */
export function spanMs(days: number = DEFAULT_MAX_TASK_SPAN_DAYS): number {
  return days * DAY_MS;
}

/**
 * The warning for a span the limit accepts but the international pages refuse (7 days or more
 * under a limit above 7), or undefined. `what` names the span ("it is 9.00 days", "a window of 10d").
 */
export function spanWarning(span: number, limitMs: number, what: string): string | undefined {
  if (limitMs <= spanMs(INTERNATIONAL_SPAN_DAYS) || span < spanMs(INTERNATIONAL_SPAN_DAYS)) return undefined;
  return (
    `${what}: the newest API model accepts less than ${limitMs / DAY_MS} days, ${INTERNATIONAL_SPAN_PAGE} ` +
    `still says less than ${INTERNATIONAL_SPAN_DAYS}; if the account refuses it, set ${MAX_TASK_SPAN_SETTING} ` +
    `to ${INTERNATIONAL_SPAN_DAYS}`
  );
}

/** The CLI's span limit in ms: `--max-task-span-days` if given, else the environment, else 30 days. */
export function maxTaskSpanMsForCli(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  if (flag !== undefined) return spanMs(parseMaxTaskSpanDays(flag, "--max-task-span-days"));
  return spanMs(maxTaskSpanDaysFrom(undefined, env));
}

/** Config value first, then the environment; shared with the program side and the CLI. */
export function maxTaskSpanDaysFrom(configValue: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (configValue !== undefined && configValue !== "") {
    return parseMaxTaskSpanDays(configValue, MAX_TASK_SPAN_CONFIG_KEY);
  }
  return parseMaxTaskSpanDays(env[MAX_TASK_SPAN_ENV], MAX_TASK_SPAN_ENV);
}
