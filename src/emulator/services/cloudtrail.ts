/**
 * AWS CloudTrail (JSON 1.1): LookupEvents over the account's scenario events, with the full
 * CloudTrailEvent JSON built the way CloudTrail records sign-ins and IAM changes.
 */
import { DEFAULT_IDENTITY_STORE_ID, type ScenarioAccount, type ScenarioTrailEvent } from "../scenario.js";
import { AwsError, type RequestContext, type ServiceDefinition } from "../types.js";
import { userId } from "./iam/model.js";
import { identityStoreUserId } from "./identitystore.js";
import { digest, optionalInt, paginate, stableUuid } from "./json/input.js";

const MAX_RESULTS = 50;
const RETENTION_MS = 90 * 86400e3;
const LOOKUP_KEYS = [
  "EventId",
  "EventName",
  "ReadOnly",
  "Username",
  "ResourceType",
  "ResourceName",
  "EventSource",
  "AccessKeyId",
];
const IDENTITY_CENTER_SIGN_IN = ["CredentialChallenge", "CredentialVerification", "UserAuthentication"];
const SIGN_IN = [
  "ConsoleLogin",
  "CheckMfa",
  "ExitRole",
  "SwitchRole",
  "PasswordUpdated",
  ...IDENTITY_CENTER_SIGN_IN,
];
const STS = ["GetSessionToken", "AssumeRole", "AssumeRoot", "GetCallerIdentity", "GetFederationToken"];
const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const CLI =
  "aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython";

/** An event as LookupEvents returns it. */
interface TrailRecord {
  EventId: string;
  EventName: string;
  ReadOnly: string;
  AccessKeyId?: string;
  EventTime: Date;
  EventSource: string;
  /** Absent for Identity Center sign-ins in the current identity format. */
  Username?: string;
  Resources: { ResourceType: string; ResourceName: string }[];
  CloudTrailEvent: string;
}

type JsonObject = Record<string, unknown>;

function eventSource(name: string): string {
  if (SIGN_IN.includes(name)) return "signin.amazonaws.com";
  if (STS.includes(name)) return "sts.amazonaws.com";
  return "iam.amazonaws.com";
}

function isReadOnly(name: string): boolean {
  return /^(Get|List|Describe|Lookup)/.test(name);
}

/** An access key id of the console session that made an API call (ASIA…), stable per event. */
function sessionKey(...parts: unknown[]): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const hex = digest(...parts);
  let key = "ASIA";
  for (let i = 0; i < 16; i++) key += alphabet[Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 32];
  return key;
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Whether an Identity Center sign-in names its user the current way (IdentityCenterUser) or the legacy way (Unknown). */
function identityFormat(account: ScenarioAccount, event: ScenarioTrailEvent): "legacy" | "current" {
  return event.identityFormat ?? account.identityCenter?.identityFormat ?? "current";
}

/**
 * The identity of an Identity Center sign-in. Current form (AWS, since July 2025): type
 * `IdentityCenterUser`, `onBehalfOf.userId` (the identity store's UserId, as ListUsers gives it)
 * and `onBehalfOf.identityStoreArn`, and no `userName` or `principalId`. Legacy form: type
 * `Unknown` with `userName`.
 */
function identityCenterIdentity(account: ScenarioAccount, event: ScenarioTrailEvent): JsonObject {
  const accountId = account.id;
  if (identityFormat(account, event) === "legacy") {
    return {
      type: "Unknown",
      principalId: accountId,
      arn: "",
      accountId,
      accessKeyId: "",
      userName: event.user,
    };
  }
  const storeId = account.identityCenter?.identityStoreId ?? DEFAULT_IDENTITY_STORE_ID;
  return {
    type: "IdentityCenterUser",
    accountId,
    onBehalfOf: {
      userId: identityStoreUserId(accountId, storeId, event.user),
      identityStoreArn: `arn:aws:identitystore::${accountId}:identitystore/${storeId}`,
    },
    credentialId: digest(accountId, storeId, event.user, "credential"),
  };
}

