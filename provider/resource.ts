// The resource users write: `new LivePullStreamTask("relay", { sourceType, sourceUrls, ... })`.
// Field names and facts come from the schema (provider/task/fields.ts); this file only adapts
// them to Pulumi's Input/Output types. Importing provider/task here is fine: only the provider
// object (provider/provider.ts) is serialised into state, never this module.
import * as pulumi from "@pulumi/pulumi";
import { ALIASES_KEY, IDENTITY_KEY, identityFromAliasUrn, resourceIdentity } from "./identity";
// The module's whole export, so that an installed package is serialised as a require (stubs.ts).
import livePullStreamTaskProvider from "./stubs";
import { FIELD_NAMES, OUTPUT_ONLY_FIELDS, SECRET_FIELDS } from "./task/fields";
import type { BackupSourceType, CallbackEvent, SourceType, VodRefreshType, Watermark } from "./task/types";

export interface WatermarkArgs {
  /** Public PNG/JPG URL of the picture. */
  pictureUrl: pulumi.Input<string>;
  /** Horizontal offset, percent of the video width. */
  xPosition: pulumi.Input<number>;
  /** Vertical offset, percent of the video height. */
  yPosition: pulumi.Input<number>;
  /** Width, percent of the picture's own width. */
  width: pulumi.Input<number>;
  /** Height, percent of the picture's own height. */
  height: pulumi.Input<number>;
  /** 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left. */
  location: pulumi.Input<0 | 1 | 2 | 3>;
}

/** A rolling window instead of fixed times: startTime/endTime are filled and renewed for you. */
export interface ScheduleArgs {
  /** Length of the window from now, e.g. "7d", "36h", "90m". */
  window: pulumi.Input<string>;
  /** Renew (move endTime forward) when less than this is left, e.g. "1d". */
  renewBefore: pulumi.Input<string>;
}

/**
 * Inputs, named as the API's fields in lowerCamelCase. Changing `sourceType`, the destination
 * (`domainName`/`appName`/`streamName`/`toUrl`/`pushArgs`), `region`, `extraCmd`,
 * `recordTemplateId` or `transcodeTemplateName` replaces the task; everything else is updated in
 * place with one ModifyLivePullStreamTask.
 */
export interface LivePullStreamTaskArgs {
  region?: pulumi.Input<string>;
  /** PullLivePushLive (live source), PullVodPushLive (files), PullPicPushLive (image). */
  sourceType: pulumi.Input<SourceType>;
  /** Live: exactly one URL; VOD: 1..30 files played in order. */
  sourceUrls: pulumi.Input<pulumi.Input<string>[]>;
  domainName?: pulumi.Input<string>;
  appName?: pulumi.Input<string>;
  streamName?: pulumi.Input<string>;
  /** Full destination URL instead of domainName/appName/streamName. */
  toUrl?: pulumi.Input<string>;
  pushArgs?: pulumi.Input<string>;
  /** UTC time, e.g. "2026-11-26T10:00:00Z" (offsets and milliseconds accepted and normalised). */
  startTime?: pulumi.Input<string>;
  endTime?: pulumi.Input<string>;
  schedule?: pulumi.Input<ScheduleArgs>;
  /** "enable" (default) or "pause". */
  status?: pulumi.Input<"enable" | "pause">;
  /** Recorded by the API as who made the change; changing it alone changes nothing. */
  operator?: pulumi.Input<string>;
  callbackEvents?: pulumi.Input<pulumi.Input<CallbackEvent>[]>;
  callbackUrl?: pulumi.Input<string>;
  /** VOD: -1 forever, 0 once, n > 0 that many loops. */
  vodLoopTimes?: pulumi.Input<number>;
  vodRefreshType?: pulumi.Input<VodRefreshType>;
  fileIndex?: pulumi.Input<number>;
  offsetTime?: pulumi.Input<number>;
  comment?: pulumi.Input<string>;
  backupSourceType?: pulumi.Input<BackupSourceType>;
  backupSourceUrl?: pulumi.Input<string>;
  backupToUrl?: pulumi.Input<string>;
  /** Pad video file pushed while the primary fails (Modify-only: applied right after Create). */
  backupVodUrl?: pulumi.Input<string>;
  watermarkList?: pulumi.Input<pulumi.Input<WatermarkArgs>[]>;
  vodLocalMode?: pulumi.Input<0 | 1>;
  extraCmd?: pulumi.Input<string>;
  recordTemplateId?: pulumi.Input<string>;
  transcodeTemplateName?: pulumi.Input<string>;
  /** Any text: changing it sends one RestartLivePullStreamTask (not an API field). */
  restartTrigger?: pulumi.Input<string>;
  /** With restartTrigger: wait up to this many seconds for the task to be active again. */
  restartWaitSeconds?: pulumi.Input<number>;
  /**
   * TaskId of an existing task to take over instead of creating one (docs/adopting.md). Read only
   * when the resource is created; the task must push to this program's destination from its
   * sourceType. Changing or removing it later changes nothing.
   */
  adoptTaskId?: pulumi.Input<string>;
  /**
   * Create refuses to push to a stream another task of the account can still push to, naming it;
   * true allows it (a standby task). Read only when the resource is created.
   */
  allowSharedDestination?: pulumi.Input<boolean>;
}


