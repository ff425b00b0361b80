/**
 * The AccountSnapshot: everything mfawatch read from one AWS account, as plain JSON data.
 *
 * Every section is either `{ status: "ok", data }` or `{ status: "error", error }`. A failed
 * call never becomes an empty list: checks that require a section in error are `unknown`.
 */

export const SCHEMA_VERSION = 1;

export interface SectionError {
  /** The AWS error code (`AccessDenied`, `Throttling`, …) or an mfawatch code (`Skipped`, `NetworkError`). */
  code: string;
  message: string;
  /** The AWS operation that failed, e.g. `iam:GetCredentialReport`. */
  operation?: string;
}

export type Section<T> = { status: "ok"; data: T } | { status: "error"; error: SectionError };

/**
 * A credential-report boolean: `true`/`false`, AWS's `not_supported` / `N/A` markers, or any other
 * cell text kept as AWS wrote it (e.g. a status AWS adds later). Only a real boolean is an answer:
 * readers treat every string as "cannot be told".
 */
export type ReportBool = boolean | "not_supported" | "N/A" | (string & {});

/**
 * A credential-report date cell exactly as AWS wrote it: an ISO 8601 date with offset, or one of
 * the markers `N/A`, `no_information`, `not_supported`.
 */
export type ReportDate = string;

/** The credential report's columns, in AWS's order (readers still look them up by header name). */
export const CREDENTIAL_REPORT_COLUMNS = [
  "user",
  "arn",
  "user_creation_time",
  "password_enabled",
  "password_last_used",
  "password_last_changed",
  "password_next_rotation",
  "mfa_active",
  "access_key_1_active",
  "access_key_1_last_rotated",
  "access_key_1_last_used_date",
  "access_key_1_last_used_region",
  "access_key_1_last_used_service",
  "access_key_2_active",
  "access_key_2_last_rotated",
  "access_key_2_last_used_date",
  "access_key_2_last_used_region",
  "access_key_2_last_used_service",
  "cert_1_active",
  "cert_1_last_rotated",
  "cert_2_active",
  "cert_2_last_rotated",
] as const;

export interface CredentialReportAccessKey {
  active: ReportBool;
  lastRotated: ReportDate;
  lastUsedDate: ReportDate;
  lastUsedRegion: string;
  lastUsedService: string;
}

export interface CredentialReportCert {
  active: ReportBool;
  lastRotated: ReportDate;
}

export interface CredentialReportRow {
  user: string;
  arn: string;
  userCreationTime: ReportDate;
  passwordEnabled: ReportBool;
  passwordLastUsed: ReportDate;
  passwordLastChanged: ReportDate;
  passwordNextRotation: ReportDate;
  mfaActive: ReportBool;
  accessKeys: [CredentialReportAccessKey, CredentialReportAccessKey];
  certs: [CredentialReportCert, CredentialReportCert];
}

export interface CredentialReport {
  /** `GeneratedTime` of the report: data can be up to 4 hours older than `collectedAt`. */
  generatedTime: string;
  /** The `<root_account>` row, or null when the report had none. */
  root: CredentialReportRow | null;
  users: CredentialReportRow[];
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** `GetAccountSummary`'s SummaryMap. */
export type AccountSummary = Record<string, number>;

export interface VirtualMfaDevice {
  serialNumber: string;
  /** The ARN of the user the device is assigned to (`arn:aws:iam::<acct>:root` for root). */
  userArn: string | null;
  userName: string | null;
  enableDate: string | null;
}

export interface MfaDevice {
  serialNumber: string;
  enableDate: string;
}

export interface UserMfaDevices {
  /** `ListMFADevices` per user name, for the users that hold a virtual MFA device. */
  byUser: Record<string, MfaDevice[]>;
}

/** A parsed IAM policy document (URL-decoded JSON). */
export type PolicyDocument = Record<string, unknown>;

export interface InlinePolicy {
  name: string;
  document: PolicyDocument;
}

export interface AttachedPolicy {
  name: string;
  arn: string;
}

export interface AuthUser {
  userName: string;
  userId: string;
  arn: string;
  path: string;
  createDate: string;
  groups: string[];
  inlinePolicies: InlinePolicy[];
  attachedManagedPolicies: AttachedPolicy[];
  permissionsBoundaryArn: string | null;
}

export interface AuthGroup {
  groupName: string;
  groupId: string;
  arn: string;
  path: string;
  inlinePolicies: InlinePolicy[];
  attachedManagedPolicies: AttachedPolicy[];
}

export interface AuthRole {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  assumeRolePolicyDocument: PolicyDocument;
  inlinePolicies: InlinePolicy[];
  attachedManagedPolicies: AttachedPolicy[];
  permissionsBoundaryArn: string | null;
}

export interface ManagedPolicy {
  policyName: string;
  arn: string;
  path: string;
  defaultVersionId: string;
  attachmentCount: number;
  /** The default version's document. */
  document: PolicyDocument;
}

export interface AuthorizationDetails {
  users: AuthUser[];
  groups: AuthGroup[];
  roles: AuthRole[];
  policies: ManagedPolicy[];
}

export interface PasswordPolicy {
  minimumPasswordLength?: number;
  requireSymbols?: boolean;
  requireNumbers?: boolean;
  requireUppercaseCharacters?: boolean;
  requireLowercaseCharacters?: boolean;
  allowUsersToChangePassword?: boolean;
  expirePasswords?: boolean;
  maxPasswordAge?: number;
  passwordReusePrevention?: number;
  hardExpiry?: boolean;
}

export interface IdentityProviders {
  oidc: string[];
  saml: string[];
}

export type ConfigCompliance = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE" | "INSUFFICIENT_DATA";

export interface ConfigRule {
  name: string;
  arn: string;
  /** `Source.SourceIdentifier` of an AWS managed rule, e.g. `ROOT_ACCOUNT_MFA_ENABLED`. */
  sourceIdentifier: string;
  state: string;
  /** Compliance from `DescribeComplianceByConfigRule`; null when AWS Config reported none. */
  compliance: ConfigCompliance | null;
  /** The region the rule is deployed in (absent in snapshots that read only `ConfigRules.region`). */
  region?: string;
}

/** A region whose calls failed while the section's other regions were read. */
export interface RegionFailure {
  region: string;
  code: string;
  message: string;
  operation?: string;
}

export interface ConfigRules {
  /** The collection region. */
  region: string;
  /** The regions whose rules were read (absent in older snapshots: only `region` was read). */
  regions?: string[];
  /** Regions whose Config calls failed: their rules, if any, are not in `rules`. */
  failedRegions?: RegionFailure[];
  /** Only the AWS managed rules about MFA (found by source identifier), of every region read. */
  rules: ConfigRule[];
}

/** One CloudTrail event, trimmed to the fields mfawatch reads. */
export interface TrailEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  eventTime: string;
  /** The region whose event history returned it. */
  region: string;
  username: string | null;
  /** The parsed `CloudTrailEvent` JSON (userIdentity, additionalEventData, requestParameters, …). */
  detail: Record<string, unknown>;
}

