// Assertions shared by the validate tests.
import { expect } from "vitest";
import { Failure, validateTask } from "../../provider/task";
import { NOW } from "./task-fixtures";

export const check = (task: unknown, sent?: Set<string>): Failure[] => validateTask(task, { now: NOW, sent });

/** Exactly one failure, at `property`, whose reason matches. */
export function expectOnly(task: unknown, property: string, reason: RegExp, sent?: Set<string>): Failure {
  const failures = check(task, sent);
  expect(failures.map((f) => `${f.property}: ${f.reason}`)).toHaveLength(1);
  expect(failures[0].property).toBe(property);
  expect(failures[0].reason).toMatch(reason);
  return failures[0];
}
export const expectClean = (task: unknown, sent?: Set<string>): void => expect(check(task, sent)).toEqual([]);

/** Accepted (no failure) with exactly these warnings, as `property: reason`. */
export function warningsOf(task: unknown, sent?: Set<string>): string[] {
  const warnings: string[] = [];
  const failures = validateTask(task, { now: NOW, sent, onWarning: (w) => warnings.push(`${w.property}: ${w.reason}`) });
  expect(failures).toEqual([]);
  return warnings;
}

export const wm = (location: number, over: Record<string, unknown> = {}) => ({
  pictureUrl: `https://img.example.com/logo${location}.png`,
  xPosition: 5,
  yPosition: 5,
  width: 10,
  height: 10,
  location,
  ...over,
});
