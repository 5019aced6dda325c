variable "name" {
  description = "Name prefix for every resource of the module, e.g. `ums-oneroster-prod`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC. It must not overlap any municipality's on-premises network that is routed over the VPN."
  type        = string
  default     = "10.42.0.0/22"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 24
    error_message = "vpc_cidr must be an IPv4 CIDR block of /24 or larger."
  }
}

variable "availability_zones" {
  description = "Availability zones for the private subnets; one subnet each. At least two, so the function survives the loss of a zone."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones must name at least two distinct zones."
  }
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for each private subnet (a /22 VPC with 2 gives /24 subnets)."
  type        = number
  default     = 2

  validation {
    condition     = var.subnet_newbits >= 1 && var.subnet_newbits <= 8
    error_message = "subnet_newbits must be between 1 and 8."
  }
}

variable "onprem_sql_targets" {
  description = <<-EOT
    The on-premises SQL Servers the function may reach over the VPN, by site (municipality):
    the networks holding the servers and their TCP port. These are the only destinations
    outside the VPC endpoints that the function's security group lets traffic out to.
  EOT
  type = map(object({
    cidrs = list(string)
    port  = optional(number, 1433)
  }))

  validation {
    condition = alltrue(flatten([
      for site in values(var.onprem_sql_targets) : [for cidr in site.cidrs : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"]
    ]))
    error_message = "Every on-premises CIDR must be a valid IPv4 block, and never 0.0.0.0/0."
  }

  validation {
    condition     = alltrue([for site in values(var.onprem_sql_targets) : site.port >= 1 && site.port <= 65535])
    error_message = "SQL ports must be between 1 and 65535."
  }
}

variable "interface_endpoint_services" {
  description = "AWS services reached through interface VPC endpoints instead of a NAT gateway. The function calls Secrets Manager and KMS; CloudWatch Logs serves log shipping from inside the VPC."
  type        = set(string)
  default     = ["secretsmanager", "kms", "logs"]

  validation {
    condition     = alltrue([for service in var.interface_endpoint_services : can(regex("^[a-z0-9.-]+$", service))])
    error_message = "Endpoint services are short names such as secretsmanager, kms or logs."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the VPC flow log group. Its key policy must allow the CloudWatch Logs service principal."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Retention of the VPC flow log group, in days (CloudWatch Logs' allowed values; at least a year)."
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
