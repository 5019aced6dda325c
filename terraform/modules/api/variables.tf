variable "name" {
  description = "Name of the function, the REST API and the web ACL, and prefix of everything else, e.g. `ums-oneroster-prod`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

################################################################################
# Function
################################################################################

variable "lambda_zip_path" {
  description = "Path of the function package built by `make lambda` (target/lambda/bootstrap/bootstrap.zip: the arm64 `bootstrap` binary)."
  type        = string

  validation {
    condition     = endswith(var.lambda_zip_path, ".zip")
    error_message = "lambda_zip_path must name the .zip that `make lambda` builds."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB (CPU grows with it). JSON encoding of 5000-record pages is the heaviest work."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be between 128 and 10240 MB."
  }
}

variable "timeout_seconds" {
  description = "Function timeout. Below the gateway's 29 s integration timeout, so the function, not the gateway, ends a slow request and logs it."
  type        = number
  default     = 28

  validation {
    condition     = var.timeout_seconds >= 3 && var.timeout_seconds <= 28
    error_message = "timeout_seconds must be between 3 and 28: the integration gives up at 29 s."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions: a ceiling that protects the municipalities' SQL Servers and the account's other functions."
  type        = number
  default     = 50

  validation {
    condition     = var.reserved_concurrency >= 1
    error_message = "reserved_concurrency must be at least 1."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the function (network module output `private_subnet_ids`)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must list at least two subnets (two availability zones)."
  }
}

variable "security_group_ids" {
  description = "Security groups of the function (network module output `function_security_group_id`)."
  type        = list(string)

  validation {
    condition     = length(var.security_group_ids) >= 1
    error_message = "security_group_ids must name at least one group."
  }
}

variable "secret_prefix" {
  description = "Prefix of the tenant secrets in Secrets Manager (UMS_SECRET_PREFIX); must equal the tenant module's."
  type        = string
  default     = "ums-oneroster/tenants/"

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]+/$", var.secret_prefix))
    error_message = "secret_prefix must end with '/' and use only Secrets Manager name characters."
  }
}

variable "base_domain" {
  description = "Base domain under which every tenant answers as `{tenant}.<base domain>` (UMS_BASE_DOMAIN); null for custom domains only."
  type        = string
  default     = null

  validation {
    condition     = var.base_domain == null || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.base_domain))
    error_message = "base_domain must be a lowercase DNS name."
  }
}

variable "tenant_cache_ttl_seconds" {
  description = "How long a function instance reuses a tenant configuration before asking Secrets Manager again (UMS_TENANT_CACHE_TTL_SECS)."
  type        = number
  default     = 300

  validation {
    condition     = var.tenant_cache_ttl_seconds >= 1
    error_message = "tenant_cache_ttl_seconds must be at least 1."
  }
}

variable "tenant_max_stale_seconds" {
  description = "How long a cached tenant configuration may still serve while Secrets Manager is unreachable (UMS_TENANT_MAX_STALE_SECS)."
  type        = number
  default     = 3600

  validation {
    condition     = var.tenant_max_stale_seconds >= 0
    error_message = "tenant_max_stale_seconds must not be negative."
  }
}

variable "rust_log" {
  description = "Log filter of the function (RUST_LOG), e.g. `info` or `info,ums_oneroster=debug`."
  type        = string
  default     = "info"
}

################################################################################
# Gateway
################################################################################

variable "stage_name" {
  description = "Name of the REST API stage that the custom domains map to."
  type        = string
  default     = "live"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,64}$", var.stage_name))
    error_message = "stage_name must be 1-64 characters of letters, digits and '_'."
  }
}

variable "response_streaming" {
  description = <<-EOT
    Stream the function's responses through the gateway (integration responseTransferMode STREAM,
    invoked through InvokeWithResponseStream): no 6 MB buffered-response ceiling for large
    OneRoster pages. The module sets the function's UMS_LAMBDA_RESPONSE_MODE to match (stream or
    buffered). See docs/adr/0001-rest-api-gateway.md and docs/cloud-hosts.md.
  EOT
  type        = bool
  default     = true
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second the stage accepts (all tenants together)."
  type        = number
  default     = 100

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be positive."
  }
}

variable "throttling_burst_limit" {
  description = "Burst of requests the stage accepts above the steady rate."
  type        = number
  default     = 200

  validation {
    condition     = var.throttling_burst_limit >= 1
    error_message = "throttling_burst_limit must be at least 1."
  }
}

variable "disable_execute_api_endpoint" {
  description = "Refuse requests to the default execute-api URL, so every client comes through a custom domain with its TLS 1.2 policy."
  type        = bool
  default     = true
}

variable "manage_api_gateway_account" {
  description = "Set the region's API Gateway account setting (the role through which API Gateway writes CloudWatch logs). It is one per account and region: leave true in exactly one deployment."
  type        = bool
  default     = true
}

################################################################################
# WAF
################################################################################

variable "waf_rate_limit" {
  description = "Requests per 5 minutes that one client address may send to one host name before WAF blocks it. An SDS full sync of a large municipality is a few hundred requests."
  type        = number
  default     = 2000

  validation {
    condition     = var.waf_rate_limit >= 100 && var.waf_rate_limit <= 2000000000
    error_message = "waf_rate_limit must be between 100 (AWS WAF's minimum) and 2000000000."
  }
}

variable "waf_common_rules_count_only" {
  description = <<-EOT
    Rules of AWSManagedRulesCommonRuleSet that only count instead of block. NoUserAgent_HEADER
    counts by default: SDS's User-Agent is not documented, and a block there would stop every sync.
  EOT
  type        = set(string)
  default     = ["NoUserAgent_HEADER"]
}

################################################################################
# Logs
################################################################################

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the function, access and WAF log groups (observability module output `kms_key_arn`)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Retention of the module's log groups, in days (CloudWatch Logs' allowed values; at least a year)."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' values of at least 365 days."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
