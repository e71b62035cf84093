// Tencent Cloud API 3.0 error codes the emulator answers with. Every failure is an EmulatorError so
// the server can turn it into the documented envelope (HTTP 200, {"Response":{"Error":...}}).

export const ErrorCode = {
  InvalidAuthorization: "AuthFailure.InvalidAuthorization",
  SecretIdNotFound: "AuthFailure.SecretIdNotFound",
  SignatureExpire: "AuthFailure.SignatureExpire",
  SignatureFailure: "AuthFailure.SignatureFailure",
  TokenFailure: "AuthFailure.TokenFailure",
  InternalError: "InternalError",
  InvalidAction: "InvalidAction",
  InvalidParameter: "InvalidParameter",
  InvalidBackupToUrl: "InvalidParameter.InvalidBackupToUrl",
  InvalidCallbackUrl: "InvalidParameter.InvalidCallbackUrl",
  InvalidSourceUrl: "InvalidParameter.InvalidSourceUrl",
  InvalidTaskTime: "InvalidParameter.InvalidTaskTime",
  InvalidToUrl: "InvalidParameter.InvalidToUrl",
  InvalidWatermark: "InvalidParameter.InvalidWatermark",
  TaskNotExist: "InvalidParameter.TaskNotExist",
  InvalidParameterValue: "InvalidParameterValue",
  LimitExceeded: "LimitExceeded",
  /** Create over the account's task quota (Create's documented code; LimitTaskNum in Describe). */
  TaskNumMoreThanLimit: "InvalidParameter.TaskNumMoreThanLimit",
  MissingParameter: "MissingParameter",
  RequestLimitExceeded: "RequestLimitExceeded",
  RequestSizeLimitExceeded: "RequestSizeLimitExceeded",
  UnknownParameter: "UnknownParameter",
  UnsupportedOperation: "UnsupportedOperation",
  // STS (sts.ts)
  RoleNotExist: "ResourceNotFound.RoleNotExist",
  WebIdentityTokenError: "InvalidParameter.WebIdentityTokenError",
  /** AssumeRole's MFA check failed (a wrong, missing or unknown code or device). */
  CheckMFAError: "FailedOperation.CheckMFAError",
  /** An MFA device type other than softToken, the one SerialNumber's documented format allows. */
  MFATypeNotSupported: "FailedOperation.MFATypeNotSupported",
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export class EmulatorError extends Error {
  readonly code: ErrorCodeValue;
  constructor(code: ErrorCodeValue, message: string) {
    super(message);
    this.name = "EmulatorError";
    this.code = code;
  }
}

export function fail(code: ErrorCodeValue, message: string): never {
  throw new EmulatorError(code, message);
}
