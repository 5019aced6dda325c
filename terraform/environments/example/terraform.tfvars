# An example deployment: replace the zone ids, addresses and e-mail with real ones.
# Onboarding a tenant is one entry in `tenants` (docs/deploy.md#onboarding-a-school).

environment = "example"

base_domain         = "oneroster.inlogic.dk"
base_domain_zone_id = "Z0EXAMPLEINLOGIC0001"

alarm_emails = ["drift@inlogic.dk"]

# The municipalities' networks behind the site-to-site VPN (documentation addresses).
sites = {
  "aarhus-kommune" = {
    customer_gateway_ip = "198.51.100.10"
    cidrs               = ["10.20.0.0/24"]
    sql_server_names    = { "ums-sql.aarhus.local" = "10.20.0.15" }
  }
  "vestre-skole" = {
    customer_gateway_ip = "203.0.113.20"
    cidrs               = ["10.30.8.0/24"]
    bgp_asn             = 65010
    sql_server_names    = { "sql01.vestre-skole.local" = "10.30.8.5" }
  }
}

tenants = {
  # A municipality whose OneRoster name lives in a Route 53 zone that inLogic manages.
  "aarhus-kommune" = {
    display_name = "Aarhus Kommune"
    custom_domain = {
      name            = "oneroster.aarhus.dk"
      route53_zone_id = "Z0EXAMPLEAARHUS00001"
    }
  }

  # A school that runs its own DNS zone: Terraform prints the records to publish
  # (output customer_dns_records); after validation, set certificate_issued = true.
  "vestre-skole" = {
    display_name = "Vestre Skole"
    custom_domain = {
      name = "oneroster.vestre-skole.dk"
    }
  }
}
