// The API's documented limits, stated once: the client pages and paces with them, the read planner
// prices a listing with them and the bench computes its floors from them. (The emulator keeps its
// own copy on purpose: it is an independent implementation of the same documentation.)
import type { Action } from "./types";

/** The largest page DescribeLivePullStreamTasks accepts (PageSize 1..20). */
export const MAX_PAGE_SIZE = 20;

/**
 * Requests per second per account, per action (css-api.md §2; docs/api-rules.md cites each page):
 * Delete 50/s (intl page 267/48356), Describe 30/s (267/48355). A rate set below the documented one
 * makes every destroy and refresh slower than the API allows.
 */
export const DOCUMENTED_RATES: Readonly<Record<Action, number>> = {
  CreateLivePullStreamTask: 50,
  ModifyLivePullStreamTask: 20,
  DeleteLivePullStreamTask: 50,
  DescribeLivePullStreamTasks: 30,
  RestartLivePullStreamTask: 20,
  DescribeLivePullStreamTaskStatus: 20,
};

/** For actions the documentation gives no rate: the most common documented one. */
export const FALLBACK_RATE = 20;
