/**
 * The force-MFA policy, in the structure of AWS's documented example "Allows MFA-authenticated IAM
 * users to manage their own credentials on the Security credentials page":
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html
 */
import type { PolicyDocument } from "../snapshot/types.js";

// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, resolved by AWS.
const OWN_USER = "arn:aws:iam::*:user/${aws:username}";

/** The actions a user keeps without MFA, so that they can enrol a device. */
export const MFA_SELF_SERVICE_ACTIONS = [
  "iam:CreateVirtualMFADevice",
  "iam:EnableMFADevice",
  "iam:GetUser",
  "iam:ListMFADevices",
  "iam:ListVirtualMFADevices",
  "iam:ResyncMFADevice",
  "sts:GetSessionToken",
];

/**
 * The policy document. `operator` is `BoolIfExists` (AWS's template: denies long-term access keys
 * too) unless a test needs the weaker `Bool`.
 */
export function forceMfaPolicy(operator: "BoolIfExists" | "Bool" = "BoolIfExists"): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowViewAccountInfo",
        Effect: "Allow",
        Action: ["iam:GetAccountPasswordPolicy", "iam:GetAccountSummary", "iam:ListVirtualMFADevices"],
        Resource: "*",
      },
      {
        Sid: "AllowManageOwnPasswords",
        Effect: "Allow",
        Action: ["iam:ChangePassword", "iam:GetUser"],
        Resource: OWN_USER,
      },
      {
        Sid: "AllowManageOwnAccessKeys",
        Effect: "Allow",
        Action: ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"],
        Resource: OWN_USER,
      },
      {
        Sid: "AllowManageOwnSigningCertificates",
        Effect: "Allow",
        Action: [
          "iam:DeleteSigningCertificate",
          "iam:ListSigningCertificates",
          "iam:UpdateSigningCertificate",
          "iam:UploadSigningCertificate",
        ],
        Resource: OWN_USER,
      },
      {
        Sid: "AllowManageOwnSSHPublicKeys",
        Effect: "Allow",
        Action: [
          "iam:DeleteSSHPublicKey",
          "iam:GetSSHPublicKey",
          "iam:ListSSHPublicKeys",
          "iam:UpdateSSHPublicKey",
          "iam:UploadSSHPublicKey",
        ],
        Resource: OWN_USER,
      },
      {
        Sid: "AllowManageOwnGitCredentials",
        Effect: "Allow",
        Action: [
          "iam:CreateServiceSpecificCredential",
          "iam:DeleteServiceSpecificCredential",
          "iam:ListServiceSpecificCredentials",
          "iam:ResetServiceSpecificCredential",
          "iam:UpdateServiceSpecificCredential",
        ],
        Resource: OWN_USER,
      },
      {
        Sid: "AllowManageOwnVirtualMFADevice",
        Effect: "Allow",
        Action: ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"],
        Resource: "arn:aws:iam::*:mfa/*",
      },
      {
        Sid: "AllowManageOwnUserMFA",
        Effect: "Allow",
        Action: [
          "iam:DeactivateMFADevice",
          "iam:EnableMFADevice",
          "iam:ListMFADevices",
          "iam:ResyncMFADevice",
        ],
        Resource: OWN_USER,
      },
      {
        Sid: "DenyAllExceptListedIfNoMFA",
        Effect: "Deny",
        NotAction: MFA_SELF_SERVICE_ACTIONS,
        Resource: "*",
        Condition: { [operator]: { "aws:MultiFactorAuthPresent": "false" } },
      },
    ],
  };
}
