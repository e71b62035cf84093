// The API's documented limits, stated once: the client pages and paces with them, the read planner
// prices a listing with them and the bench computes its floors from them. (The emulator keeps its
// own copy on purpose: it is an independent implementation of the same documentation.)
import type { Action } from "./types";

/** The largest page DescribeLivePullStreamTasks accepts (PageSize 1..20). */
export const MAX_PAGE_SIZE = 20;

/** Requests per second per account, per action (css-api.md §2). */
export const DOCUMENTED_RATES: Readonly<Record<Action, number>> = {
  CreateLivePullStreamTask: 50,
  ModifyLivePullStreamTask: 20,
  DeleteLivePullStreamTask: 20,
  DescribeLivePullStreamTasks: 20,
  RestartLivePullStreamTask: 20,
  DescribeLivePullStreamTaskStatus: 20,
};

/** For actions the documentation gives no rate: the most common documented one. */
export const FALLBACK_RATE = 20;
