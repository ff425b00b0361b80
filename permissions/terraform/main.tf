# mfawatch for AWS Organizations, from the management account:
# - the audit role in every member account, as a service-managed CloudFormation StackSet of
#   ../cloudformation/mfawatch-audit-role.yaml (new accounts get it automatically);
# - the policy of the scanning principal (../mfawatch-scanner-policy.json with the role name
#   applied, plus the read-only policy for the scanning account itself), attached to
#   var.scanner_role_name when given.

locals {
  scanner_policy = replace(
    file("${path.module}/../mfawatch-scanner-policy.json"),
    "role/MfawatchAudit",
    "role/${var.role_name}",
  )
}

resource "aws_cloudformation_stack_set" "audit_role" {
  name             = var.stack_set_name
  description      = "mfawatch read-only audit role in every member account"
  permission_model = "SERVICE_MANAGED"
  capabilities     = ["CAPABILITY_NAMED_IAM"]
  template_body    = file("${path.module}/../cloudformation/mfawatch-audit-role.yaml")

  parameters = {
    ScanningAccountId     = var.scanning_account_id
    ScanningPrincipalName = var.scanner_role_name
    RoleName              = var.role_name
    ExternalId            = var.external_id
  }

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  operation_preferences {
    failure_tolerance_percentage = 10
    max_concurrent_percentage    = 50
  }

  lifecycle {
    ignore_changes = [administration_role_arn]
  }
}

resource "aws_cloudformation_stack_set_instance" "audit_role" {
  stack_set_name = aws_cloudformation_stack_set.audit_role.name
  region         = var.stack_set_region

  deployment_targets {
    organizational_unit_ids = var.target_ou_ids
  }
}

resource "aws_iam_policy" "scanner" {
  name        = "mfawatch-scanner"
  description = "mfawatch scan --org: list the organization and assume ${var.role_name} in member accounts"
  policy      = local.scanner_policy
}

resource "aws_iam_policy" "readonly" {
  name        = "mfawatch-readonly"
  description = "mfawatch: read the scanning account's own MFA and credential posture"
  policy      = file("${path.module}/../mfawatch-readonly.json")
}

resource "aws_iam_role_policy_attachment" "scanner" {
  count      = var.scanner_role_name == "" ? 0 : 1
  role       = var.scanner_role_name
  policy_arn = aws_iam_policy.scanner.arn
}

resource "aws_iam_role_policy_attachment" "readonly" {
  count      = var.scanner_role_name == "" ? 0 : 1
  role       = var.scanner_role_name
  policy_arn = aws_iam_policy.readonly.arn
}
