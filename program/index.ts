// Entry point of the root Pulumi project (Pulumi.yaml `main: dist/program/index.js`).
import { declareTasksFromConfig } from "./stack";

const tasks = declareTasksFromConfig();

/** Stack output: task name → TaskId, so scripts and humans can find each task in the console. */
export const taskIds = Object.fromEntries(Object.entries(tasks).map(([name, t]) => [name, t.id]));
