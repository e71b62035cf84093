// A destination-change replacement whose first Create is applied but its answer lost, while every
// look-up of that SpecifyTaskId lags (not found); `resend` says what the re-sends meet: throttling
// until the retries give up, or the emulator's own "already used" refusal. Shared by the tests that
// hold the provider to one task either way: the run fails, the next run adopts the task.
import { expect } from "vitest";
import type { Hosted } from "./hosted";
import { liveRelay } from "./tasks";

export async function lostCreateWhileReadsLag(t: Hosted, name: string, resend: "throttled" | "in use", error: RegExp): Promise<void> {
  const tasksTo = (stream: unknown) => t.emu.tasks().filter((task) => task.StreamName === stream);
  const program = liveRelay();
  await t.stack.up(name, program);
  const oldId = t.stack.state.get(name)!.id;
  const moved = { ...program, streamName: `${program.streamName}-moved` };
  let lostId: string | undefined;
  // Only requests naming the lost id (before the first Create, a listing names none).
  const lost = (b: Record<string, any>) => lostId !== undefined && b.SpecifyTaskId === lostId;
  t.emu.failNext({ action: "CreateLivePullStreamTask", kind: "lost-response", match: (b) => ((lostId = b.SpecifyTaskId), true) });
  if (resend === "throttled") {
    // Throttles are never attempts (retry.ts): the re-send goes out again until the API takes one.
    t.emu.failNext({ action: "CreateLivePullStreamTask", kind: "error", code: "RequestLimitExceeded", match: lost, times: 10 });
  }
  t.emu.failNext({ action: "DescribeLivePullStreamTasks", kind: "error", code: "InvalidParameter.TaskNotExist", match: lost, times: 100 });
  let outcome: string;
  try {
    // Adopted in this run (the re-send found it), or left to the next run with a message saying so.
    outcome = await t.stack.up(name, moved).then(() => "ok", (e: Error) => e.message);
  } finally {
    t.emu.clearFaults();
  }
  expect(outcome).toMatch(error);
  expect(tasksTo(moved.streamName)).toHaveLength(1);
  // A failed run leaves the old task there and in state; the next run adopts the new one and
  // deletes the old one at its end: one task, the state's.
  if (outcome !== "ok") expect(t.stack.state.get(name)!.id).toBe(oldId);
  await t.stack.up(name, moved);
  expect(tasksTo(moved.streamName).map((task) => task.TaskId)).toEqual([t.stack.state.get(name)!.id]);
  expect(t.emu.task(oldId)).toBeUndefined();
}
