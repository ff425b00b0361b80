output "role_name" {
  description = "The audit role's name in every member account."
  value       = var.role_name
}

output "scanner_policy_arn" {
  description = "The policy the scanning principal needs (list the organization, assume the audit role)."
  value       = aws_iam_policy.scanner.arn
}

output "readonly_policy_arn" {
  description = "The read-only policy for the scanning account's own scan."
  value       = aws_iam_policy.readonly.arn
}
