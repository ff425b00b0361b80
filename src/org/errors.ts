/** Why one account of an organization scan could not be scanned at all. */
export class AccountScanError extends Error {
  constructor(
    /** The AWS error code (`AccessDenied`, `Throttling`, …) or `Timeout`, `Interrupted`, `NotActive`, `NotInOrganization`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AccountScanError";
  }
}

/** The organization scan could not start (no credentials, accounts cannot be listed). */
export class OrganizationScanError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "OrganizationScanError";
  }
}
