# Many municipalities behind one transit gateway, tenants on the base domain only (no custom
# domains), and a buffered (non-streaming) integration. Compare environments/example, which
# uses a virtual private gateway, custom domains and response streaming.

terraform {
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.28"
    }
  }
}

provider "aws" {
  region = "eu-north-1"
}

locals {
  name = "ums-oneroster-tgw"

  # Three municipalities announcing their networks over BGP.
  sites = {
    "odense-kommune"    = { customer_gateway_ip = "198.51.100.21", cidrs = ["10.61.0.0/20"], bgp_asn = 65021 }
    "vejle-kommune"     = { customer_gateway_ip = "198.51.100.22", cidrs = ["10.62.4.0/24"], bgp_asn = 65022 }
    "silkeborg-kommune" = { customer_gateway_ip = "198.51.100.23", cidrs = ["10.63.0.0/22"], bgp_asn = 65023 }
  }
}

module "observability" {
  source = "../../modules/observability"

  name          = local.name
  function_name = module.api.function_name
  rest_api_name = module.api.rest_api_name
  stage_name    = module.api.stage_name
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  vpc_cidr           = "10.50.0.0/22"
  availability_zones = ["eu-north-1a", "eu-north-1b", "eu-north-1c"]
  kms_key_arn        = module.observability.kms_key_arn
  onprem_sql_targets = { for site, config in local.sites : site => { cidrs = config.cidrs } }
}

module "hybrid" {
  source = "../../modules/hybrid"

  name                    = local.name
  gateway                 = "tgw"
  vpc_id                  = module.network.vpc_id
  private_subnet_ids      = module.network.private_subnet_ids
  private_route_table_ids = module.network.private_route_table_ids
  sites                   = local.sites
  kms_key_arn             = module.observability.kms_key_arn
  alarm_topic_arn         = module.observability.alarm_topic_arn
}

module "api" {
  source = "../../modules/api"

  name               = local.name
  lambda_zip_path    = "${path.root}/../../../target/lambda/bootstrap/bootstrap.zip"
  subnet_ids         = module.network.private_subnet_ids
  security_group_ids = [module.network.function_security_group_id]
  base_domain        = "oneroster.inlogic.dk"
  kms_key_arn        = module.observability.kms_key_arn

  # A function built with the buffered lambda_http::run, and a region whose API Gateway
  # account setting another deployment already manages.
  response_streaming         = false
  manage_api_gateway_account = false
}

module "tenants" {
  source = "../../modules/tenant"

  name                = local.name
  base_domain         = "oneroster.inlogic.dk"
  base_domain_zone_id = "Z0EXAMPLEINLOGIC0001"
  rest_api_id         = module.api.rest_api_id
  stage_name          = module.api.stage_name
  function_role_name  = module.api.function_role_name

  tenants = {
    "odense-kommune"    = { display_name = "Odense Kommune" }
    "vejle-kommune"     = { display_name = "Vejle Kommune" }
    "silkeborg-kommune" = { display_name = "Silkeborg Kommune" }
  }
}

output "sds_profiles" {
  description = "Per tenant: the SDS profile's base URL, token URL and client id."
  value       = module.tenants.sds_profiles
}
