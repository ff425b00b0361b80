import { accountResource } from "../../engine/runChecks.js";
import type { IdentityCenterInstance, TrailEvent } from "../../snapshot/types.js";
import { defineCheck } from "../types.js";

const MFA_TYPES = new Set(["TOTP", "WEBAUTHN", "RESYNC_TOTP"]);

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

interface SignIn {
  eventId: string;
  eventTime: string;
  user: string;
  credentialTypes: string[];
}

/** Successful Identity Center sign-ins (UserAuthentication = Success) recorded in the instance's region. */
function signIns(events: readonly TrailEvent[], instance: IdentityCenterInstance): SignIn[] {
  return events
    .filter((e) => e.eventName === "UserAuthentication" && e.eventSource === "signin.amazonaws.com")
    .filter((e) => e.region === instance.region)
    .filter((e) => record(e.detail.serviceEventDetails).UserAuthentication === "Success")
    .map((e) => {
      const extra = record(e.detail.additionalEventData);
      const identity = record(e.detail.userIdentity);
      const types = text(extra.CredentialType) ?? "";
      return {
        eventId: e.eventId,
        eventTime: e.eventTime,
        user:
          text(extra.UserName) ??
          text(identity.userName) ??
          e.username ??
          text(record(identity.onBehalfOf).userId) ??
          "an unidentified user",
        credentialTypes: types
          .split(",")
          .map((t) => t.trim().toUpperCase())
          .filter((t) => t !== ""),
      };
    });
}

export default defineCheck({
  id: "identity-center-mfa",
  title: "IAM Identity Center requires MFA at sign-in",
  severity: "high",
  requires: ["identityCenter", "cloudTrail"],
  risk: "Identity Center users reach every account and permission set assigned to them; without MFA a phished password opens all of them.",
  remediation: {
    console:
      "IAM Identity Center → Settings → Authentication → Multi-factor authentication → Configure → Prompt users for MFA: Every time they sign in (always-on); If a user does not yet have a registered MFA device: Require them to register an MFA device at sign in",
    cli: "AWS has no API to read or set this; after configuring it in the console, attest it in mfawatch.config.yaml: identityCenter: { mfa: required }",
    docs: "https://docs.aws.amazon.com/singlesignon/latest/userguide/mfa-getting-started.html",
  },
  references: {},
  evaluate({ identityCenter, cloudTrail }, ctx) {
    if (identityCenter.instances.length === 0) {
      return [
        ctx.notApplicable(
          accountResource(ctx.accountId),
          `No IAM Identity Center instance was found in the regions searched (${identityCenter.regions.join(", ")}).`,
          { regionsSearched: identityCenter.regions },
        ),
      ];
    }
    const attestation = ctx.options.identityCenterMfa;
    return identityCenter.instances.map((instance) => {
      const base = {
        instanceArn: instance.instanceArn,
        region: instance.region,
        cloudTrailWindow: { start: cloudTrail.start, end: cloudTrail.end },
        cloudTrailRegions: cloudTrail.regions,
      };
      if (!cloudTrail.regions.includes(instance.region)) {
        return ctx.unknown(
          instance.instanceArn,
          `The instance is in ${instance.region}, whose CloudTrail sign-in events were not read; AWS offers no API to read the MFA setting.`,
          base,
        );
      }
      const seen = signIns(cloudTrail.events, instance);
      const external = seen.filter((s) => s.credentialTypes.includes("EXTERNAL_IDP"));
      const withMfa = seen.filter(
        (s) => !external.includes(s) && s.credentialTypes.some((t) => MFA_TYPES.has(t)),
      );
      const withoutMfa = seen.filter(
        (s) => !external.includes(s) && !withMfa.includes(s) && s.credentialTypes.length > 0,
      );
      const evidence = {
        ...base,
        successfulSignIns: seen.length,
        signInsWithMfa: withMfa.length,
        signInsThroughExternalIdp: external.length,
      };

      if (withoutMfa.length > 0) {
        const users = [...new Set(withoutMfa.map((s) => s.user))].join(", ");
        const types = [...new Set(withoutMfa.map((s) => s.credentialTypes.join(",")))].join(" / ");
        const count = `${withoutMfa.length} sign-in${withoutMfa.length === 1 ? "" : "s"}`;
        return ctx.fail(
          instance.instanceArn,
          `Identity Center let ${users} sign in without MFA (${count} with ${types}).`,
          { ...evidence, signInsWithoutMfa: withoutMfa },
        );
      }
      if (attestation) {
        return ctx.pass(
          instance.instanceArn,
          `MFA is attested as "${attestation}" in the configuration (not readable from AWS), and no sign-in without MFA was seen among ${seen.length}.`,
          { ...evidence, attested: attestation },
        );
      }
      return ctx.unknown(
        instance.instanceArn,
        `AWS offers no API to read Identity Center's MFA setting; the ${seen.length} successful sign-ins seen (${withMfa.length} with MFA, ${external.length} through an external IdP) do not prove MFA is required. Attest it with identityCenter: { mfa: required } in mfawatch.config.yaml.`,
        evidence,
      );
    });
  },
});
