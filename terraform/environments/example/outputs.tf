output "sds_profiles" {
  description = "Per tenant: the SDS profile's base URL, token URL and client id."
  value       = module.tenants.sds_profiles
}

output "tenant_secret_names" {
  description = "Per tenant: the secret that `ums-oneroster tenant put` writes."
  value       = module.tenants.tenant_secret_names
}

output "customer_dns_records" {
  description = "Per customer-run DNS zone: the records the customer publishes."
  value       = module.tenants.customer_dns_records
}

output "host_index" {
  description = "The custom-domain index written to `<prefix>_hosts`."
  value       = module.tenants.host_index
}

output "vpn_connections" {
  description = "Per site: VPN connection id, routing and the AWS tunnel addresses."
  value       = module.hybrid.vpn_connections
}

output "function_subnet_cidrs" {
  description = "Source networks the municipalities' firewalls allow to SQL Server."
  value       = module.network.private_subnet_cidrs
}

output "vpc_cidr" {
  description = "The VPC network the municipalities route back over the VPN."
  value       = module.network.vpc_cidr
}

output "alarm_topic_arn" {
  description = "SNS topic of every alarm."
  value       = module.observability.alarm_topic_arn
}

output "function_name" {
  description = "Name of the OneRoster function (for `aws logs tail`)."
  value       = module.api.function_name
}
