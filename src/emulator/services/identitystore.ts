/** IAM Identity Center's identity store (JSON 1.1): ListUsers of the account's store. */
import { AwsError, type RequestContext, type ServiceDefinition } from "../types.js";
import { constraintMessage, optionalInt, optionalString, paginate, stableUuid } from "./json/input.js";

const MAX_RESULTS = 100;
const STORE_ID = /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const CREATED = new Date("2023-02-01T10:05:00Z");

const validation = (message: string) => new AwsError("ValidationException", message);

/** The UserId the store gives a user: a UUID, prefixed with the store's suffix for `d-…` stores. */
export function identityStoreUserId(accountId: string, storeId: string, userName: string): string {
  const prefix = storeId.startsWith("d-") ? `${storeId.slice(2)}-` : "";
  return `${prefix}${stableUuid(accountId, storeId, userName)}`;
}

function storeId(ctx: RequestContext): string {
  const id = optionalString(ctx.input, "IdentityStoreId", validation);
  if (id === undefined) {
    throw validation(constraintMessage(null, "identityStoreId", "Member must not be null"));
  }
  if (!STORE_ID.test(id)) {
    throw validation(
      constraintMessage(
        id,
        "identityStoreId",
        `Member must satisfy regular expression pattern: ${STORE_ID.source}`,
      ),
    );
  }
  return id;
}

/** The deprecated `Filters` parameter: at most one filter, on `UserName`. */
function userNameFilter(ctx: RequestContext): string | undefined {
  const filters = ctx.input.Filters;
  if (filters === undefined || filters === null || (Array.isArray(filters) && filters.length === 0))
    return undefined;
  const [filter] = Array.isArray(filters)
    ? (filters as { AttributePath?: unknown; AttributeValue?: unknown }[])
    : [];
  if (!Array.isArray(filters) || filters.length > 1 || filter?.AttributePath !== "UserName") {
    throw validation("Only one filter is supported, on the attribute path UserName.");
  }
  return String(filter.AttributeValue);
}

function listUsers(ctx: RequestContext) {
  const id = storeId(ctx);
  const pageSize = optionalInt(ctx.input, "MaxResults", 1, MAX_RESULTS, validation) ?? MAX_RESULTS;
  const center = ctx.account.identityCenter;
  if (!center || center.identityStoreId !== id || center.region !== ctx.region) {
    throw new AwsError("ResourceNotFoundException", `Identity store ${id} does not exist.`);
  }
  const only = userNameFilter(ctx);
  const users = center.users
    .filter((userName) => only === undefined || userName === only)
    .map((userName) => {
      const local = userName.split("@")[0] ?? userName;
      const [given = local, family = local] = local.split(/[._-]/);
      const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
      const email = userName.includes("@") ? userName : `${userName}@example.com`;
      return {
        IdentityStoreId: id,
        UserId: identityStoreUserId(ctx.account.id, id, userName),
        UserName: userName,
        Name: {
          Formatted: `${capital(given)} ${capital(family)}`,
          GivenName: capital(given),
          FamilyName: capital(family),
        },
        DisplayName: `${capital(given)} ${capital(family)}`,
        Emails: [{ Value: email, Type: "work", Primary: true }],
        UserStatus: "ENABLED",
        CreatedAt: CREATED,
        UpdatedAt: CREATED,
      };
    });
  const { page, nextToken } = paginate(users, {
    nextToken: ctx.input.NextToken,
    pageSize,
    scope: [id, only ?? null],
    invalidToken: () => validation("The pagination token is invalid."),
  });
  return { Users: page, NextToken: nextToken };
}

export const identitystore: ServiceDefinition = {
  name: "identitystore",
  protocol: "json",
  targetPrefix: "AWSIdentityStore",
  handlers: { ListUsers: listUsers },
};
