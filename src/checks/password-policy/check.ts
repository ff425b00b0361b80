import { accountResource } from "../../engine/runChecks.js";
import { defineCheck } from "../types.js";

export default defineCheck({
  id: "password-policy",
  title: "The IAM password policy requires long, non-reused passwords",
  severity: "low",
  requires: ["passwordPolicy"],
  risk: "Short or recycled IAM user passwords are easier to guess, and a password leaked once keeps working if users may cycle back to it.",
  remediation: {
    console:
      "IAM → Account settings → Password policy → Edit → Custom: minimum length 14, Prevent password reuse: 24",
    cli: "aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24 (the command replaces the whole policy: repeat the other settings you keep)",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
  },
  references: { cis: ["1.8", "1.9"], awsConfig: ["iam-password-policy"], securityHub: ["IAM.15", "IAM.16"] },
  evaluate({ passwordPolicy }, ctx) {
    const resource = accountResource(ctx.accountId);
    const minLength = ctx.options.passwordMinLength;
    const minReuse = ctx.options.passwordReusePrevention;
    const thresholds = { requiredMinimumLength: minLength, requiredReusePrevention: minReuse };
    if (passwordPolicy === null) {
      return [
        ctx.fail(
          resource,
          "The account has no IAM password policy, so AWS's default applies (8 characters, reuse allowed).",
          { passwordPolicy: null, ...thresholds },
        ),
      ];
    }
    const length = passwordPolicy.minimumPasswordLength;
    const reuse = passwordPolicy.passwordReusePrevention;
    const evidence = {
      minimumPasswordLength: length ?? "absent",
      passwordReusePrevention: reuse ?? "absent (reuse allowed)",
      ...thresholds,
    };
    const problems = [
      length !== undefined && length < minLength ? `minimum length is ${length} (needs ${minLength})` : null,
      (reuse ?? 0) < minReuse
        ? `reuse prevention is ${reuse ?? "not set"} (needs ${minReuse} remembered passwords)`
        : null,
    ].filter((p): p is string => p !== null);
    if (problems.length > 0)
      return [ctx.fail(resource, `The IAM password policy is weak: ${problems.join("; ")}.`, evidence)];
    if (length === undefined) {
      return [
        ctx.unknown(
          resource,
          "The IAM password policy does not state its minimum length (MinimumPasswordLength absent).",
          evidence,
        ),
      ];
    }
    return [
      ctx.pass(
        resource,
        `The IAM password policy requires at least ${length} characters and remembers ${reuse} passwords.`,
        evidence,
      ),
    ];
  },
});
