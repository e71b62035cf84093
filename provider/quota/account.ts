// The account's figures for the task quota, read from the API: TotalNum and LimitTaskNum from one
// listing row, and, only when a warning or an error is about to say them, how many of the tasks
// have ended (that takes the whole listing: ceil(TotalNum / 20) requests). Never throws and never
// waits long: the figures only ever add to a message, so without them the message goes without.
import type { CssClient } from "../api/client";
import { maskSecrets } from "../task/mask";
import { type AccountFigures, countEnded, figuresOf, quotaRefusalHint } from "./count";

/** How long a preview's Check waits for the listing row (the clock probe's own bound). */
export const FIGURES_TIMEOUT_MS = 5_000;
/** How long a warning or an error waits for the whole listing that counts the ended tasks. */
export const ENDED_TIMEOUT_MS = 15_000;

/** `promise`'s value, or undefined if it fails or takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * TotalNum and LimitTaskNum from the listing row the client's clock probe shares
 * (CssClient.firstListingRow): a preview that learns the API's time pays one request for both.
 */
export function previewFigures(client: () => CssClient): Promise<AccountFigures | undefined> {
  return within(Promise.resolve().then(() => client().firstListingRow()).then(figuresOf), FIGURES_TIMEOUT_MS);
}

/** The figures with the ended tasks counted; without the listing, as they were. */
export async function withEnded(client: CssClient, figures: AccountFigures): Promise<AccountFigures> {
  const tasks = await within(client.listAllTasks(), ENDED_TIMEOUT_MS);
  return tasks ? { ...figures, ended: countEnded(tasks, client.apiNow()) } : figures;
}

/** The figures as they are now (after a refusal), ended tasks counted. */
async function currentFigures(client: CssClient): Promise<AccountFigures | undefined> {
  const res = await within(client.describeTasks({ PageNum: 1, PageSize: 1 }, { maxAttempts: 1 }), FIGURES_TIMEOUT_MS);
  const figures = res && figuresOf(res);
  return figures && withEnded(client, figures);
}

/** A Create refused for the quota, as an error that also says the figures and the way out. */
export async function explainQuotaRefusal(err: unknown, client: () => CssClient): Promise<Error> {
  const text = maskSecrets(err instanceof Error ? err.message : String(err));
  let figures: AccountFigures | undefined;
  try {
    figures = await currentFigures(client());
  } catch {
    figures = undefined; // no client (settings): the API's own words and the way out still help
  }
  return new Error(`${text.replace(/[.\s]+$/, "")}. ${quotaRefusalHint(figures)}`);
}
