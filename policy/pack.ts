// The policy pack (`pulumi preview --policy-pack <this package>/policy`): the I/O edge. It reads each
// policy's config, the stack's name and the clock, and hands them with a task's inputs to the pure
// rules beside it; each Violation becomes one reported message.
import * as pulumi from "@pulumi/pulumi";
import {
  PolicyConfigSchema, PolicyPack, ReportViolation, ResourceValidationPolicy, StackValidationPolicy,
} from "@pulumi/policy";
import { BACKUP_DEFAULTS, BackupConfig, backupSchema, checkBackup } from "./backup";
import { CALLBACKS_DEFAULTS, CallbacksConfig, callbacksSchema, checkCallbacks } from "./callbacks";
import { HOSTS_DEFAULTS, HostsConfig, checkHosts, hostsSchema } from "./hosts";
import { TASK_TYPES, Task, Violation } from "./inputs";
import { QUOTA_DEFAULTS, QuotaConfig, checkQuota, quotaSchema } from "./quota";
import { SecretRegistry } from "./secret-probe";
import { checkAuthSecrets } from "./secrets";
import { WINDOW_DEFAULTS, WindowConfig, checkWindow, windowSchema } from "./window";

export const PACK_NAME = "css-pull-tasks";

interface TaskArgs {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  getConfig<T extends object>(): T;
}

/** A policy on tasks only: the rule gets the resource's name, its inputs and the merged config. */
function taskPolicy<C extends object>(
  name: string,
  description: string,
  configSchema: PolicyConfigSchema,
  defaults: C,
  rule: (resource: string, task: Task, config: C, args: TaskArgs) => Violation[],
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    configSchema,
    validateResource: (args, report: ReportViolation) => {
      if (!TASK_TYPES.includes(args.type)) return;
      // The engine applies the schema's defaults; merging them again keeps the rules total.
      const config = { ...defaults, ...args.getConfig<C>() };
      for (const v of rule(args.name, args.props as Task, config, args)) report(v.message);
    },
  };
}

const secrets = new SecretRegistry();

const secretInputs: ResourceValidationPolicy = {
  name: "secret-inputs",
  description: "Records which task inputs are Pulumi secrets, for auth-secrets; changes nothing.",
  enforcementLevel: "remediate",
  remediateResource: (args) => {
    if (TASK_TYPES.includes(args.type)) secrets.record(args.urn, args.props as Record<string, unknown>);
    return undefined;
  },
};

const maxTasks: StackValidationPolicy = {
  name: "max-tasks",
  description: "At most maxTasks tasks per stack (the account's task quota).",
  enforcementLevel: "mandatory",
  configSchema: quotaSchema,
  validateStack: (args, report) => {
    const config = { ...QUOTA_DEFAULTS, ...args.getConfig<QuotaConfig>() };
    const names = args.resources.filter((r) => TASK_TYPES.includes(r.type)).map((r) => r.name);
    for (const v of checkQuota(names, config)) report(v.message);
  },
};

export const policies = [
  taskPolicy<HostsConfig>("allowed-hosts", "Tasks pull only from allowed source hosts and push only to allowed " +
    "domains.", hostsSchema, HOSTS_DEFAULTS, (n, t, c) => checkHosts(n, t, c)),
  taskPolicy<BackupConfig>("live-backup", "A live relay has a backup source or a pad file (backupVodUrl).",
    backupSchema, BACKUP_DEFAULTS, (n, t, c) => checkBackup(n, t, c)),
  taskPolicy<WindowConfig>("task-window", "No task longer than maxDays; no fixed window that has already ended.",
    windowSchema, WINDOW_DEFAULTS, (n, t, c) => checkWindow(n, t, c, Date.now())),
  taskPolicy<object>("auth-secrets", "URLs and query strings with auth parameters are Pulumi secrets, never " +
    "plain text.", { properties: {} }, {}, (n, t, _c, a) => checkAuthSecrets(n, t, secrets.get(a.urn))),
  secretInputs,
  taskPolicy<CallbacksConfig>("production-callbacks", "Tasks on production stacks set callbackUrl.",
    callbacksSchema, CALLBACKS_DEFAULTS, (n, t, c) => checkCallbacks(n, t, c, pulumi.getStack())),
  maxTasks,
];

new PolicyPack(PACK_NAME, { policies });
