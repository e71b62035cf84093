// Rule production-callbacks: on a production stack every task reports its events (callbackUrl), so
// the broadcast team hears of a stopped relay from the task itself. "Production" is a stack-name
// pattern (`prod`, `prod-*`), since stacks carry no other mark a policy can read reliably.
import type { PolicyConfigSchema } from "@pulumi/policy";
import { Task, Violation, violation } from "./inputs";

export interface CallbacksConfig {
  productionStacks: string[];
  /** Events that must be among callbackEvents when it is set (absent means every event). */
  requiredEvents: string[];
}

export const CALLBACKS_DEFAULTS: CallbacksConfig = {
  productionStacks: ["prod", "production", "prod-*", "*-prod", "production-*", "*-production"],
  requiredEvents: [],
};

export const callbacksSchema: PolicyConfigSchema = {
  properties: {
    productionStacks: {
      type: "array", items: { type: "string" }, default: CALLBACKS_DEFAULTS.productionStacks,
      description: "Stack names (with * as a wildcard) that are production: only they need callbacks.",
    },
    requiredEvents: {
      type: "array", items: { type: "string" }, default: [],
      description: "Events callbackEvents must include when it is set, e.g. [\"TaskExit\", \"TaskAlarm\"].",
    },
  },
};

export function stackMatches(stack: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const re = new RegExp(`^${p.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
    return re.test(stack);
  });
}

export function checkCallbacks(name: string, task: Task, config: CallbacksConfig, stack: string): Violation[] {
  if (!stackMatches(stack, config.productionStacks)) return [];
  if (typeof task.callbackUrl !== "string" || task.callbackUrl === "") {
    return [violation(name, "callbackUrl", `is not set on production stack ${stack}`,
      "set callbackUrl to the team's event receiver (https://...)")];
  }
  const events = task.callbackEvents;
  if (!Array.isArray(events)) return [];
  const missing = config.requiredEvents.filter((e) => !events.includes(e));
  if (missing.length === 0) return [];
  return [violation(name, "callbackEvents", `leaves out ${missing.join(", ")} on production stack ${stack}`,
    `add ${missing.join(", ")} to callbackEvents, or remove callbackEvents to receive every event`)];
}
