variable "scanning_account_id" {
  description = "The account mfawatch runs in: the management account or a delegated administrator."
  type        = string

  validation {
    condition     = can(regex("^\\d{12}$", var.scanning_account_id))
    error_message = "scanning_account_id is a 12-digit account id."
  }
}

variable "target_ou_ids" {
  description = "Where the audit role is deployed: the organization root id (r-…) for every member account, or OU ids."
  type        = list(string)
}

variable "role_name" {
  description = "The audit role's name; pass the same to 'mfawatch scan --org --role-name'."
  type        = string
  default     = "MfawatchAudit"
}

variable "external_id" {
  description = "Optional external id the audit role requires ('mfawatch scan --org --external-id'); empty for none."
  type        = string
  default     = ""
  sensitive   = true
}

variable "scanner_role_name" {
  description = "Optional: the scanning account's role that runs mfawatch. The audit role then trusts only it, and the scanner and read-only policies are attached to it."
  type        = string
  default     = ""
}

variable "stack_set_name" {
  description = "Name of the CloudFormation StackSet."
  type        = string
  default     = "mfawatch-audit-role"
}

variable "stack_set_region" {
  description = "The region the StackSet instances are created in (IAM is global: one region is enough)."
  type        = string
  default     = "us-east-1"
}
