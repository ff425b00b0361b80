/**
 * For every operation the collector calls: when only that operation fails, only the sections that
 * depend on it are errors, carrying the code; every other section stays ok.
 */
import { describe, expect, it } from "vitest";
import type { SectionName } from "../snapshot/types.js";
import { SECTION_NAMES } from "../snapshot/types.js";
import { collectAccount } from "./collectAccount.js";
import { fastOptions, MANAGEMENT, startEmulator } from "./test-support/emulator.js";

/** Each operation the collector calls, and the sections that need it. */
const DEPENDENTS: Record<string, SectionName[]> = {
  "sts:GetCallerIdentity": ["callerIdentity"],
  "iam:GetAccountSummary": ["accountSummary"],
  "iam:GenerateCredentialReport": ["credentialReport"],
  "iam:GetCredentialReport": ["credentialReport"],
  "iam:ListVirtualMFADevices": ["virtualMfaDevices", "userMfaDevices"],
  "iam:ListMFADevices": ["userMfaDevices"],
  "iam:GetAccountAuthorizationDetails": ["authorizationDetails"],
  "iam:GetAccountPasswordPolicy": ["passwordPolicy"],
  "iam:ListOpenIDConnectProviders": ["identityProviders"],
  "iam:ListSAMLProviders": ["identityProviders"],
  "iam:ListOrganizationsFeatures": ["rootCredentialsManagement"],
  "ec2:DescribeRegions": ["regions", "configRules", "cloudTrail", "identityCenter"],
  "config:DescribeConfigRules": ["configRules"],
  /** Called only in regions with MFA rules (not us-west-2): those regions fail, the section stays ok. */
  "config:DescribeComplianceByConfigRule": [],
  "cloudtrail:LookupEvents": ["cloudTrail"],
  "sso:ListInstances": ["identityCenter"],
  "identitystore:ListUsers": ["identityCenter"],
  "organizations:DescribeOrganization": ["organization"],
  "organizations:ListParents": ["serviceControlPolicies"],
  "organizations:ListPoliciesForTarget": ["serviceControlPolicies"],
  "organizations:DescribePolicy": ["serviceControlPolicies"],
};

/**
 * The code each fault kind must produce, per protocol (Query/EC2 XML or JSON 1.1); EC2 says
 * UnauthorizedOperation and RequestLimitExceeded.
 */
const KINDS = {
  AccessDenied: { xml: /^AccessDenied$|^UnauthorizedOperation$/, json: /^AccessDeniedException$/ },
  Throttling: {
    xml: /^Throttling$|^RequestLimitExceeded$/,
    json: /^ThrottlingException$|^TooManyRequestsException$/,
  },
  Http500NonAws: { xml: /^HTTP500$/, json: /^HTTP500$/ },
} as const;

const JSON_SERVICES = ["organizations", "config", "cloudtrail", "sso", "identitystore"];

/** Collects with only `operation` failing as `kind`; returns what differs from the expectation. */
async function problems(operation: string, kind: keyof typeof KINDS): Promise<string[]> {
  const emulator = await startEmulator("collect-full");
  try {
    emulator.addFault(MANAGEMENT, { operation, kind });
    const snapshot = await collectAccount(
      fastOptions(emulator, MANAGEMENT, { accountId: MANAGEMENT, userMfaDevices: "all" }),
    );
    const expected = DEPENDENTS[operation] as SectionName[];
    const protocol = JSON_SERVICES.includes(operation.split(":")[0] as string) ? "json" : "xml";
    const found: string[] = [];
    for (const name of SECTION_NAMES) {
      const section = snapshot.sections[name];
      const shown = `${operation} ${kind}: ${name}`;
      if (!expected.includes(name)) {
        if (section.status === "error") found.push(`${shown} should be ok: ${JSON.stringify(section.error)}`);
      } else if (section.status === "ok") {
        found.push(`${shown} should be an error`);
      } else if (!KINDS[kind][protocol].test(section.error.code) || section.error.operation !== operation) {
        found.push(`${shown} has the wrong error: ${JSON.stringify(section.error)}`);
      } else if (
        section.error.message.length < 5 ||
        (kind === "Http500NonAws" && !/HTTP 500/.test(section.error.message))
      ) {
        found.push(`${shown} has no useful message: ${JSON.stringify(section.error)}`);
      }
    }
    if (!emulator.callLog.some((c) => `${c.service}:${c.operation}` === operation && c.status >= 400)) {
      found.push(`${operation} ${kind}: the fault never fired`);
    }
    return found;
  } finally {
    await emulator.close();
  }
}

describe.concurrent("a failing operation fails only the sections that need it", () => {
  it.each(Object.keys(KINDS) as (keyof typeof KINDS)[])("%s of each operation in turn", async (kind) => {
    const found = await Promise.all(Object.keys(DEPENDENTS).map((operation) => problems(operation, kind)));
    expect(found.flat()).toEqual([]);
  });
});
