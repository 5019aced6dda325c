variable "name" {
  description = "Name prefix for the module's key and policy, e.g. `ums-oneroster-prod`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "tenants" {
  description = <<-EOT
    The tenants, keyed by tenant id (the configuration's `tenantId`: 1-63 of a-z, 0-9 and '-').
    Onboarding a municipality or school is one entry here, then `ums-oneroster tenant put FILE`.
      display_name     shown in the secret's description
      custom_domain    optional host name of the tenant's own (the SDS profile's "Web access URL"):
        name               lowercase DNS name, e.g. oneroster.aarhus.dk
        route53_zone_id    Route 53 zone holding the name (inLogic-managed): validation and alias
                           records are written here. null: the customer runs the zone, and the
                           records to publish are in the output `customer_dns_records`.
        certificate_issued customer-run zones only: set true once the customer has published the
                           validation record and ACM shows the certificate as issued; the domain is
                           then served (a certificate must be issued before API Gateway takes it).
  EOT
  type = map(object({
    display_name = string
    custom_domain = optional(object({
      name               = string
      route53_zone_id    = optional(string)
      certificate_issued = optional(bool, false)
    }))
  }))

  validation {
    condition     = alltrue([for id in keys(var.tenants) : can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", id))])
    error_message = "Tenant ids must be 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-'."
  }

  validation {
    condition     = alltrue([for tenant in values(var.tenants) : length(trimspace(tenant.display_name)) > 0])
    error_message = "display_name must not be empty."
  }

  validation {
    condition = alltrue([
      for tenant in values(var.tenants) :
      tenant.custom_domain == null ? true : can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", tenant.custom_domain.name))
    ])
    error_message = "A custom domain must be a lowercase DNS name without a trailing dot."
  }

  validation {
    condition = length(distinct([for tenant in values(var.tenants) : tenant.custom_domain.name if tenant.custom_domain != null])) == length(
      [for tenant in values(var.tenants) : tenant.custom_domain.name if tenant.custom_domain != null]
    )
    error_message = "Two tenants cannot share a custom domain."
  }
}

variable "secret_prefix" {
  description = "Prefix of the tenant secrets: `<prefix><tenant id>` and the host index `<prefix>_hosts` (the function's UMS_SECRET_PREFIX)."
  type        = string
  default     = "ums-oneroster/tenants/"

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]+/$", var.secret_prefix))
    error_message = "secret_prefix must end with '/' and use only Secrets Manager name characters."
  }
}

variable "recovery_window_days" {
  description = "Days a deleted tenant secret can still be restored."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_days >= 7 && var.recovery_window_days <= 30
    error_message = "recovery_window_days must be between 7 and 30."
  }
}

variable "base_domain" {
  description = "Base domain under which every tenant also answers as `{tenant}.<base domain>` (a wildcard certificate and domain); null for none."
  type        = string
  default     = null

  validation {
    condition     = var.base_domain == null || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.base_domain))
    error_message = "base_domain must be a lowercase DNS name."
  }
}

variable "base_domain_zone_id" {
  description = "Route 53 zone of the base domain (inLogic-managed); required with base_domain."
  type        = string
  default     = null
}

variable "rest_api_id" {
  description = "REST API the domains map to (api module output `rest_api_id`)."
  type        = string
}

variable "stage_name" {
  description = "Stage the domains map to (api module output `stage_name`)."
  type        = string
}

variable "function_role_name" {
  description = "IAM role of the function (api module output `function_role_name`); it gets read access to `<prefix>*` only."
  type        = string
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
