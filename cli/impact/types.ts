// What a change does to each live stream: the categories of `css-pull-tasks impact`, worst first.

/** Worst first: the order of the report and of --fail-on's threshold. */
export const CATEGORIES = [
  // up fails at a Create another task's stream blocks (provider/task/shared-destination.ts).
  "refused",
  "cut",
  "restarted",
  "moved",
  "paused",
  "enabled",
  "created",
  "adopted",
  "in-place",
] as const;

export type Category = (typeof CATEGORIES)[number];

/** The two faces of the resource: the dynamic resource and the native provider's type. */
export const TASK_TYPES: readonly string[] = [
  "pulumi-nodejs:dynamic/css:LivePullStreamTask",
  "tencentcloud-css:index:LivePullStreamTask",
];

/** One task's step of the preview, reduced to what the classifier reads. */
export interface TaskStep {
  /** The resource's name (the tasks file's key for the root stack). */
  name: string;
  urn: string;
  type: string;
  /** The engine's step op: same, create, update, replace, delete, import... */
  op: string;
  olds?: Record<string, unknown>;
  news?: Record<string, unknown>;
  /**
   * The engine deletes the old task before creating its replacement: the old state is marked
   * pendingReplacement in the preview (a create-before-delete replacement marks it delete instead).
   */
  deleteFirst: boolean;
  /** Fields the provider reported (replaceReasons, diffReasons, detailedDiff keys). */
  replaceReasons: string[];
  diffReasons: string[];
}

export interface Impact {
  name: string;
  category: Category;
  /** What happens to the stream, in a few words. */
  what: string;
  /** The fields that cause it (sorted). */
  fields: string[];
  /** domain/app/stream of the task (the new one's for a move: old → new). */
  stream: string;
  type: string;
}
