import type { ResultStatus, Severity } from "../checks/types.js";

/** What one failing finding adds to an account's risk score. */
export interface Contribution {
  checkId: string;
  resource: string;
  severity: Severity;
  /** Points added to the score by this finding (they sum to the score). */
  points: number;
  message: string;
}

/** Coverage per check: in an organization, per (account, check) pair. */
export interface Coverage {
  /** Checks none of whose unsuppressed results is unknown or error. */
  evaluated: number;
  /** Checks with at least one unknown or error result: lost coverage, never passes. */
  unknown: number;
  /** evaluated / (evaluated + unknown), 1 when there is nothing to judge. */
  ratio: number;
}

export interface AccountScore {
  accountId: string;
  /** 0–100: 0 = nothing known wrong. */
  score: number;
  coverage: Coverage;
  /** Results per status, suppressed ones excluded (counted in `suppressed`). */
  counts: Record<ResultStatus, number>;
  suppressed: number;
  /** Failing, unsuppressed results per severity. */
  failing: Record<Severity, number>;
  /** Every failing finding's contribution, largest first. */
  contributions: Contribution[];
  /** The checks and resources that could not be judged, with the reason. */
  unknowns: { checkId: string; resource: string; message: string }[];
}

/** What one severity tier adds to the organization score (the tiers sum to the score). */
export interface TierPoints {
  severity: Severity;
  /** Failing, unsuppressed findings of this severity across all accounts. */
  failing: number;
  /** Accounts with at least one such finding. */
  accounts: number;
  points: number;
}

export interface OrganizationScore {
  /** 0–100, aggregated from the accounts (see docs/SCORING.md). */
  score: number;
  accounts: { accountId: string; score: number; coverage: number }[];
  coverage: Coverage;
  failing: Record<Severity, number>;
  /** Points per severity tier, in SEVERITIES order; they sum to `score`. */
  tiers: TierPoints[];
}