/** Who acted; an IAM user's id and ARN are those IAM gives the scenario's user of that name. */
function userIdentity(
  account: ScenarioAccount,
  event: ScenarioTrailEvent,
  accessKeyId: string | undefined,
): JsonObject {
  const accountId = account.id;
  if (IDENTITY_CENTER_SIGN_IN.includes(event.name)) return identityCenterIdentity(account, event);
  const root = event.user === "root";
  const identity: JsonObject = root
    ? { type: "Root", principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId }
    : {
        type: "IAMUser",
        principalId: userId(account, event.user),
        arn: `arn:aws:iam::${accountId}:user${account.users.find((u) => u.name === event.user)?.path ?? "/"}${event.user}`,
        accountId,
        userName: event.user,
      };
  if (!accessKeyId) return { ...identity, accessKeyId: "" };
  return {
    ...identity,
    accessKeyId,
    sessionContext: {
      sessionIssuer: {},
      webIdFederationData: {},
      attributes: {
        creationDate: isoSeconds(new Date(event.time.getTime() - 600e3)),
        mfaAuthenticated: String(event.mfaUsed ?? false),
      },
    },
  };
}

function serialOf(accountId: string, event: ScenarioTrailEvent): string {
  return event.serialNumber ?? `arn:aws:iam::${accountId}:mfa/${event.target ?? event.user}`;
}

/** requestParameters and responseElements of an IAM or STS API call. */
function apiCallDetails(accountId: string, event: ScenarioTrailEvent, key: string) {
  const userName = event.target;
  const serialNumber = serialOf(accountId, event);
  const created = isoSeconds(event.time);
  const forUser = userName ? { userName } : {};
  switch (event.name) {
    case "DeactivateMFADevice":
    case "EnableMFADevice":
    case "ResyncMFADevice":
      return { request: { ...forUser, serialNumber }, response: null };
    case "DeleteVirtualMFADevice":
      return { request: { serialNumber }, response: null };
    case "CreateVirtualMFADevice":
      return {
        request: { virtualMFADeviceName: serialNumber.split("/").pop(), path: "/" },
        response: { virtualMFADevice: { serialNumber } },
      };
    case "CreateLoginProfile":
      return {
        request: { ...forUser, passwordResetRequired: false },
        response: { loginProfile: { ...forUser, createDate: created, passwordResetRequired: false } },
      };
    case "CreateAccessKey":
      return {
        request: userName ? { userName } : null,
        response: {
          accessKey: {
            accessKeyId: `AKIA${sessionKey(key, "created").slice(4)}`,
            status: "Active",
            userName: userName ?? event.user,
            createDate: created,
          },
        },
      };
    default:
      return { request: userName ? { userName } : null, response: null };
  }
}

/**
 * The event CloudTrail records for a scenario event. A failed Identity Center sign-in logs no
 * UserAuthentication ("Users failing to successfully complete the required credential challenges
 * will result in no UserAuthentication event being logged"): it is the failed
 * CredentialVerification of the last credential challenged.
 */
function recorded(event: ScenarioTrailEvent): ScenarioTrailEvent {
  if (event.name !== "UserAuthentication" || event.success) return event;
  const last = (event.credentialTypes ?? ["PASSWORD"]).at(-1) ?? "PASSWORD";
  return { ...event, name: "CredentialVerification", credentialTypes: [last] };
}

