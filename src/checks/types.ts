import type { AccountSnapshot, Section, SectionData, SectionName } from "../snapshot/types.js";

export type Severity = "critical" | "high" | "medium" | "low" | "info";

export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

export type ResultStatus = "pass" | "fail" | "unknown" | "error" | "not_applicable";

/** Facts a verdict rests on, so that a reader can check it by hand. JSON-serialisable. */
export type Evidence = Record<string, unknown>;

/** What a check's `evaluate` returns for one resource; the engine adds the rest. */
export interface Finding {
  resource: string;
  status: ResultStatus;
  message: string;
  evidence: Evidence;
}

export interface Suppression {
  reason: string;
  expires?: string;
}

/** One verdict about one resource, as stored and reported. */
export interface CheckResult {
  checkId: string;
  accountId: string;
  resource: string;
  status: ResultStatus;
  severity: Severity;
  message: string;
  evidence: Evidence;
  /** Present when a suppression in the configuration matched; suppressed results do not count in the score. */
  suppressed?: Suppression;
}

export type IdentityCenterAttestation = "required" | "every-sign-in" | "context-aware";

/** Thresholds and attestations that checks read; all have defaults (see DEFAULT_CHECK_OPTIONS). */
export interface CheckOptions {
  /** Access keys older than this many days should be rotated. */
  accessKeyMaxAgeDays: number;
  /** Active access keys unused for this many days are flagged. */
  accessKeyUnusedDays: number;
  /** Root used within this many days is flagged. */
  rootRecentUseDays: number;
  /** Console users older than this many days who never enrolled MFA nor signed in are flagged. */
  userMfaGraceDays: number;
  /** Minimum password length the password policy must require. */
  passwordMinLength: number;
  /** Minimum number of remembered passwords the password policy must prevent reusing. */
  passwordReusePrevention: number;
  /** What the account owner attests about IAM Identity Center's MFA setting (AWS has no API to read it). */
  identityCenterMfa: IdentityCenterAttestation | null;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  accessKeyMaxAgeDays: 90,
  accessKeyUnusedDays: 45,
  rootRecentUseDays: 90,
  userMfaGraceDays: 7,
  passwordMinLength: 14,
  passwordReusePrevention: 24,
  identityCenterMfa: null,
};

export interface CheckContext {
  /** The snapshot's `collectedAt`: checks never read the clock. */
  now: Date;
  accountId: string;
  /** The snapshot's collection region (`aws:RequestedRegion` of simulated requests). */
  region: string;
  options: CheckOptions;
  /** The raw section, for sections a check lists as `optional`. */
  section<N extends SectionName>(name: N): AccountSnapshot["sections"][N];
  pass(resource: string, message: string, evidence?: Evidence): Finding;
  fail(resource: string, message: string, evidence?: Evidence): Finding;
  unknown(resource: string, message: string, evidence?: Evidence): Finding;
  notApplicable(resource: string, message: string, evidence?: Evidence): Finding;
}

export interface Remediation {
  /** Console steps. */
  console: string;
  /** An AWS CLI command. */
  cli: string;
  /** A link to AWS documentation. */
  docs: string;
}

export interface References {
  /** CIS AWS Foundations Benchmark v3.0 recommendation numbers. */
  cis?: string[];
  /** AWS Config managed rule identifiers (kebab-case). */
  awsConfig?: string[];
  /** AWS Security Hub control ids. */
  securityHub?: string[];
}

export type RequiredData<R extends SectionName> = { [K in R]: SectionData<K> };

export interface CheckDefinition<R extends SectionName = SectionName> {
  id: string;
  title: string;
  severity: Severity;
  /** Sections that must be `ok`; otherwise the engine reports `unknown` with the reason. */
  requires: readonly R[];
  /** Sections read through `ctx.section()` when present; their absence is the check's to handle. */
  optional?: readonly SectionName[];
  /** Why it matters. */
  risk: string;
  remediation: Remediation;
  references: References;
  evaluate(data: RequiredData<R>, ctx: CheckContext): Finding[];
}

/** A check with its section types erased, as held in the registry. */
export type AnyCheck = CheckDefinition<SectionName>;

export function defineCheck<R extends SectionName>(check: CheckDefinition<R>): AnyCheck {
  return check as unknown as AnyCheck;
}

export type { Section };
