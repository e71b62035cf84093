// The API's limit on endTime − startTime, which the documents disagree on:
// - the seed spec page (ModifyLivePullStreamTask, updated 2025-10-30) and Describe's
//   PullStreamTaskInfo in the newest api.json: "less than 7 days";
// - Create's and Modify's EndTime in the newest api.json (tccli 3.1.155.1, text since 2025-04):
//   "less than 30 days".
// 7 stays the default (a plan that passes check then never fails at apply on an account still
// held to 7); stack config `tencentcloud:maxTaskSpanDays` (env TENCENTCLOUD_CSS_MAX_TASK_SPAN_DAYS)
// raises it to at most 30 for accounts that have the longer limit.

export const DEFAULT_MAX_TASK_SPAN_DAYS = 7;
/** The newest documented limit: nothing above it can ever be accepted. */
export const MAX_TASK_SPAN_DAYS_LIMIT = 30;
export const DAY_MS = 86_400_000;
/** The default limit in ms (the seed spec: "less than seven days"). */
export const MAX_TASK_SPAN_MS = DEFAULT_MAX_TASK_SPAN_DAYS * DAY_MS;

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
        `(the API's documented limits are 7 and 30), got ${JSON.stringify(text)}`,
    );
  }
  return days;
}

/** The limit in ms for a number of days (default 7). */
export function spanMs(days: number = DEFAULT_MAX_TASK_SPAN_DAYS): number {
  return days * DAY_MS;
}
