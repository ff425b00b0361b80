/** Input checks, pagination tokens and stable ids shared by the JSON 1.1 services. */
import { createHash } from "node:crypto";
import type { AwsError } from "../../types.js";

/** A hex digest of `parts`, so that derived ids stay the same from one run to the next. */
export function digest(...parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** A UUID-shaped id derived from `parts`. */
export function stableUuid(...parts: unknown[]): string {
  const h = digest(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The message AWS's request validation writes for a constraint that a member fails. */
export function constraintMessage(value: unknown, member: string, constraint: string): string {
  return `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`;
}

/** An optional integer member within [min, max]; `invalid` builds the service's validation error. */
export function optionalInt(
  input: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  invalid: (message: string) => AwsError,
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw invalid(constraintMessage(value, member, "Member must be an integer"));
  }
  if (value < min) {
    throw invalid(constraintMessage(value, member, `Member must have value greater than or equal to ${min}`));
  }
  if (value > max) {
    throw invalid(constraintMessage(value, member, `Member must have value less than or equal to ${max}`));
  }
  return value;
}

/** An optional string member; anything else is rejected with `invalid`. */
export function optionalString(
  input: Record<string, unknown>,
  name: string,
  invalid: (message: string) => AwsError,
): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalid(`${name} must be a string.`);
  return value;
}

/** An optional list of strings, at most `max` long. */
export function optionalStringList(
  input: Record<string, unknown>,
  name: string,
  max: number,
  invalid: (message: string) => AwsError,
): string[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw invalid(`${name} must be a list of strings.`);
  }
  if (value.length > max) {
    throw invalid(
      constraintMessage(
        `[${value.join(", ")}]`,
        member,
        `Member must have length less than or equal to ${max}`,
      ),
    );
  }
  return value as string[];
}

export interface PageOptions {
  /** The request's NextToken, if any. */
  nextToken: unknown;
  pageSize: number;
  /** The request parameters the token is bound to: a token is only valid with the same ones. */
  scope?: unknown;
  /** Builds the service's error for a token it did not issue or issued for other parameters. */
  invalidToken: () => AwsError;
}

/** One page of `items` and the NextToken of the next page (absent on the last page). */
export function paginate<T>(items: readonly T[], options: PageOptions): { page: T[]; nextToken?: string } {
  const scope = digest(options.scope ?? null).slice(0, 16);
  let offset = 0;
  if (options.nextToken !== undefined && options.nextToken !== null) {
    const parsed = decodeToken(options.nextToken);
    if (!parsed || parsed.s !== scope || parsed.o > items.length) throw options.invalidToken();
    offset = parsed.o;
  }
  const end = offset + options.pageSize;
  const page = items.slice(offset, end);
  if (end >= items.length) return { page };
  return { page, nextToken: Buffer.from(JSON.stringify({ o: end, s: scope })).toString("base64url") };
}

function decodeToken(token: unknown): { o: number; s: string } | null {
  if (typeof token !== "string" || token === "") return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return null;
    const { o, s } = parsed as { o?: unknown; s?: unknown };
    if (typeof o !== "number" || !Number.isInteger(o) || o < 0 || typeof s !== "string") return null;
    return { o, s };
  } catch {
    return null;
  }
}
