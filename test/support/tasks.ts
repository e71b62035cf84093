// Task programs live in harness/ (bench uses them too); tests keep importing them from here.
export * from "../../harness/tasks";
