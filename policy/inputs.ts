// What every rule reads of a resource: which resources are tasks, the task's inputs as a policy sees
// them, and the roles some fields play. Field facts (names, which may carry credentials) come from
// provider/task/fields.ts; only the roles below are the pack's own, since the schema does not say
// which URL is pulled from and which is pushed to.
import { FIELD_NAMES } from "../provider/task/fields";
import { maskSecrets } from "../provider/task/mask";

/** The dynamic resource (program/, provider/resource.ts) and the native plugin's resource. */
export const TASK_TYPES: readonly string[] = [
  "pulumi-nodejs:dynamic/css:LivePullStreamTask",
  "tencentcloud-css:index:LivePullStreamTask",
];

/** URLs the task pulls from: the primary sources, the backup source and the pad file. */
export const SOURCE_URL_FIELDS = ["sourceUrls", "backupSourceUrl", "backupVodUrl"] as const;
/** Where the task pushes: a push domain (a host), or destination URLs. */
export const DESTINATION_HOST_FIELDS = ["domainName"] as const;
export const DESTINATION_URL_FIELDS = ["toUrl", "backupToUrl"] as const;

// A renamed schema field must fail here, at load, rather than make a rule silently pass.
for (const f of [...SOURCE_URL_FIELDS, ...DESTINATION_HOST_FIELDS, ...DESTINATION_URL_FIELDS]) {
  if (!FIELD_NAMES.includes(f)) throw new Error(`policy/inputs.ts: ${f} is not a field of schema/task.schema.json`);
}

export type Task = Record<string, unknown>;

/** One broken rule on one resource: the field it is about and the whole message. */
export interface Violation {
  field: string;
  message: string;
}

/**
 * "relay: toUrl <problem>; <fix>", masked: a message never shows a credential, even one the
 * problem quotes (a URL with txSecret=...).
 */
export function violation(resource: string, field: string, problem: string, fix: string): Violation {
  return { field, message: maskSecrets(`${resource}: ${field} ${problem}; ${fix}`) };
}

/** Each string of a field with its display path: sourceUrls → [["sourceUrls[0]", "rtmp://..."], ...]. */
export function stringsOf(task: Task, field: string): [string, string][] {
  const v = task[field];
  if (typeof v === "string") return [[field, v]];
  if (Array.isArray(v)) {
    return v.flatMap((x, i): [string, string][] => (typeof x === "string" ? [[`${field}[${i}]`, x]] : []));
  }
  return [];
}
