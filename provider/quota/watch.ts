// The task quota at preview: each provider counts the Creates its Checks plan and compares them
// with the account's figures, read once, warning once when they do not fit. Where it runs:
// - Check without old inputs is the one call the engine makes for every Create it plans: a new
//   resource, a targeted replacement (--replace, taint), and the re-check after a Diff that
//   replaces (step_generator.go: `old == nil || isTargetedReplace`, and the Check after
//   `sg.replaces[urn] = true`). So each planned Create is counted exactly once, at preview and up.
// - Diff tells the order of the replacement it asks for: a delete-first one frees its own slot just
//   before its Create, so the Check after it is not counted. The resource option
//   deleteBeforeReplace, which the provider never sees, can make that count one high, never low.
// The bookkeeping is this process's memory, which is fine for a warning (it decides no write). The
// engine starts one provider process per provider reference and deployment (docs/engine.md,
// "provider processes"): the dynamic resource's default provider sees the whole stack; each
// explicit native provider counts only its own resources, against the same account figures.
import { apiClient, providerState, type ProviderState } from "../config";
import { warnUser } from "../user-warning";
import { previewFigures, withEnded } from "./account";
import { type AccountFigures, exceedsQuota, quotaWarning } from "./count";

interface Watch {
  /** Creates counted so far by this provider. */
  creates: number;
  /** Identities whose last Diff ordered a replacement delete-first. */
  deleteFirst: Set<string>;
  /** The account's figures, asked for at the first counted Create. */
  figures?: Promise<AccountFigures | undefined>;
  warned: boolean;
}

const watches = new WeakMap<ProviderState, Watch>();

function current(): Watch {
  const state = providerState();
  let w = watches.get(state);
  if (!w) {
    w = { creates: 0, deleteFirst: new Set(), warned: false };
    watches.set(state, w);
  }
  return w;
}

/** From Diff: in which order a replacement of this resource would run, had the engine one to do. */
export function noteReplacementOrder(identity: string | undefined, deleteBeforeReplace: boolean): void {
  if (!identity) return;
  const w = current();
  if (deleteBeforeReplace) w.deleteFirst.add(identity);
  else w.deleteFirst.delete(identity);
}

/**
 * From Check without old inputs: one more Create, unless it follows this resource's delete-first
 * Diff. Waits for the figures at the first (one listing row; never an error); warns at the first
 * Create that does not fit, then never again in this provider.
 */
export async function notePlannedCreate(
  identity: string | undefined,
  warn: (text: string) => Promise<void> = warnUser,
): Promise<void> {
  const w = current();
  if (identity && w.deleteFirst.delete(identity)) return;
  w.creates += 1;
  w.figures ??= previewFigures(apiClient);
  const figures = await w.figures;
  if (!figures || w.warned || !exceedsQuota(figures, w.creates)) return;
  w.warned = true;
  const creates = w.creates;
  await warn(quotaWarning(await withEnded(apiClient(), figures), creates));
}
