/** The errors the emulator itself answers (authentication, throttling, injected faults), per protocol, as AWS answers them. */
import { AwsError, type ServiceDefinition, type ServiceName } from "../types.js";

export type Protocol = ServiceDefinition["protocol"];

export type StandardError =
  | "MissingAuthentication"
  | "InvalidToken"
  | "ExpiredToken"
  | "Throttling"
  | "InternalError"
  | "UnknownOperation"
  | "MalformedRequest";

type Spec = [code: string, status: number, message: string];

const INVALID_TOKEN = "The security token included in the request is invalid.";
const EXPIRED_TOKEN = "The security token included in the request is expired";
const RATE_EXCEEDED = "Rate exceeded";
const INTERNAL = "We encountered an internal error. Please try again.";

const SPECS: Record<Protocol, Record<StandardError, Spec>> = {
  query: {
    MissingAuthentication: ["MissingAuthenticationToken", 403, "Request is missing Authentication Token"],
    InvalidToken: ["InvalidClientTokenId", 403, INVALID_TOKEN],
    ExpiredToken: ["ExpiredToken", 403, EXPIRED_TOKEN],
    Throttling: ["Throttling", 400, RATE_EXCEEDED],
    InternalError: ["InternalFailure", 500, INTERNAL],
    UnknownOperation: ["InvalidAction", 400, "The action is not valid for this web service."],
    MalformedRequest: ["MalformedQueryString", 400, "The query string is malformed."],
  },
  json: {
    MissingAuthentication: ["MissingAuthenticationTokenException", 400, "Missing Authentication Token"],
    InvalidToken: ["UnrecognizedClientException", 400, INVALID_TOKEN],
    ExpiredToken: ["ExpiredTokenException", 400, EXPIRED_TOKEN],
    Throttling: ["ThrottlingException", 400, RATE_EXCEEDED],
    InternalError: ["InternalFailure", 500, INTERNAL],
    UnknownOperation: ["UnknownOperationException", 400, "The operation is not supported."],
    MalformedRequest: ["SerializationException", 400, "The request body is not valid JSON."],
  },
  ec2: {
    MissingAuthentication: [
      "AuthFailure",
      401,
      "AWS was not able to validate the provided access credentials",
    ],
    InvalidToken: ["AuthFailure", 401, "AWS was not able to validate the provided access credentials"],
    ExpiredToken: ["RequestExpired", 400, "Request has expired."],
    Throttling: ["RequestLimitExceeded", 503, "Request limit exceeded."],
    InternalError: ["InternalError", 500, "An internal error has occurred."],
    UnknownOperation: ["InvalidAction", 400, "The action is not valid for this web service."],
    MalformedRequest: ["InvalidParameterValue", 400, "The request is malformed."],
  },
};

/** The AwsError a service of `protocol` answers for `kind`; `detail` replaces the default message. */
export function standardError(protocol: Protocol, kind: StandardError, detail?: string): AwsError {
  const [code, status, message] = SPECS[protocol][kind];
  return new AwsError(code, detail ?? message, status, status >= 500 ? "Receiver" : "Sender");
}

/** The error for an injected internal failure: IAM answers `ServiceFailure`, the others their generic internal error. */
export function internalError(protocol: Protocol, service: ServiceName): AwsError {
  if (service === "iam") return new AwsError("ServiceFailure", INTERNAL, 500, "Receiver");
  return standardError(protocol, "InternalError");
}

/**
 * Throttling as each service answers it. The JSON services' models: Organizations has only
 * `TooManyRequestsException`; CloudTrail, SSO Admin and Identity Store model `ThrottlingException`;
 * Config models none and answers the common `ThrottlingException`. The API references give
 * HTTP 400 for all of them (the Smithy models say 429; the SDK classifies both as throttling).
 */
export function throttlingError(protocol: Protocol, service: ServiceName): AwsError {
  if (service === "organizations") {
    return new AwsError(
      "TooManyRequestsException",
      "You have sent too many requests in too short a period of time. The quota helps protect against denial-of-service attacks. Try again later.",
    );
  }
  return standardError(protocol, "Throttling");
}

/** IAM's `LimitExceeded` (HTTP 409), e.g. from GenerateCredentialReport; only IAM faults may ask for it. */
export function limitExceeded(): AwsError {
  return new AwsError(
    "LimitExceeded",
    "The request was rejected because it attempted to create resources beyond the current AWS account limits.",
    409,
  );
}

/** Access denied for `action` (`iam:GetCredentialReport`) by the caller `arn`, as each protocol answers it. */
export function accessDenied(protocol: Protocol, arn: string, action: string, resource = "*"): AwsError {
  const message = `User: ${arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
  if (protocol === "json") return new AwsError("AccessDeniedException", message, 400);
  if (protocol === "ec2")
    return new AwsError("UnauthorizedOperation", "You are not authorized to perform this operation.", 403);
  return new AwsError("AccessDenied", message, 403);
}
