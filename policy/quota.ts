// Rule max-tasks (a stack policy): at most K tasks in the stack, the account's task quota (the API
// refuses a Create beyond LimitTaskNum; better to learn it in review than half-way through an up).
import type { PolicyConfigSchema } from "@pulumi/policy";
import { Violation } from "./inputs";

export interface QuotaConfig {
  maxTasks: number;
}

/** The emulator's default LimitTaskNum (emulator/context.ts); set the account's real quota. */
export const QUOTA_DEFAULTS: QuotaConfig = { maxTasks: 200 };

export const quotaSchema: PolicyConfigSchema = {
  properties: {
    maxTasks: {
      type: "integer", minimum: 0, default: QUOTA_DEFAULTS.maxTasks,
      description: "Most tasks one stack may declare (both resource types counted).",
    },
  },
};

export function checkQuota(taskNames: readonly string[], config: QuotaConfig): Violation[] {
  if (taskNames.length <= config.maxTasks) return [];
  return [{
    field: "(stack)",
    message: `the stack declares ${taskNames.length} tasks, more than max-tasks.maxTasks (${config.maxTasks}); ` +
      `remove ${taskNames.length - config.maxTasks} task(s), move some to another stack, ` +
      "or raise maxTasks once the account's quota (LimitTaskNum) allows it",
  }];
}
