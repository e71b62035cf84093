// The package's public API. Users of a Pulumi program need the resource; GitOps users need the
// tasks-file loader; tests and demos need the emulator.
export { LivePullStreamTask } from "./provider/resource";
export type { LivePullStreamTaskArgs, WatermarkArgs, ScheduleArgs } from "./provider/resource";
export { livePullStreamTaskProvider } from "./provider/provider";
export type { TaskInputs, TaskOutputs, Failure } from "./provider/task";
export { validateTask } from "./provider/task";

export { declareTasksFromConfig } from "./program/stack";
export { getLivePullStreamTaskStatus } from "./program/status";
export type { LivePullStreamTaskStatus, LivePullStreamTaskStatusArgs } from "./program/status";
export { loadTasksFile, formatProblem } from "./program/tasks-file";
export type { Problem, TaskEntry } from "./program/tasks-file";

export { CssClient, CssApiError } from "./provider/api";
export type { ClientOptions } from "./provider/api";

export { startEmulator, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "./emulator";
export type { EmulatorOptions, RunningEmulator, StoredTask } from "./emulator";
