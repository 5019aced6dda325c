variable "name" {
  description = "Name prefix for every resource of the module, e.g. `ums-oneroster-prod`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the function runs in (network module output `vpc_id`)."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets of the VPC; the transit gateway attachment uses them (one per zone)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "private_subnet_ids must list at least two subnets (two availability zones)."
  }
}

variable "private_route_table_ids" {
  description = "Route tables of the private subnets, which get the routes to the on-premises networks."
  type        = list(string)

  validation {
    condition     = length(var.private_route_table_ids) >= 1
    error_message = "private_route_table_ids must list at least one route table."
  }
}

variable "gateway" {
  description = <<-EOT
    Where the VPN connections terminate on the AWS side:
    "vgw": a virtual private gateway attached to the VPC (no hourly charge; AWS allows 10 VPN
           connections per gateway by default), routes propagated into the route tables;
    "tgw": a transit gateway with a VPC attachment (per-attachment charge; thousands of
           attachments), for deployments with many municipalities.
  EOT
  type        = string
  default     = "vgw"

  validation {
    condition     = contains(["vgw", "tgw"], var.gateway)
    error_message = "gateway must be \"vgw\" or \"tgw\"."
  }
}

variable "amazon_side_asn" {
  description = "Private BGP ASN of the AWS side of every tunnel."
  type        = number
  default     = 64512

  validation {
    condition     = (var.amazon_side_asn >= 64512 && var.amazon_side_asn <= 65534) || (var.amazon_side_asn >= 4200000000 && var.amazon_side_asn <= 4294967294)
    error_message = "amazon_side_asn must be a private ASN (64512-65534 or 4200000000-4294967294)."
  }
}

variable "sites" {
  description = <<-EOT
    One entry per municipality (site): its VPN device and the networks behind it.
      customer_gateway_ip  public IPv4 address of the municipality's VPN device
      cidrs                on-premises networks reached over the tunnels (those holding SQL Server)
      bgp_asn              the device's BGP ASN for dynamic routing; null means static routes to `cidrs`
      sql_server_names     host name => on-premises IP of each SQL Server the function dials. Each name
                           gets a private Route 53 zone in the VPC, so the function resolves the very name
                           on the server's TLS certificate without reaching the municipality's DNS.
  EOT
  type = map(object({
    customer_gateway_ip = string
    cidrs               = list(string)
    bgp_asn             = optional(number)
    sql_server_names    = optional(map(string), {})
  }))

  validation {
    condition     = alltrue([for id in keys(var.sites) : can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", id))])
    error_message = "Site keys must be 1-63 characters of a-z, 0-9 and '-' (usually the municipality's tenant id)."
  }

  validation {
    condition     = alltrue([for site in values(var.sites) : can(cidrhost("${site.customer_gateway_ip}/32", 0))])
    error_message = "customer_gateway_ip must be an IPv4 address."
  }

  validation {
    condition = alltrue(flatten([
      for site in values(var.sites) : [for cidr in site.cidrs : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"]
    ]))
    error_message = "Every site CIDR must be a valid IPv4 block, and never 0.0.0.0/0."
  }

  validation {
    condition     = alltrue([for site in values(var.sites) : length(site.cidrs) >= 1])
    error_message = "Every site needs at least one on-premises CIDR."
  }

  validation {
    condition = alltrue(flatten([
      for site in values(var.sites) : [
        for host, ip in site.sql_server_names : can(regex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", host)) && can(cidrhost("${ip}/32", 0))
      ]
    ]))
    error_message = "sql_server_names maps lowercase host names to IPv4 addresses."
  }

  validation {
    condition = length(flatten([for site in values(var.sites) : keys(site.sql_server_names)])) == length(
      distinct(flatten([for site in values(var.sites) : keys(site.sql_server_names)]))
    )
    error_message = "A SQL Server host name can belong to one site only."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the tunnel log group (observability module output `kms_key_arn`)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Retention of the tunnel log group, in days (CloudWatch Logs' allowed values; at least a year)."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' values of at least 365 days."
  }
}

variable "alarm_topic_arn" {
  description = "SNS topic the tunnel-state alarms notify (observability module output `alarm_topic_arn`)."
  type        = string
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
