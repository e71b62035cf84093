// The emulator's inspection API over HTTP (/_emulator/...), so the soak and the reliability tests
// judge what the emulator really holds, whether it runs in this process or elsewhere.

import type { StoredTask } from "../emulator";

/** A task as the emulator stores it, write-only fields included. */
export type EmulatorTask = StoredTask;

export interface Calls {
  calls: Record<string, number>;
  throttled: Record<string, number>;
  errors: Record<string, number>;
  total: number;
}

export interface Faults {
  spec: Record<string, number>;
  seed: number;
  injected: Record<string, number>;
  total: number;
}

async function get<T>(url: string, route: string): Promise<T> {
  const res = await fetch(`${url}/_emulator/${route}`);
  if (!res.ok) throw new Error(`GET /_emulator/${route}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function post<T>(url: string, route: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${url}/_emulator/${route}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST /_emulator/${route}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const emulatorTasks = async (url: string): Promise<EmulatorTask[]> => (await get<{ tasks: EmulatorTask[] }>(url, "tasks")).tasks;
export const emulatorCalls = (url: string): Promise<Calls> => get<Calls>(url, "calls");
/** Calls per action (a missing action made no call). */
export const callCounts = async (url: string): Promise<Record<string, number>> => (await emulatorCalls(url)).calls;
export const emulatorFaults = (url: string): Promise<Faults> => get<Faults>(url, "faults");
export const setFaults = (url: string, faults: string, seed?: number): Promise<Faults> => post<Faults>(url, "faults", { faults, seed });
