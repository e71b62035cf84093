// --state FILE: tasks survive a restart. Written after every change as temp file + rename, so a
// crash mid-write leaves the previous complete file, never a torn one.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { StoreSnapshot } from "./store";

const FORMAT = 1;

export function loadState(file: string): StoreSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`state file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const d = data as { format?: unknown; nextId?: unknown; seq?: unknown; tasks?: unknown };
  if (d.format !== FORMAT || typeof d.nextId !== "number" || typeof d.seq !== "number" || !Array.isArray(d.tasks)) {
    throw new Error(`state file ${file} is not an emulator state file (format ${FORMAT} with nextId, seq, tasks)`);
  }
  return { nextId: d.nextId, seq: d.seq, tasks: d.tasks };
}

let tempCounter = 0;

export function saveState(file: string, snapshot: StoreSnapshot): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${++tempCounter}.tmp`;
  writeFileSync(temp, JSON.stringify({ format: FORMAT, ...snapshot }, null, 2) + "\n");
  renameSync(temp, file);
}
