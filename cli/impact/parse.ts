// `pulumi preview --json` → the steps of LivePullStreamTask resources. Only this file knows the
// JSON's shape (as the real CLI prints it: test/fixtures/impact/preview.json).
import { TASK_TYPES, type TaskStep } from "./types";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

/** The preview's JSON as parsed; throws a message naming what is missing when it is not one. */
export function parsePreview(json: unknown): TaskStep[] {
  if (!isObject(json) || !Array.isArray(json.steps)) {
    throw new Error("not the output of `pulumi preview --json`: no steps array");
  }
  const steps: TaskStep[] = [];
  for (const raw of json.steps) {
    if (!isObject(raw) || typeof raw.urn !== "string") continue;
    const step = toStep(raw);
    if (step && TASK_TYPES.includes(step.type)) steps.push(step);
  }
  return steps;
}

function toStep(raw: Json): TaskStep | undefined {
  const oldState = isObject(raw.oldState) ? raw.oldState : undefined;
  const newState = isObject(raw.newState) ? raw.newState : undefined;
  const type = (newState?.type ?? oldState?.type) as unknown;
  if (typeof type !== "string" || typeof raw.op !== "string") return undefined;
  const urn = raw.urn as string;
  return {
    name: urn.slice(urn.lastIndexOf("::") + 2),
    urn,
    type,
    op: raw.op,
    olds: isObject(oldState?.inputs) ? oldState.inputs : undefined,
    news: isObject(newState?.inputs) ? newState.inputs : undefined,
    deleteFirst: oldState?.pendingReplacement === true,
    replaceReasons: strings(raw.replaceReasons),
    diffReasons: [...strings(raw.diffReasons), ...(isObject(raw.detailedDiff) ? Object.keys(raw.detailedDiff) : [])],
  };
}
