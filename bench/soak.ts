// npm run soak -- --tasks N --fault-rate P [--seed S] [--parallel K] [--max-rounds R] [--kinds a,b] [--replace]
//                  [--refresh] [--continue-on-error] [--provider-change] [--recreate] [--interrupt]
//                  [--request-timeout-ms MS] [--stacks K]
// Creates, modifies, (--replace) force-replaces and deletes N tasks through Pulumi's real dynamic
// provider host while a local emulator injects every fault kind at rate P (split evenly over the
// seven). Progress goes to stdout; the LAST line is one JSON object with the counts. Exit code 1
// if anything was duplicated, orphaned, missing, lost, left failing or unconverged.
import { parseArgs } from "node:util";
import { runSoak } from "./soak/run";
import { runStacksSoak } from "./soak/stacks";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      tasks: { type: "string", default: "200" },
      "fault-rate": { type: "string", default: "0.1" },
      seed: { type: "string", default: "1" },
      parallel: { type: "string" },
      "max-rounds": { type: "string", default: "6" },
      kinds: { type: "string" },
      interrupt: { type: "boolean", default: false },
      replace: { type: "boolean", default: false },
      refresh: { type: "boolean", default: false },
      "continue-on-error": { type: "boolean", default: false },
      "provider-change": { type: "boolean", default: false },
      recreate: { type: "boolean", default: false },
      "request-timeout-ms": { type: "string" },
      verbose: { type: "boolean", default: false },
      stacks: { type: "string", default: "1" },
    },
  });
  const num = (name: string, v: string | undefined, ok: (n: number) => boolean): number => {
    const n = Number(v);
    if (!ok(n)) throw new Error(`--${name} ${v} is not valid`);
    return n;
  };
  const tasks = num("tasks", values.tasks, (n) => Number.isInteger(n) && n > 0);
  const faultRate = num("fault-rate", values["fault-rate"], (n) => n >= 0 && n <= 1);
  // --stacks K: K stacks at once on one account, each with its own provider processes (soak/stacks.ts).
  const stacks = num("stacks", values.stacks, (n) => Number.isInteger(n) && n > 0);
  if (stacks > 1) {
    const whole = (n: number) => Number.isInteger(n) && n > 0;
    const r = await runStacksSoak({
      stacks, tasks, faultRate, seed: num("seed", values.seed, Number.isInteger), kinds: values.kinds?.split(","),
      parallel: values.parallel === undefined ? undefined : num("parallel", values.parallel, whole),
      maxRounds: num("max-rounds", values["max-rounds"], whole),
      log: (line) => console.log(line),
    });
    console.log(JSON.stringify(r));
    return r.clean ? 0 : 1;
  }
  const report = await runSoak({
    tasks,
    faultRate,
    seed: num("seed", values.seed, Number.isInteger),
    parallel: values.parallel === undefined ? undefined : num("parallel", values.parallel, (n) => Number.isInteger(n) && n > 0),
    kinds: values.kinds?.split(","),
    interrupt: values.interrupt,
    replace: values.replace,
    refresh: values.refresh,
    continueOnError: values["continue-on-error"],
    providerChange: values["provider-change"],
    recreate: values.recreate,
    maxRounds: num("max-rounds", values["max-rounds"], (n) => Number.isInteger(n) && n > 0),
    requestTimeoutMs: values["request-timeout-ms"] === undefined ? undefined : num("request-timeout-ms", values["request-timeout-ms"], (n) => n > 0),
    log: (line) => console.log(line),
  });
  if (values.verbose) for (const p of report.phases) console.log(JSON.stringify(p));
  const { phases, ...summary } = report;
  const perPhase = Object.fromEntries(phases.map((p) => [p.phase, { failures: p.failures, failureReasons: p.failureReasons, failureExamples: p.failureExamples, notReplaced: p.notReplaced, ...p.verdict, problems: p.verdict.problems.length }]));
  console.log(JSON.stringify({ ...summary, perPhase }));
  return report.clean ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : String(err));
    process.exit(2);
  },
);
