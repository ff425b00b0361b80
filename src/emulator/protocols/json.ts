/** The AWS JSON 1.1 protocol: `X-Amz-Target: Prefix.Operation`, JSON bodies, `__type` errors. */
import { type AwsError, XmlMap } from "../types.js";

export const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

/** Converts an output structure to AWS JSON values: Dates → epoch seconds, bytes → base64. */
export function toAwsJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof XmlMap) return toAwsJson(value.entries);
  if (Array.isArray(value)) return value.map(toAwsJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, toAwsJson(v)]),
    );
  }
  return value;
}

/**
 * The operation named by `X-Amz-Target`, or null when the target is missing or names another service.
 * Prefixes match on their last dotted part: the JS SDK sends `CloudTrail_20131101.LookupEvents` where
 * botocore sends `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`.
 */
export function operationFromTarget(target: string | undefined, prefix: string): string | null {
  if (!target) return null;
  const dot = target.lastIndexOf(".");
  if (dot < 0 || lastPart(target.slice(0, dot)) !== lastPart(prefix)) return null;
  return target.slice(dot + 1) || null;
}

function lastPart(name: string): string {
  return name.slice(name.lastIndexOf(".") + 1);
}

/** Parses a JSON 1.1 request body; an empty body is an empty input. */
export function parseJsonBody(body: string): Record<string, unknown> {
  if (body.trim() === "") return {};
  const parsed: unknown = JSON.parse(body);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new SyntaxError("the request body is not a JSON object");
  return parsed as Record<string, unknown>;
}

export function renderJsonResponse(output: unknown): string {
  return JSON.stringify(toAwsJson(output ?? {}));
}

export function renderJsonError(error: AwsError): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}