/** The CloudTrail record of a scenario event, as the CloudTrailEvent JSON document. */
function buildEvent(ctx: RequestContext, scenarioEvent: ScenarioTrailEvent, index: number) {
  const event = recorded(scenarioEvent);
  const accountId = ctx.account.id;
  const eventId = stableUuid(accountId, index, event.name, "event");
  const source = eventSource(event.name);
  const signIn = source === "signin.amazonaws.com";
  const accessKeyId = signIn ? undefined : sessionKey(accountId, index, event.name);
  const identityCenter = IDENTITY_CENTER_SIGN_IN.includes(event.name);
  const current = identityCenter && identityFormat(ctx.account, event) === "current";
  const record: JsonObject = {
    eventVersion: current ? "1.10" : signIn ? "1.08" : "1.09",
    userIdentity: userIdentity(ctx.account, event, accessKeyId),
    eventTime: isoSeconds(event.time),
    eventSource: source,
    eventName: event.name,
    awsRegion: event.region,
    sourceIPAddress: event.sourceIp,
    userAgent: signIn ? BROWSER : CLI,
  };
  if (identityCenter) {
    const outcome = event.success ? "Success" : "Failure";
    Object.assign(record, {
      ...(event.success ? {} : { errorMessage: "Failed authentication" }),
      requestParameters: null,
      responseElements: null,
      additionalEventData: {
        AuthWorkflowID: event.authWorkflowId ?? stableUuid(accountId, index, "workflow"),
        CredentialType: (event.credentialTypes ?? ["PASSWORD"]).join(","),
      },
      requestID: stableUuid(accountId, index, "request"),
      eventID: eventId,
      readOnly: false,
      eventType: "AwsServiceEvent",
      managementEvent: true,
      recipientAccountId: accountId,
      serviceEventDetails: { [event.name]: outcome },
      eventCategory: "Management",
    });
  } else if (signIn) {
    const mfa: JsonObject = { MFAUsed: event.mfaUsed ? "Yes" : "No" };
    if (event.mfaUsed && event.serialNumber) mfa.MFAIdentifier = event.serialNumber;
    Object.assign(record, {
      ...(event.success ? {} : { errorMessage: "Failed authentication" }),
      requestParameters: null,
      responseElements:
        event.name === "ConsoleLogin" ? { ConsoleLogin: event.success ? "Success" : "Failure" } : null,
      additionalEventData: {
        LoginTo: "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
        MobileVersion: "No",
        ...mfa,
      },
      eventID: eventId,
      readOnly: false,
      eventType: "AwsConsoleSignIn",
      managementEvent: true,
      recipientAccountId: accountId,
      eventCategory: "Management",
    });
  } else {
    const details = apiCallDetails(accountId, event, eventId);
    const failure = event.success
      ? {}
      : {
          errorCode: "AccessDenied",
          errorMessage: `User: ${(record.userIdentity as JsonObject).arn} is not authorized to perform: ${source.split(".")[0]}:${event.name}`,
        };
    Object.assign(record, {
      ...failure,
      requestParameters: details.request,
      responseElements: event.success ? details.response : null,
      requestID: stableUuid(accountId, index, "request"),
      eventID: eventId,
      readOnly: isReadOnly(event.name),
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: accountId,
      eventCategory: "Management",
      tlsDetails: {
        tlsVersion: "TLSv1.3",
        cipherSuite: "TLS_AES_128_GCM_SHA256",
        clientProvidedHostHeader:
          source === "iam.amazonaws.com" ? "iam.amazonaws.com" : `sts.${event.region}.amazonaws.com`,
      },
    });
  }
  const resources: TrailRecord["Resources"] = [];
  if (event.target) resources.push({ ResourceType: "AWS::IAM::User", ResourceName: event.target });
  if (event.serialNumber && !signIn) {
    resources.push({ ResourceType: "AWS::IAM::MFADevice", ResourceName: event.serialNumber });
  }
  const result: TrailRecord = {
    EventId: eventId,
    EventName: event.name,
    ReadOnly: String(record.readOnly),
    AccessKeyId: accessKeyId,
    EventTime: event.time,
    EventSource: source,
    Username: current ? undefined : event.user,
    Resources: resources,
    CloudTrailEvent: JSON.stringify(record),
  };
  return result;
}

/** A timestamp member: epoch seconds on the JSON wire (ISO strings accepted too). */
function timeInput(ctx: RequestContext, name: string): Date | undefined {
  const value = ctx.input[name];
  if (value === undefined || value === null) return undefined;
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(String(value));
  if (Number.isNaN(date.getTime())) {
    throw new AwsError("InvalidTimeRangeException", `${name} is not a valid time.`);
  }
  return date;
}

