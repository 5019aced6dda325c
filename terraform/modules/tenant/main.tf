data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  region = data.aws_region.current.region

  # `_` cannot occur in a tenant id, so the index never collides with a tenant's secret.
  hosts_secret_name = "${var.secret_prefix}_hosts"
  base_domain_key   = "_base"

  custom_domains = { for id, tenant in var.tenants : id => tenant.custom_domain if tenant.custom_domain != null }

  # Every host name served through API Gateway: the tenants' own domains and the wildcard
  # `*.<base domain>`. A name is served once its certificate can be issued: at once in a Route 53
  # zone, after the customer's validation record otherwise.
  domains = merge(
    {
      for id, domain in local.custom_domains : id => {
        name    = domain.name
        zone_id = domain.route53_zone_id
        served  = domain.route53_zone_id != null || domain.certificate_issued
      }
    },
    var.base_domain == null ? {} : {
      (local.base_domain_key) = { name = "*.${var.base_domain}", zone_id = var.base_domain_zone_id, served = true }
    },
  )
  served_domains     = { for key, domain in local.domains : key => domain if domain.served }
  route53_domains    = { for key, domain in local.domains : key => domain if domain.zone_id != null }
  customer_domains   = { for key, domain in local.domains : key => domain if domain.zone_id == null }
  route53_served     = { for key, domain in local.served_domains : key => domain if domain.zone_id != null }
  secret_arn_pattern = "arn:${data.aws_partition.current.partition}:secretsmanager:${local.region}:${data.aws_caller_identity.current.account_id}:secret:${var.secret_prefix}*"

  # The host name SDS uses: a served custom domain first, else `{tenant}.<base domain>`.
  sds_host = {
    for id in keys(var.tenants) : id => try(local.served_domains[id].name, var.base_domain == null ? null : "${id}.${var.base_domain}")
  }

  # The custom-domain index the function reads (src/tenants: schema version 1). `{tenant}.<base
  # domain>` needs no entry.
  host_index = {
    schemaVersion = 1
    hosts         = { for id, domain in local.custom_domains : domain.name => id if local.domains[id].served }
  }
}

################################################################################
# Vault: one customer-managed key, one secret per tenant
################################################################################

data "aws_iam_policy_document" "vault_key" {
  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" is this key alone; the account statement is AWS's default key policy, which hands access control to IAM.
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" is this key alone; write access is limited by the principals and conditions of each statement.
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" is this key alone; it cannot name a narrower resource.
  # Access is granted by IAM policies (the function's below, the operators'), never by the key
  # policy alone.
  statement {
    sid       = "AccountAdministersTheKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "vault" {
  description             = "${var.name}: OneRoster tenant configurations in Secrets Manager"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.vault_key.json

  tags = var.tags
}

resource "aws_kms_alias" "vault" {
  name          = "alias/${var.name}-tenants"
  target_key_id = aws_kms_key.vault.key_id
}

# The value is the tenant configuration document (docs/tenant-config.md), written out of band
# with `ums-oneroster tenant put`, so no password or signing key ever lands in Terraform state.
resource "aws_secretsmanager_secret" "tenant" {
  #checkov:skip=CKV2_AWS_57:Rotated by the documented procedure (docs/deploy.md#rotating-secrets): the document bundles the municipality's SQL login, the SDS client secret and two token signing keys; a rotation Lambda would need ALTER LOGIN on every municipality's SQL Server, which the least-privilege login deliberately lacks.
  for_each = var.tenants

  name                    = "${var.secret_prefix}${each.key}"
  description             = "OneRoster tenant configuration (schema v1) of ${each.value.display_name}; value written by `ums-oneroster tenant put`"
  kms_key_id              = aws_kms_key.vault.arn
  recovery_window_in_days = var.recovery_window_days

  tags = merge(var.tags, { Tenant = each.key })
}

resource "aws_secretsmanager_secret" "hosts" {
  #checkov:skip=CKV2_AWS_57:The host index holds no credential (host name to tenant id); Terraform rewrites it from the tenants map on every change.
  name                    = local.hosts_secret_name
  description             = "OneRoster custom-domain index: host name to tenant id (written by Terraform)"
  kms_key_id              = aws_kms_key.vault.arn
  recovery_window_in_days = var.recovery_window_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "hosts" {
  secret_id     = aws_secretsmanager_secret.hosts.id
  secret_string = jsonencode(local.host_index)
}

# The function reads `<prefix>*` and nothing else (secret ARNs end in a random suffix, hence the
# trailing wildcard), and decrypts only through Secrets Manager.
data "aws_iam_policy_document" "read_tenants" {
  statement {
    sid       = "ReadTenantSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.secret_arn_pattern]
  }

  statement {
    sid       = "DecryptThroughSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.vault.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "read_tenants" {
  name   = "read-tenant-secrets"
  role   = var.function_role_name
  policy = data.aws_iam_policy_document.read_tenants.json
}

################################################################################
# Host names: certificate, API Gateway domain, base path mapping, DNS
################################################################################

resource "aws_acm_certificate" "this" {
  for_each = local.domains

  domain_name       = each.value.name
  validation_method = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = each.key != local.base_domain_key || each.value.zone_id != null
      error_message = "base_domain needs base_domain_zone_id: the wildcard certificate is validated in inLogic's Route 53 zone."
    }
  }

  tags = merge(var.tags, { Name = each.value.name })
}

resource "aws_route53_record" "validation" {
  for_each = local.route53_domains

  zone_id         = each.value.zone_id
  name            = one(aws_acm_certificate.this[each.key].domain_validation_options).resource_record_name
  type            = one(aws_acm_certificate.this[each.key].domain_validation_options).resource_record_type
  records         = [one(aws_acm_certificate.this[each.key].domain_validation_options).resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

# In a Route 53 zone this waits for the record above; for a customer-run zone it confirms the
# certificate the operator declared issued.
resource "aws_acm_certificate_validation" "this" {
  for_each = local.served_domains

  certificate_arn         = aws_acm_certificate.this[each.key].arn
  validation_record_fqdns = each.value.zone_id == null ? null : [aws_route53_record.validation[each.key].fqdn]

  timeouts {
    create = "30m"
  }
}

resource "aws_api_gateway_domain_name" "this" {
  for_each = local.served_domains

  domain_name              = each.value.name
  regional_certificate_arn = aws_acm_certificate_validation.this[each.key].certificate_arn
  security_policy          = "TLS_1_2"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = merge(var.tags, { Name = each.value.name })
}

# Mapped at the root: the function sees the path SDS sent, /ims/oneroster/v1p1/...
resource "aws_api_gateway_base_path_mapping" "this" {
  for_each = local.served_domains

  api_id      = var.rest_api_id
  stage_name  = var.stage_name
  domain_name = aws_api_gateway_domain_name.this[each.key].domain_name
}

resource "aws_route53_record" "alias" {
  for_each = local.route53_served

  zone_id = each.value.zone_id
  name    = each.value.name
  type    = "A"

  alias {
    name                   = aws_api_gateway_domain_name.this[each.key].regional_domain_name
    zone_id                = aws_api_gateway_domain_name.this[each.key].regional_zone_id
    evaluate_target_health = false
  }
}
