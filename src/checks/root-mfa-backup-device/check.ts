import { noRootCredentials, rootFacts, rootVirtualDevices, unknownRootMessage } from "../support/root.js";
import { defineCheck } from "../types.js";

export default defineCheck({
  id: "root-mfa-backup-device",
  title: "The root user has a second MFA device",
  severity: "medium",
  requires: [],
  optional: ["credentialReport", "accountSummary", "virtualMfaDevices"],
  risk: "With a single MFA device, losing or breaking it locks the owner out of root until AWS Support completes an account recovery.",
  remediation: {
    console:
      "Sign in as the root user → account menu → Security credentials → Multi-factor authentication (MFA) → Assign MFA device (up to 8 per user); keep the second device in a separate safe place",
    cli: "aws sts assume-root --target-principal <member-account-id> --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials --duration-seconds 900 (then, with those credentials: aws iam list-mfa-devices)",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html",
  },
  references: {},
  evaluate(_data, ctx) {
    const facts = rootFacts(ctx);
    if (!facts.readable)
      return [ctx.unknown(facts.arn, unknownRootMessage(facts), { reasons: facts.reasons })];
    const evidence = facts.evidence;

    if (noRootCredentials(facts)) {
      return [
        ctx.notApplicable(
          facts.arn,
          "The root user has no password, access key or signing certificate, so it cannot sign in and needs no MFA device.",
          evidence,
        ),
      ];
    }
    if (facts.mfa === false)
      return [ctx.fail(facts.arn, "The root user has no MFA device at all.", evidence)];

    const listing = ctx.section("virtualMfaDevices");
    const virtual = listing.status === "ok" ? rootVirtualDevices(listing.data, ctx.accountId) : [];
    const devices = virtual.map((d) => ({ serialNumber: d.serialNumber, enableDate: d.enableDate }));
    if (virtual.length >= 2) {
      return [
        ctx.pass(facts.arn, `The root user has ${virtual.length} virtual MFA devices.`, {
          ...evidence,
          rootVirtualDevices: devices,
        }),
      ];
    }
    const seen =
      listing.status === "ok"
        ? `the virtual MFA device listing shows ${virtual.length} for root`
        : `the virtual MFA device listing failed (${listing.error.code})`;
    return [
      ctx.unknown(
        facts.arn,
        `How many MFA devices the root user has cannot be observed from outside root (${seen}): only an sts:AssumeRoot audit session (centralized root access with RootSessions) can list root's devices.`,
        { ...evidence, rootVirtualDevices: devices },
      ),
    ];
  },
});