function lookupAttribute(ctx: RequestContext): { key: string; value: string } | undefined {
  const attributes = ctx.input.LookupAttributes;
  if (attributes === undefined || attributes === null) return undefined;
  if (!Array.isArray(attributes)) {
    throw new AwsError("InvalidLookupAttributesException", "LookupAttributes must be a list.");
  }
  if (attributes.length > 1) {
    throw new AwsError(
      "InvalidLookupAttributesException",
      "You can only specify one lookup attribute per request.",
    );
  }
  const [attribute] = attributes as { AttributeKey?: unknown; AttributeValue?: unknown }[];
  if (!attribute) return undefined;
  const { AttributeKey: key, AttributeValue: value } = attribute;
  if (typeof key !== "string" || !LOOKUP_KEYS.includes(key)) {
    throw new AwsError("InvalidLookupAttributesException", `The attribute key ${String(key)} is not valid.`);
  }
  if (typeof value !== "string" || value.length < 1 || value.length > 2000) {
    throw new AwsError(
      "InvalidLookupAttributesException",
      "The attribute value must be 1 to 2000 characters.",
    );
  }
  return { key, value };
}

function matches(record: TrailRecord, attribute: { key: string; value: string }): boolean {
  switch (attribute.key) {
    case "EventId":
    case "EventName":
    case "ReadOnly":
    case "Username":
    case "EventSource":
    case "AccessKeyId":
      return record[attribute.key] === attribute.value;
    case "ResourceType":
      return record.Resources.some((r) => r.ResourceType === attribute.value);
    default:
      return record.Resources.some((r) => r.ResourceName === attribute.value);
  }
}

function lookupEvents(ctx: RequestContext) {
  const attribute = lookupAttribute(ctx);
  const maxResults =
    optionalInt(
      ctx.input,
      "MaxResults",
      1,
      MAX_RESULTS,
      (message) => new AwsError("InvalidMaxResultsException", message),
    ) ?? MAX_RESULTS;
  const category = ctx.input.EventCategory;
  if (category !== undefined && category !== null && category !== "insight") {
    throw new AwsError(
      "InvalidEventCategoryException",
      `The event category ${String(category)} is not valid.`,
    );
  }
  const start = timeInput(ctx, "StartTime");
  const end = timeInput(ctx, "EndTime");
  if (start && end && start.getTime() > end.getTime()) {
    throw new AwsError("InvalidTimeRangeException", "Start time must be earlier than end time.");
  }
  const now = ctx.now().getTime();
  const oldest = Math.max(now - RETENTION_MS, start?.getTime() ?? 0);
  const newest = end?.getTime() ?? now;
  const records =
    category === "insight"
      ? []
      : ctx.account.cloudTrail
          .map((event, index) => ({ event, index }))
          .filter(({ event }) => event.region === ctx.region)
          .filter(({ event }) => event.time.getTime() >= oldest && event.time.getTime() <= newest)
          .sort((a, b) => b.event.time.getTime() - a.event.time.getTime() || a.index - b.index)
          .map(({ event, index }) => buildEvent(ctx, event, index))
          .filter((record) => !attribute || matches(record, attribute));
  const { page, nextToken } = paginate(records, {
    nextToken: ctx.input.NextToken,
    pageSize: maxResults,
    scope: [attribute ?? null, start?.getTime() ?? null, end?.getTime() ?? null, category ?? null],
    invalidToken: () =>
      new AwsError(
        "InvalidNextTokenException",
        "A token that is not valid, or a token that was previously used in a request with different parameters.",
      ),
  });
  return { Events: page, NextToken: nextToken };
}

export const cloudtrail: ServiceDefinition = {
  name: "cloudtrail",
  protocol: "json",
  /** The installed SDK sends `CloudTrail_20131101.<Operation>`; older clients prefix `com.amazonaws.cloudtrail.v20131101.`. */
  targetPrefix: "CloudTrail_20131101",
  handlers: { LookupEvents: lookupEvents },
};
