output "tenant_secret_names" {
  description = "Secret name of each tenant's configuration: where `ums-oneroster tenant put` writes."
  value       = { for id, secret in aws_secretsmanager_secret.tenant : id => secret.name }
}

output "tenant_secret_arns" {
  description = "Secret ARN of each tenant's configuration."
  value       = { for id, secret in aws_secretsmanager_secret.tenant : id => secret.arn }
}

output "hosts_secret_name" {
  description = "Name of the custom-domain index secret (`<prefix>_hosts`)."
  value       = aws_secretsmanager_secret.hosts.name
}

output "host_index" {
  description = "The custom-domain index as written to the `<prefix>_hosts` secret."
  value       = local.host_index
}

output "vault_kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts the tenant secrets."
  value       = aws_kms_key.vault.arn
}

output "customer_dns_records" {
  description = <<-EOT
    For each domain in a customer-run DNS zone, the records the customer publishes: first the
    certificate's validation CNAME, then (once the domain is served) the CNAME that puts the
    name on the API.
  EOT
  value = {
    for key, domain in local.customer_domains : key => {
      validation = {
        name  = one(aws_acm_certificate.this[key].domain_validation_options).resource_record_name
        type  = one(aws_acm_certificate.this[key].domain_validation_options).resource_record_type
        value = one(aws_acm_certificate.this[key].domain_validation_options).resource_record_value
      }
      certificate_status = aws_acm_certificate.this[key].status
      serve = domain.served ? {
        name  = "${domain.name}."
        type  = "CNAME"
        value = "${aws_api_gateway_domain_name.this[key].regional_domain_name}."
      } : null
    }
  }
}

output "sds_profiles" {
  description = "What each tenant's school administrator enters in the SDS OneRoster profile (the client secret comes from UMS's WebServicesSettings); null for a tenant with no served host name yet."
  value = {
    for id, host in local.sds_host : id => host == null ? null : {
      base_url  = "https://${host}/ims/oneroster/v1p1"
      token_url = "https://${host}/ims/oneroster/v1p1/token"
      client_id = "WebserviceUser"
    }
  }
}