/** The identity (identity.ts) of the name an alias gave the resource; undefined when it cannot be told. */
function aliasIdentity(
  alias: pulumi.Input<string | pulumi.Alias>,
  project: string,
  stack: string,
  name: string,
  parent: pulumi.Resource | undefined,
): pulumi.Output<string | undefined> {
  if (typeof alias === "string") return pulumi.output(identityFromAliasUrn(alias));
  if (pulumi.Output.isInstance(alias) || alias instanceof Promise) {
    return pulumi.output(alias as pulumi.Input<string | pulumi.Alias>).apply((a) =>
      typeof a === "string" ? identityFromAliasUrn(a) : undefined,
    );
  }
  const a = alias as pulumi.Alias;
  const p = a.parent === undefined ? parent : a.parent;
  const parentUrn = p === undefined ? undefined : pulumi.Resource.isInstance(p) ? p.urn : pulumi.output(p);
  return pulumi
    .all([a.project ?? project, a.stack ?? stack, a.name ?? name, parentUrn])
    .apply(([pr, st, n, par]) => resourceIdentity(pr, st, n, par));
}

export class LivePullStreamTask extends pulumi.dynamic.Resource {
  // `declare`: class fields would otherwise be (re)defined as undefined after super() (ES2022).
  declare readonly taskId: pulumi.Output<string>;
  declare readonly createTime: pulumi.Output<string | undefined>;
  declare readonly updateTime: pulumi.Output<string | undefined>;
  declare readonly createBy: pulumi.Output<string | undefined>;
  declare readonly updateBy: pulumi.Output<string | undefined>;
  declare readonly region: pulumi.Output<string>;
  declare readonly sourceType: pulumi.Output<string>;
  declare readonly sourceUrls: pulumi.Output<string[]>;
  declare readonly domainName: pulumi.Output<string | undefined>;
  declare readonly appName: pulumi.Output<string | undefined>;
  declare readonly streamName: pulumi.Output<string | undefined>;
  declare readonly toUrl: pulumi.Output<string | undefined>;
  declare readonly pushArgs: pulumi.Output<string | undefined>;
  declare readonly startTime: pulumi.Output<string>;
  declare readonly endTime: pulumi.Output<string>;
  declare readonly schedule: pulumi.Output<{ window: string; renewBefore: string } | undefined>;
  declare readonly status: pulumi.Output<"enable" | "pause">;
  declare readonly operator: pulumi.Output<string>;
  declare readonly callbackEvents: pulumi.Output<string[] | undefined>;
  declare readonly callbackUrl: pulumi.Output<string | undefined>;
  declare readonly vodLoopTimes: pulumi.Output<number | undefined>;
  declare readonly vodRefreshType: pulumi.Output<string | undefined>;
  declare readonly fileIndex: pulumi.Output<number | undefined>;
  declare readonly offsetTime: pulumi.Output<number | undefined>;
  declare readonly comment: pulumi.Output<string | undefined>;
  declare readonly backupSourceType: pulumi.Output<string | undefined>;
  declare readonly backupSourceUrl: pulumi.Output<string | undefined>;
  declare readonly backupToUrl: pulumi.Output<string | undefined>;
  declare readonly backupVodUrl: pulumi.Output<string | undefined>;
  declare readonly restartTrigger: pulumi.Output<string | undefined>;
  declare readonly restartWaitSeconds: pulumi.Output<number | undefined>;
  declare readonly adoptTaskId: pulumi.Output<string | undefined>;
  declare readonly allowSharedDestination: pulumi.Output<boolean | undefined>;
  declare readonly watermarkList: pulumi.Output<Watermark[] | undefined>;
  declare readonly vodLocalMode: pulumi.Output<0 | 1 | undefined>;
  declare readonly extraCmd: pulumi.Output<string | undefined>;
  declare readonly recordTemplateId: pulumi.Output<string | undefined>;
  declare readonly transcodeTemplateName: pulumi.Output<string | undefined>;

  constructor(name: string, args: LivePullStreamTaskArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {};
    // Keys present (even undefined) are what make Pulumi expose them as this resource's outputs.
    for (const key of [...OUTPUT_ONLY_FIELDS, ...FIELD_NAMES]) props[key] = undefined;
    for (const [key, value] of Object.entries(args)) props[key] = value;
    // URL fields may carry auth query parameters: secret in the inputs stored in state (where the
    // engine keeps them for diffs) as well as in the outputs (additionalSecretOutputs).
    for (const key of SECRET_FIELDS) {
      if (props[key] !== undefined) props[key] = pulumi.secret(props[key] as pulumi.Input<unknown>);
    }
    // Lets a re-run after an interrupted create adopt this resource's task (provider/identity.ts).
    const [project, stack] = [pulumi.getProject(), pulumi.getStack()];
    props[IDENTITY_KEY] = opts?.parent
      ? opts.parent.urn.apply((parentUrn) => resourceIdentity(project, stack, name, parentUrn))
      : resourceIdentity(project, stack, name);
    // The names it had (an aliased rename): their tasks are its own too (protocol/shared.ts).
    if (opts?.aliases && opts.aliases.length > 0) {
      const named = opts.aliases.map((a) => aliasIdentity(a, project, stack, name, opts.parent));
      props[ALIASES_KEY] = pulumi.all(named).apply((ids) => ids.filter((id): id is string => id !== undefined));
    }
    const secretOutputs = [...new Set([...SECRET_FIELDS, ...(opts?.additionalSecretOutputs ?? [])])];
    const options = { ...opts, additionalSecretOutputs: secretOutputs };
    super(livePullStreamTaskProvider, name, props, options, "css", "LivePullStreamTask");
  }
}
