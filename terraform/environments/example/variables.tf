variable "region" {
  description = "AWS region of the deployment (the ACM certificates of regional domains live here too)."
  type        = string
  default     = "eu-north-1"
}

variable "environment" {
  description = "Environment name, used in resource names and tags (e.g. prod, staging)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.environment))
    error_message = "environment must be 2-16 characters of a-z and 0-9, starting with a letter."
  }
}

variable "availability_zones" {
  description = "Availability zones of the function's subnets (at least two)."
  type        = list(string)
  default     = ["eu-north-1a", "eu-north-1b"]
}

variable "vpc_cidr" {
  description = "CIDR of the VPC; must not overlap any municipality network routed over the VPN."
  type        = string
  default     = "10.42.0.0/22"
}

variable "vpn_gateway" {
  description = "\"vgw\" (virtual private gateway) or \"tgw\" (transit gateway, for many municipalities); see the hybrid module."
  type        = string
  default     = "vgw"
}

variable "sites" {
  description = <<-EOT
    On-premises sites reached over the site-to-site VPN, usually one per municipality:
    VPN device address, networks, BGP ASN (null: static routing), SQL Server port, and the SQL
    Servers' host names with their on-premises addresses (see the hybrid module).
  EOT
  type = map(object({
    customer_gateway_ip = string
    cidrs               = list(string)
    bgp_asn             = optional(number)
    sql_port            = optional(number, 1433)
    sql_server_names    = optional(map(string), {})
  }))
}

variable "tenants" {
  description = "The tenants, keyed by tenant id: onboarding is one entry here (see the tenant module and docs/deploy.md)."
  type = map(object({
    display_name = string
    custom_domain = optional(object({
      name               = string
      route53_zone_id    = optional(string)
      certificate_issued = optional(bool, false)
    }))
  }))
}

variable "base_domain" {
  description = "inLogic's base domain: every tenant also answers as `{tenant}.<base domain>`."
  type        = string
}

variable "base_domain_zone_id" {
  description = "Route 53 zone of the base domain."
  type        = string
}

variable "secret_prefix" {
  description = "Prefix of the tenant secrets in Secrets Manager."
  type        = string
  default     = "ums-oneroster/tenants/"
}

variable "lambda_zip_path" {
  description = "The function package; null means the one `make lambda` builds in this repository (target/lambda/bootstrap/bootstrap.zip)."
  type        = string
  default     = null
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions of the function."
  type        = number
  default     = 50
}

variable "alarm_emails" {
  description = "E-mail addresses that receive the alarms."
  type        = set(string)
  default     = []
}
