// The whole program: every entry of tasks.yaml (or of the file named by `css:tasksFile`) becomes a
// LivePullStreamTask named after its key. A mistake in the file fails `pulumi preview` with
// `file:line:column: path: rule` lines; `npm run validate` shows the same without credentials.
import { declareTasksFromConfig } from "pulumi-css-pull-tasks";

const tasks = declareTasksFromConfig();

/** Task name → TaskId. */
export const taskIds = Object.fromEntries(Object.entries(tasks).map(([name, task]) => [name, task.taskId]));
