// The CSS API edge: everything the provider's core and the CLI use from provider/api.
export { CssClient, DEFAULT_TIMEOUT_MS, type CallOptions, type ClientOptions, type ClientStats } from "./client";
export {
  CONFIG_KEYS,
  CredentialsError,
  DEFAULT_ENDPOINT,
  DEFAULT_REGION,
  ENV_KEYS,
  resolveCredentials,
  type CredentialSources,
  type ExplicitCredentials,
  type ResolvedCredentials,
} from "./credentials";
export { CLIENT_CODES, CssApiError, isAmbiguousCode, isInternalError, isRetryableCode, isTaskNotExist, isThrottle, TASK_NOT_EXIST } from "./errors";
export { DOCUMENTED_RATES, FALLBACK_RATE, MAX_PAGE_SIZE } from "./limits";
export { rateFor, sharedLimiter, SlidingWindowLimiter, type Permit } from "./limiter";
export { AUTH_PARAM_NAMES, MASK, maskSecrets, redact } from "./mask";
export { backoffDelay, DEFAULT_RETRY, shouldRetry, withRetry, type RetryOptions, type RetryPolicy } from "./retry";
export { authorization, CONTENT_TYPE, signRequest, type SignInput } from "./sign";
export * from "./types";
