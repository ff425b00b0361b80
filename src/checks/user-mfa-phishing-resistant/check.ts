import type { MfaDevice } from "../../snapshot/types.js";
import {
  consoleUsers,
  rowEvidence,
  unclearConsoleUsers,
  unclearPasswordMessage,
} from "../support/credentialReport.js";
import { defineCheck } from "../types.js";

type Kind = "virtual" | "fido" | "hardware" | "sms";

/** The kind of an MFA device from its serial: an ARN for virtual, FIDO and SMS devices, a bare serial for hardware tokens. */
function deviceKind(serial: string): Kind {
  if (!serial.startsWith("arn:")) return "hardware";
  if (serial.includes(":u2f/")) return "fido";
  if (serial.includes(":sms-mfa/")) return "sms";
  return "virtual";
}

const KIND_NAMES: Record<Kind, string> = {
  virtual: "a virtual device",
  fido: "a FIDO security key",
  hardware: "a hardware TOTP token",
  sms: "an SMS device",
};

export default defineCheck({
  id: "user-mfa-phishing-resistant",
  title: "Console users hold a FIDO security key or hardware token, not only a virtual device",
  severity: "low",
  requires: ["credentialReport", "virtualMfaDevices"],
  optional: ["userMfaDevices"],
  risk: "Codes from an authenticator app can be phished in real time together with the password; a FIDO security key is bound to the AWS sign-in page and cannot be.",
  remediation: {
    console: "IAM → Users → <user> → Security credentials → Assign MFA device → Passkey or security key",
    cli: "aws iam list-mfa-devices --user-name <user> (a FIDO security key is registered in the console; then aws iam deactivate-mfa-device --user-name <user> --serial-number <virtual serial>)",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html",
  },
  references: {},
  evaluate({ credentialReport, virtualMfaDevices }, ctx) {
    const listed = ctx.section("userMfaDevices");
    const unclear = unclearConsoleUsers(credentialReport).map((user) =>
      ctx.unknown(user.arn, unclearPasswordMessage(user), rowEvidence(user, credentialReport.generatedTime)),
    );
    const judged = consoleUsers(credentialReport).map((user) => {
      const evidence: Record<string, unknown> = rowEvidence(user, credentialReport.generatedTime);
      if (user.mfaActive === false) {
        return ctx.notApplicable(
          user.arn,
          `${user.user} signs in to the console with no MFA at all: user-console-mfa fails them, so this check (which kind of MFA) does not count them twice.`,
          evidence,
        );
      }
      if (user.mfaActive !== true) {
        return ctx.unknown(
          user.arn,
          `Whether ${user.user} has MFA cannot be told: the credential report's mfa_active is "${user.mfaActive}", not true or false.`,
          evidence,
        );
      }
      const virtual = virtualMfaDevices.filter((d) => d.userArn === user.arn).map((d) => d.serialNumber);
      evidence.virtualDevices = virtual;
      if (virtual.length === 0) {
        return ctx.pass(
          user.arn,
          `${user.user} has MFA per the credential report of ${credentialReport.generatedTime} and no virtual device in the live listing, so only hardware TOTP tokens or FIDO security keys (a virtual device deleted after the report would make this stale).`,
          { ...evidence, mfaActiveAsOf: credentialReport.generatedTime },
        );
      }
      if (listed.status === "error") {
        return ctx.unknown(
          user.arn,
          `${user.user} has a virtual MFA device, and whether they also hold a FIDO key or hardware token cannot be told: userMfaDevices: ${listed.error.code}: ${listed.error.message}.`,
          evidence,
        );
      }
      const devices: MfaDevice[] | undefined = listed.data.byUser[user.user];
      if (!devices) {
        return ctx.unknown(
          user.arn,
          `${user.user} has a virtual MFA device, but their devices were not listed (no iam:ListMFADevices result for them).`,
          evidence,
        );
      }
      evidence.mfaDevices = devices.map((d) => ({ ...d, kind: deviceKind(d.serialNumber) }));
      const strong = devices.find((d) => ["fido", "hardware"].includes(deviceKind(d.serialNumber)));
      return strong
        ? ctx.pass(
            user.arn,
            `${user.user} holds ${KIND_NAMES[deviceKind(strong.serialNumber)]} besides a virtual device.`,
            evidence,
          )
        : ctx.fail(
            user.arn,
            `${user.user} signs in with only a virtual MFA device (or SMS), which can be phished.`,
            evidence,
          );
    });
    return [...judged, ...unclear];
  },
});
