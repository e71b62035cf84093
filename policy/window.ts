// Rule task-window: no task runs longer than the team's limit, and none declares a fixed window that
// has already ended (it would push nothing, or be refused on its next change). A rolling schedule is
// judged by its window, since its times move on every renewal. `now` is passed in: pure.
import type { PolicyConfigSchema } from "@pulumi/policy";
import { DAY_MS, DEFAULT_MAX_TASK_SPAN_DAYS } from "../provider/task/span";
import { parseDuration, parseTime } from "../provider/task/time";
import { Task, Violation, violation } from "./inputs";

export interface WindowConfig {
  maxDays: number;
}

export const WINDOW_DEFAULTS: WindowConfig = { maxDays: DEFAULT_MAX_TASK_SPAN_DAYS };

export const windowSchema: PolicyConfigSchema = {
  properties: {
    maxDays: {
      type: "number", exclusiveMinimum: 0, default: DEFAULT_MAX_TASK_SPAN_DAYS,
      description: "Longest task in days: endTime − startTime, or a schedule's window.",
    },
  },
};

const days = (ms: number): string => `${Math.round((ms / DAY_MS) * 100) / 100} days`;

export function checkWindow(name: string, task: Task, config: WindowConfig, now: number): Violation[] {
  const out: Violation[] = [];
  const limit = config.maxDays * DAY_MS;
  const limitText = `task-window.maxDays (${config.maxDays})`;
  const schedule = task.schedule as { window?: unknown } | undefined;
  if (schedule && typeof schedule === "object" && typeof schedule.window === "string") {
    const window = parseDuration(schedule.window);
    if (window !== null && window > limit) {
      out.push(violation(name, "schedule.window", `is ${schedule.window} (${days(window)}), longer than ${limitText}`,
        `shorten the window to at most ${config.maxDays}d`));
    }
    return out;
  }
  const start = typeof task.startTime === "string" ? parseTime(task.startTime) : null;
  const end = typeof task.endTime === "string" ? parseTime(task.endTime) : null;
  if (end !== null && end <= now) {
    out.push(violation(name, "endTime", `${task.endTime} has passed: the window has ended`,
      "move startTime and endTime into the future, use schedule for a rolling window, or remove the task"));
  }
  if (start !== null && end !== null && end - start > limit) {
    out.push(violation(name, "endTime", `is ${days(end - start)} after startTime, longer than ${limitText}`,
      `end it at most ${config.maxDays} days after startTime, or split the event into several tasks`));
  }
  return out;
}
