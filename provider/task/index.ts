// The pure core of the LivePullStreamTask provider: no I/O, no clock unless passed in.
export * from "./types";
export * from "./unknown";
export * from "./fields";
export * from "./time";
export * from "./mask";
export * from "./normalise";
export * from "./validate";
export * from "./diff";
export * from "./destination";
export * from "./requests";
export * from "./schedule";
export * from "./check";
export * from "./span";
export { MAX_COMMENT_BYTES, VOD_ONLY_FIELDS } from "./rules";
