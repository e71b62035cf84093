// The package's public API, for users of the resource: the LivePullStreamTask resource for Pulumi
// programs, and the tasks-file loader for GitOps stacks. The emulator has its own entry point,
// `pulumi-css-pull-tasks/emulator`, so a program never loads it.
export { LivePullStreamTask } from "./provider/resource";
export type { LivePullStreamTaskArgs, WatermarkArgs, ScheduleArgs } from "./provider/resource";
export type { TaskInputs, TaskOutputs, Failure } from "./provider/task/types";
export { validateTask } from "./provider/task/validate";

export { declareTasksFromConfig } from "./program/stack";
export { loadTasksFile, formatProblem } from "./program/tasks-file";
export type { Problem, TaskEntry } from "./program/tasks-file";
