// The GitOps example's GitHub Actions workflow, for tests over its steps: its jobs' steps and the
// commands its run scripts invoke (test/gitops/workflow-steps.test.ts, test/engine/gitops-workflow.test.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const EXAMPLE = path.resolve(__dirname, "../../examples/gitops");

export type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> };

export function workflow(): { jobs: Record<string, { steps: Step[] }> } & Record<string, any> {
  return parse(fs.readFileSync(path.join(EXAMPLE, ".github/workflows/pulumi.yml"), "utf8"));
}

export function steps(job: string): Step[] {
  return workflow().jobs[job].steps;
}

/** Every job's run scripts. */
export function runs(): string[] {
  return Object.keys(workflow().jobs).flatMap((job) => steps(job).flatMap((s) => (s.run ? [s.run] : [])));
}

export interface Invocation {
  /** The words after the program, before its first flag: `impact`, `stack output`. */
  words: string[];
  /** Its flags, without values: `--file`, `-s`. */
  flags: string[];
}

/** `PROGRAM sub... --flag ...` invocations in run scripts (continuations joined, redirections cut). */
export function invocations(scripts: string[], program: string): Invocation[] {
  const found: Invocation[] = [];
  for (const line of scripts.join("\n").replace(/\\\n\s*/g, " ").split("\n")) {
    const at = line.search(new RegExp(`(^|[\\s/])${program} `));
    if (at < 0) continue;
    const tokens = line.slice(at).trim().split(/\s+/).slice(1);
    const end = tokens.findIndex((t) => /^(\||>|2>|;|&&|\|\|)/.test(t));
    const mine = end < 0 ? tokens : tokens.slice(0, end);
    const first = mine.findIndex((t) => t.startsWith("-"));
    const words = (first < 0 ? mine : mine.slice(0, first)).filter((t) => /^[a-z][a-z-]*$/.test(t));
    const flags = mine.filter((t) => /^--?[a-z]/.test(t)).map((t) => t.split("=")[0]);
    found.push({ words, flags });
  }
  return found;
}
