// Rule live-backup: a live relay must survive its origin failing: a backup source
// (backupSourceType + backupSourceUrl) or a pad file (backupVodUrl) pushed while the primary is down.
// Only live primaries: the API ignores a backup source on video-file and picture tasks.
import type { PolicyConfigSchema } from "@pulumi/policy";
import { LIVE } from "../provider/task/types";
import { Task, Violation, violation } from "./inputs";

export interface BackupConfig {
  /** Whether a pad file alone is enough (a team may want a second live origin). */
  padFileSuffices: boolean;
}

export const BACKUP_DEFAULTS: BackupConfig = { padFileSuffices: true };

export const backupSchema: PolicyConfigSchema = {
  properties: {
    padFileSuffices: {
      type: "boolean", default: true,
      description: "A pad file (backupVodUrl) is enough; false: a backup source (backupSourceUrl) is required.",
    },
  },
};

const set = (v: unknown): boolean => typeof v === "string" && v !== "";

export function checkBackup(name: string, task: Task, config: BackupConfig): Violation[] {
  if (task.sourceType !== LIVE || set(task.backupSourceUrl)) return [];
  if (config.padFileSuffices && set(task.backupVodUrl)) return [];
  const fix = config.padFileSuffices
    ? "set backupSourceType and backupSourceUrl (a second origin) or backupVodUrl (a pad file)"
    : "set backupSourceType and backupSourceUrl (a second origin; live-backup.padFileSuffices is false)";
  const problem = "is not set on a live relay: the stream goes dark if its origin fails";
  return [violation(name, "backupSourceUrl", problem, fix)];
}
