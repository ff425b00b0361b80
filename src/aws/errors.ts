import type { SectionError } from "../snapshot/types.js";

/** Error names that say nothing about what AWS answered: the HTTP status is more useful. */
const GENERIC_NAMES = new Set([
  "Error",
  "Unknown",
  "UnknownError",
  "SyntaxError",
  "TypeError",
  "SerializationException",
]);

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

/** The HTTP status of a failed SDK call, when the service answered at all. */
export function httpStatusOf(error: unknown): number | undefined {
  const e = error as SdkError;
  return e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
}

/** True when the error is a refused, reset or unresolvable connection. */
export function isNetworkError(error: unknown): boolean {
  const e = error as SdkError;
  return (e?.code !== undefined && NETWORK_CODES.has(e.code)) || e?.name === "TimeoutError";
}

/** True when no credential provider of the chain had credentials. */
export function isCredentialsError(error: unknown): boolean {
  const name = (error as SdkError)?.name;
  return name === "CredentialsProviderError" || name === "TokenProviderError";
}

/**
 * Turns a failed SDK call into a section error: the AWS error code (`err.name`), or
 * `HTTP<status>` for an answer that was not an AWS error, `NetworkError`, `NoCredentials`.
 */
export function toSectionError(error: unknown, operation: string): SectionError {
  const e = error as SdkError;
  // The SDK appends hints about its own fields on further lines: keep the first line.
  const message = (e?.message || String(error)).split("\n")[0]?.trim().slice(0, 500) ?? "";
  if (isCredentialsError(error)) return { code: "NoCredentials", message, operation };
  if (isNetworkError(error))
    return { code: "NetworkError", message: `${e.code ?? e.name}: ${message}`, operation };
  const status = httpStatusOf(error);
  const name = e?.name;
  if (name && !GENERIC_NAMES.has(name)) return { code: name, message, operation };
  if (status !== undefined) {
    return {
      code: `HTTP${status}`,
      message: `HTTP ${status} that is not an AWS error response${name ? ` (${name})` : ""}: ${message}`,
      operation,
    };
  }
  return { code: name ?? "Error", message, operation };
}