export interface CloudTrailData {
  start: string;
  end: string;
  /** Regions whose event history was read for sign-in events. */
  regions: string[];
  /** Enabled regions whose event history could not be read (absent in older snapshots). */
  failedRegions?: RegionFailure[];
  events: TrailEvent[];
}

export interface IdentityCenterInstance {
  instanceArn: string;
  identityStoreId: string;
  ownerAccountId: string | null;
  status: string | null;
  region: string;
}

export interface IdentityCenterUser {
  userId: string;
  userName: string;
  identityStoreId: string;
}

export interface IdentityCenter {
  /** Regions searched for an instance. */
  regions: string[];
  /** Regions where the search for an instance failed (absent in older snapshots). */
  failedRegions?: RegionFailure[];
  instances: IdentityCenterInstance[];
  users: IdentityCenterUser[];
}

/** An AWS Config organization rule (read once, from the management or delegated-admin account). */
export interface OrganizationConfigRule {
  name: string;
  arn: string;
  /** The AWS managed rule identifier, e.g. `ROOT_ACCOUNT_MFA_ENABLED`. */
  sourceIdentifier: string;
  /** Accounts the rule is not deployed to. */
  excludedAccounts: string[];
}

export interface OrganizationInfo {
  inOrganization: boolean;
  organizationId: string | null;
  managementAccountId: string | null;
  featureSet: string | null;
}

export interface RootCredentialsManagement {
  /** `EnabledFeatures` ⊆ {RootCredentialsManagement, RootSessions}. */
  enabledFeatures: string[];
}

export interface ServiceControlPolicy {
  id: string;
  name: string;
  arn: string;
  /** The target the policy is attached to: the account, an OU or the root. */
  targetId: string;
  document: PolicyDocument;
}

export interface ServiceControlPolicies {
  /** The chain from the account up to the organization root, e.g. [account, ou-…, r-…]. */
  targets: string[];
  policies: ServiceControlPolicy[];
}

export interface Sections {
  callerIdentity: Section<CallerIdentity>;
  accountSummary: Section<AccountSummary>;
  credentialReport: Section<CredentialReport>;
  virtualMfaDevices: Section<VirtualMfaDevice[]>;
  userMfaDevices: Section<UserMfaDevices>;
  authorizationDetails: Section<AuthorizationDetails>;
  passwordPolicy: Section<PasswordPolicy | null>;
  identityProviders: Section<IdentityProviders>;
  regions: Section<string[]>;
  configRules: Section<ConfigRules>;
  cloudTrail: Section<CloudTrailData>;
  identityCenter: Section<IdentityCenter>;
  organization: Section<OrganizationInfo>;
  rootCredentialsManagement: Section<RootCredentialsManagement>;
  serviceControlPolicies: Section<ServiceControlPolicies>;
}

export type SectionName = keyof Sections;

export const SECTION_NAMES: readonly SectionName[] = [
  "callerIdentity",
  "accountSummary",
  "credentialReport",
  "virtualMfaDevices",
  "userMfaDevices",
  "authorizationDetails",
  "passwordPolicy",
  "identityProviders",
  "regions",
  "configRules",
  "cloudTrail",
  "identityCenter",
  "organization",
  "rootCredentialsManagement",
  "serviceControlPolicies",
];

export type SectionData<N extends SectionName> = Sections[N] extends Section<infer T> ? T : never;

export interface AccountSnapshot {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: "mfawatch"; version: string };
  accountId: string;
  /** Optional account name (from Organizations). */
  accountName?: string;
  partition: string;
  region: string;
  /** When collection started (ISO 8601). Checks use this as "now". */
  collectedAt: string;
  sections: Sections;
}
