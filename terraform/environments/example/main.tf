locals {
  name            = "ums-oneroster-${var.environment}"
  lambda_zip_path = coalesce(var.lambda_zip_path, "${path.root}/../../../target/lambda/bootstrap/bootstrap.zip")
}

# Wiring: observability owns the telemetry key that every log group uses and the alarm topic,
# and it watches the function and API that the api module creates. Terraform orders this by
# resource, so the two modules feed each other without a cycle.
module "observability" {
  source = "../../modules/observability"

  name          = local.name
  alarm_emails  = var.alarm_emails
  function_name = module.api.function_name
  rest_api_name = module.api.rest_api_name
  stage_name    = module.api.stage_name
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  vpc_cidr           = var.vpc_cidr
  availability_zones = var.availability_zones
  kms_key_arn        = module.observability.kms_key_arn

  onprem_sql_targets = {
    for site, config in var.sites : site => { cidrs = config.cidrs, port = config.sql_port }
  }
}

module "hybrid" {
  source = "../../modules/hybrid"

  name                    = local.name
  gateway                 = var.vpn_gateway
  vpc_id                  = module.network.vpc_id
  private_subnet_ids      = module.network.private_subnet_ids
  private_route_table_ids = module.network.private_route_table_ids
  kms_key_arn             = module.observability.kms_key_arn
  alarm_topic_arn         = module.observability.alarm_topic_arn

  sites = {
    for site, config in var.sites : site => {
      customer_gateway_ip = config.customer_gateway_ip
      cidrs               = config.cidrs
      bgp_asn             = config.bgp_asn
      sql_server_names    = config.sql_server_names
    }
  }
}

module "api" {
  source = "../../modules/api"

  name                 = local.name
  lambda_zip_path      = local.lambda_zip_path
  reserved_concurrency = var.reserved_concurrency
  subnet_ids           = module.network.private_subnet_ids
  security_group_ids   = [module.network.function_security_group_id]
  secret_prefix        = var.secret_prefix
  base_domain          = var.base_domain
  kms_key_arn          = module.observability.kms_key_arn
}

module "tenants" {
  source = "../../modules/tenant"

  name                = local.name
  tenants             = var.tenants
  secret_prefix       = var.secret_prefix
  base_domain         = var.base_domain
  base_domain_zone_id = var.base_domain_zone_id
  rest_api_id         = module.api.rest_api_id
  stage_name          = module.api.stage_name
  function_role_name  = module.api.function_role_name
}
