import { accountResource } from "../../engine/runChecks.js";
import type { IdentityCenterInstance, RegionFailure, TrailEvent } from "../../snapshot/types.js";
import { describeFailedRegions } from "../support/cloudTrail.js";
import { type CheckContext, defineCheck, type Finding } from "../types.js";

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

/**
 * Successful Identity Center sign-ins (UserAuthentication = Success) recorded in the instance's
 * region. Current events name the user only by `onBehalfOf.userId`: `names` maps that id to the
 * user name from the identity store listing.
 */
function signIns(
  events: readonly TrailEvent[],
  instance: IdentityCenterInstance,
  names: ReadonlyMap<string, string>,
): SignIn[] {
  return events
    .filter((e) => e.eventName === "UserAuthentication" && e.eventSource === "signin.amazonaws.com")
    .filter((e) => e.region === instance.region)
    .filter((e) => record(e.detail.serviceEventDetails).UserAuthentication === "Success")
    .map((e) => {
      const extra = record(e.detail.additionalEventData);
      const identity = record(e.detail.userIdentity);
      const types = text(extra.CredentialType) ?? "";
      const userId = text(record(identity.onBehalfOf).userId);
      return {
        eventId: e.eventId,
        eventTime: e.eventTime,
        user:
          text(extra.UserName) ??
          text(identity.userName) ??
          e.username ??
          (userId ? (names.get(userId) ?? `user id ${userId}`) : undefined) ??
          "an unidentified user",
        credentialTypes: types
          .split(",")
          .map((t) => t.trim().toUpperCase())
          .filter((t) => t !== ""),
      };
    });
}

/**
 * No instance was found: not_applicable only when every enabled region was searched (the optional
 * `regions` section lists them); otherwise the instance may be in a region that was not searched.
 */
function noInstance(searched: string[], failed: RegionFailure[], ctx: CheckContext): Finding {
  const account = accountResource(ctx.accountId);
  const enabled = ctx.section("regions");
  const evidence: Record<string, unknown> = { regionsSearched: searched, failedRegions: failed };
  if (failed.length > 0) {
    return ctx.unknown(
      account,
      `No IAM Identity Center instance was found in the regions searched (${searched.join(", ")}), but the search failed in ${describeFailedRegions(failed)}, where an instance may be.`,
      evidence,
    );
  }
  if (enabled.status === "error") {
    return ctx.unknown(
      account,
      `No IAM Identity Center instance was found in the regions searched (${searched.join(", ")}), but the account's enabled regions could not be listed (${enabled.error.code}: ${enabled.error.message}), so an instance in another region cannot be ruled out.`,
      { ...evidence, enabledRegions: `not read: ${enabled.error.code}` },
    );
  }
  const unsearched = enabled.data.filter((r) => !searched.includes(r));
  evidence.enabledRegions = enabled.data;
  if (unsearched.length > 0) {
    return ctx.unknown(
      account,
      `No IAM Identity Center instance was found in the regions searched (${searched.join(", ")}), but ${unsearched.join(", ")} ${unsearched.length === 1 ? "was" : "were"} not searched; search every enabled region (or the region of the instance) to judge it.`,
      { ...evidence, regionsNotSearched: unsearched },
    );
  }
  return ctx.notApplicable(
    account,
    `No IAM Identity Center instance was found in any enabled region (${searched.join(", ")}).`,
    evidence,
  );
}

export default defineCheck({
  id: "identity-center-mfa",
  title: "IAM Identity Center requires MFA at sign-in",
  severity: "high",
  requires: ["identityCenter", "cloudTrail"],
  optional: ["regions"],
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
      return [noInstance(identityCenter.regions, identityCenter.failedRegions ?? [], ctx)];
    }
    const names = new Map(identityCenter.users.map((u) => [u.userId, u.userName]));
    const attestation = ctx.options.identityCenterMfa;
    return identityCenter.instances.map((instance) => {
      const base = {
        instanceArn: instance.instanceArn,
        region: instance.region,
        cloudTrailWindow: { start: cloudTrail.start, end: cloudTrail.end },
        cloudTrailRegions: cloudTrail.regions,
        cloudTrailFailedRegions: cloudTrail.failedRegions ?? [],
      };
      if (!cloudTrail.regions.includes(instance.region)) {
        return ctx.unknown(
          instance.instanceArn,
          `The instance is in ${instance.region}, whose CloudTrail sign-in events were not read; AWS offers no API to read the MFA setting.`,
          base,
        );
      }
      const seen = signIns(cloudTrail.events, instance, names);
      const external = seen.filter((s) => s.credentialTypes.includes("EXTERNAL_IDP"));
      const unclear = seen.filter((s) => s.credentialTypes.length === 0);
      const withMfa = seen.filter(
        (s) => !external.includes(s) && s.credentialTypes.some((t) => MFA_TYPES.has(t)),
      );
      const withoutMfa = seen.filter(
        (s) => !external.includes(s) && !withMfa.includes(s) && !unclear.includes(s),
      );
      const evidence = {
        ...base,
        successfulSignIns: seen.length,
        signInsWithMfa: withMfa.length,
        signInsThroughExternalIdp: external.length,
        signInsWithoutMfa: withoutMfa,
        unclearSignIns: unclear,
      };
      const counts = `${seen.length} successful sign-ins seen: ${withMfa.length} with MFA, ${withoutMfa.length} without, ${external.length} through an external IdP, ${unclear.length} unclear (no CredentialType)`;

      if (withoutMfa.length > 0 && attestation !== "context-aware") {
        const users = [...new Set(withoutMfa.map((s) => s.user))].join(", ");
        const types = [...new Set(withoutMfa.map((s) => s.credentialTypes.join(",")))].join(" / ");
        const count = `${withoutMfa.length} sign-in${withoutMfa.length === 1 ? "" : "s"}`;
        const hint = attestation
          ? `, which contradicts the "${attestation}" attestation`
          : '; if MFA is set to "Only when their sign-in context changes", attest identityCenter: { mfa: context-aware }';
        return ctx.fail(
          instance.instanceArn,
          `Identity Center let ${users} sign in without MFA (${count} with ${types})${hint}.`,
          evidence,
        );
      }
      if (attestation === "context-aware") {
        return ctx.pass(
          instance.instanceArn,
          `MFA is attested as "context-aware" in the configuration (not readable from AWS): users are asked for MFA when their sign-in context changes, not at every sign-in, so password-only sign-ins from a known context are expected and not evidence against it (${counts}).`,
          { ...evidence, attested: attestation },
        );
      }
      if (attestation) {
        return ctx.pass(
          instance.instanceArn,
          `MFA is attested as "${attestation}" in the configuration (not readable from AWS), and no sign-in without MFA was seen (${counts}).`,
          { ...evidence, attested: attestation },
        );
      }
      return ctx.unknown(
        instance.instanceArn,
        `AWS offers no API to read Identity Center's MFA setting; the sign-ins seen do not prove MFA is required (${counts}). Attest it with identityCenter: { mfa: required } in mfawatch.config.yaml.`,
        evidence,
      );
    });
  },
});
