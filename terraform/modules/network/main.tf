data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  # One egress rule per (site, on-premises network): the only traffic that leaves the VPC.
  sql_egress = merge([
    for site, target in var.onprem_sql_targets : {
      for cidr in target.cidrs : "${site}/${cidr}" => { site = site, cidr = cidr, port = target.port }
    }
  ]...)
}

################################################################################
# VPC and private subnets (no internet gateway, no NAT)
################################################################################

resource "aws_vpc" "this" {
  cidr_block = var.vpc_cidr

  # Interface endpoints with private DNS need both.
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "private" {
  for_each = { for index, zone in var.availability_zones : zone => index }

  vpc_id                  = aws_vpc.this.id
  availability_zone       = each.key
  cidr_block              = cidrsubnet(var.vpc_cidr, var.subnet_newbits, each.value)
  map_public_ip_on_launch = false

  tags = merge(var.tags, { Name = "${var.name}-private-${each.key}" })
}

# One table for all private subnets: the only routes are the VPC itself and the on-premises
# networks, which the hybrid module adds (propagated from the VPN or pointing at the transit
# gateway). Nothing routes to the internet.
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-private" })
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

# The default security group stays empty, so nothing that forgets to name a group gets traffic.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-default-unused" })
}

################################################################################
# Security groups
################################################################################

resource "aws_security_group" "function" {
  #checkov:skip=CKV2_AWS_5:Attached to the Lambda function by the api module (vpc_config.security_group_ids); checkov cannot follow the module output.
  name        = "${var.name}-function"
  description = "OneRoster function: egress only to on-premises SQL Servers over the VPN and to the VPC endpoints"
  vpc_id      = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-function" })
}

resource "aws_vpc_security_group_egress_rule" "function_to_sql" {
  for_each = local.sql_egress

  security_group_id = aws_security_group.function.id
  description       = "SQL Server of ${each.value.site} over the site-to-site VPN"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr

  tags = merge(var.tags, { Name = "${var.name}-sql-${each.value.site}" })
}

resource "aws_vpc_security_group_egress_rule" "function_to_endpoints" {
  security_group_id            = aws_security_group.function.id
  description                  = "HTTPS to the interface VPC endpoints (Secrets Manager, KMS, CloudWatch Logs)"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoints.id

  tags = merge(var.tags, { Name = "${var.name}-to-endpoints" })
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name}-endpoints"
  description = "Interface VPC endpoints: HTTPS from the OneRoster function only"
  vpc_id      = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-endpoints" })
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_function" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS from the OneRoster function"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.function.id

  tags = merge(var.tags, { Name = "${var.name}-from-function" })
}

################################################################################
# Interface VPC endpoints (instead of a NAT gateway)
################################################################################

# Each endpoint serves only its own service, and only to principals of this account, so a
# credential of another account cannot carry data out through it.
data "aws_iam_policy_document" "endpoint" {
  for_each = var.interface_endpoint_services

  statement {
    sid       = "OnlyThisAccount"
    actions   = ["${split(".", each.key)[0]}:*"]
    resources = ["*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each = var.interface_endpoint_services

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${data.aws_region.current.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [for subnet in aws_subnet.private : subnet.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  policy              = data.aws_iam_policy_document.endpoint[each.key].json

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

################################################################################
# VPC flow logs
################################################################################

resource "aws_cloudwatch_log_group" "flow" {
  name              = "/vpc/${var.name}/flow"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "flow_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

data "aws_iam_policy_document" "flow" {
  statement {
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = ["${aws_cloudwatch_log_group.flow.arn}:*"]
  }
}

resource "aws_iam_role" "flow" {
  name               = "${var.name}-vpc-flow-logs"
  assume_role_policy = data.aws_iam_policy_document.flow_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy" "flow" {
  name   = "write-flow-log-group"
  role   = aws_iam_role.flow.id
  policy = data.aws_iam_policy_document.flow.json
}

resource "aws_flow_log" "this" {
  vpc_id               = aws_vpc.this.id
  traffic_type         = "ALL"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow.arn
  iam_role_arn         = aws_iam_role.flow.arn

  tags = merge(var.tags, { Name = "${var.name}-flow" })
}
