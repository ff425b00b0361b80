import { noRootCredentials, rootFacts, rootVirtualDevices, unknownRootMessage } from "../support/root.js";
import { defineCheck } from "../types.js";

export default defineCheck({
  id: "root-mfa-phishing-resistant",
  title: "The root user's MFA is not only a virtual authenticator app",
  severity: "high",
  requires: [],
  optional: ["credentialReport", "accountSummary", "virtualMfaDevices"],
  risk: "A code from an authenticator app can be phished together with the root password, and the app's secret lives on a phone or laptop that can be copied or lost.",
  remediation: {
    console:
      "Sign in as the root user → account menu → Security credentials → Assign MFA device → Passkey or security key (or Hardware TOTP token); then remove the virtual device",
    cli: "aws iam list-virtual-mfa-devices --assignment-status Assigned --query \"VirtualMFADevices[?User.Arn=='arn:aws:iam::<account-id>:root']\"",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html",
  },
  references: { cis: ["1.6"], awsConfig: ["root-account-hardware-mfa-enabled"], securityHub: ["IAM.6"] },
  evaluate(_data, ctx) {
    const facts = rootFacts(ctx);
    if (!facts.readable)
      return [ctx.unknown(facts.arn, unknownRootMessage(facts), { reasons: facts.reasons })];
    const evidence = facts.evidence;

    if (noRootCredentials(facts)) {
      return [
        ctx.notApplicable(
          facts.arn,
          "The root user has no password, access key or signing certificate, so it cannot sign in and its MFA does not matter.",
          evidence,
        ),
      ];
    }
    if (facts.mfa === false) return [ctx.fail(facts.arn, "The root user has no MFA at all.", evidence)];
    if (facts.mfa === null) {
      return [
        ctx.unknown(
          facts.arn,
          "Whether the root user has MFA cannot be told from the report or the account summary.",
          evidence,
        ),
      ];
    }

    const listing = ctx.section("virtualMfaDevices");
    if (listing.status === "error") {
      return [
        ctx.unknown(
          facts.arn,
          `The root user has MFA, but whether it is a virtual device cannot be told: virtualMfaDevices: ${listing.error.code}: ${listing.error.message}.`,
          evidence,
        ),
      ];
    }
    const virtual = rootVirtualDevices(listing.data, ctx.accountId);
    if (virtual.length > 0) {
      return [
        ctx.fail(
          facts.arn,
          "The root user signs in with a virtual MFA device (an authenticator app); a FIDO security key it may also hold is visible only in an sts:AssumeRoot audit session.",
          {
            ...evidence,
            rootVirtualDevices: virtual.map((d) => ({
              serialNumber: d.serialNumber,
              enableDate: d.enableDate,
            })),
          },
        ),
      ];
    }
    return [
      ctx.pass(
        facts.arn,
        "The root user has MFA and no virtual MFA device: it is a hardware TOTP token or a FIDO security key; which one is visible only in an sts:AssumeRoot audit.",
        { ...evidence, rootVirtualDevices: [], virtualMfaDevicesListed: listing.data.length },
      ),
    ];
  },
});
