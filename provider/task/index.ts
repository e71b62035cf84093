// The pure core of the LivePullStreamTask provider: no I/O, no clock unless passed in. Production code
// imports each module by name; this index serves the core's tests, and lists what they use.
export { VOD, type Failure, type Schedule, type SourceType, type TaskInputs } from "./types";
export { UNKNOWN } from "./unknown";
export {
  API_NAME,
  FIELD_NAMES,
  FIELDS,
  INPUT_NAME,
  MODIFIABLE_FIELDS,
  NO_CHANGE_FIELDS,
  REPLACE_FIELDS,
  SECRET_FIELDS,
  WRITE_ONLY_FIELDS,
} from "./fields";
export { canonicalTime, formatTime, parseDuration, parseTime } from "./time";
export { maskSecrets } from "./mask";
export { normaliseInputs } from "./normalise";
export { ANNOTATION_KEYWORDS, closest, validateTask } from "./validate";
export { diffTask } from "./diff";
export { fromTaskInfo, toCreateRequest, toModifyRequest, type ApiRequest, type TaskInfo } from "./requests";
export { applySchedule, SCHEDULE_LEAD_MS } from "./schedule";
export { checkTask } from "./check";
export { MAX_TASK_SPAN_MS } from "./rules";
