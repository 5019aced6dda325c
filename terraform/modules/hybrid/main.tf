locals {
  use_vgw = var.gateway == "vgw"
  use_tgw = var.gateway == "tgw"

  # Every on-premises network of every site; the static ones also get VPN routes.
  site_networks = merge([
    for site, config in var.sites : {
      for cidr in config.cidrs : "${site}/${cidr}" => { site = site, cidr = cidr, static = config.bgp_asn == null }
    }
  ]...)
  static_networks = { for key, network in local.site_networks : key => network if network.static }

  # VPC route table x on-premises network, for the transit gateway (it does not propagate into VPC tables).
  vpc_routes = merge([
    for index, table in var.private_route_table_ids : {
      for key, network in local.site_networks : "${index}/${key}" => { route_table_id = table, cidr = network.cidr }
    }
  ]...)

  sql_server_names = merge([for site, config in var.sites : config.sql_server_names]...)

  tunnels = merge([
    for site in keys(var.sites) : {
      "${site}/1" = { site = site, address = aws_vpn_connection.this[site].tunnel1_address }
      "${site}/2" = { site = site, address = aws_vpn_connection.this[site].tunnel2_address }
    }
  ]...)

  # Tunnel crypto: IKEv2 only, AES-256 and SHA-2, DH groups 14 and up. Both tunnels use the same.
  ike_versions           = ["ikev2"]
  encryption_algorithms  = ["AES256", "AES256-GCM-16"]
  integrity_algorithms   = ["SHA2-256", "SHA2-384", "SHA2-512"]
  dh_group_numbers       = [14, 19, 20, 21]
  default_static_cgw_asn = 65000
}

################################################################################
# AWS side: a virtual private gateway or a transit gateway
################################################################################

resource "aws_vpn_gateway" "this" {
  count = local.use_vgw ? 1 : 0

  vpc_id          = var.vpc_id
  amazon_side_asn = var.amazon_side_asn

  tags = merge(var.tags, { Name = var.name })
}

# Static and BGP routes of every VPN connection appear in the private route tables.
resource "aws_vpn_gateway_route_propagation" "this" {
  # Keyed by position: the table ids are unknown until the network module has created them.
  for_each = local.use_vgw ? { for index, table in var.private_route_table_ids : tostring(index) => table } : {}

  vpn_gateway_id = aws_vpn_gateway.this[0].id
  route_table_id = each.value
}

resource "aws_ec2_transit_gateway" "this" {
  count = local.use_tgw ? 1 : 0

  description                     = "${var.name}: OneRoster VPC and municipality VPNs"
  amazon_side_asn                 = var.amazon_side_asn
  auto_accept_shared_attachments  = "disable"
  default_route_table_association = "enable"
  default_route_table_propagation = "enable"
  vpn_ecmp_support                = "enable"
  dns_support                     = "enable"

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  count = local.use_tgw ? 1 : 0

  transit_gateway_id = aws_ec2_transit_gateway.this[0].id
  vpc_id             = var.vpc_id
  subnet_ids         = var.private_subnet_ids

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_route" "to_onprem_via_tgw" {
  for_each = local.use_tgw ? local.vpc_routes : {}

  route_table_id         = each.value.route_table_id
  destination_cidr_block = each.value.cidr
  transit_gateway_id     = aws_ec2_transit_gateway.this[0].id

  depends_on = [aws_ec2_transit_gateway_vpc_attachment.this]
}

################################################################################
# One site-to-site VPN connection (two tunnels) per municipality
################################################################################

resource "aws_customer_gateway" "this" {
  for_each = var.sites

  ip_address = each.value.customer_gateway_ip
  bgp_asn    = tostring(coalesce(each.value.bgp_asn, local.default_static_cgw_asn))
  type       = "ipsec.1"

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_cloudwatch_log_group" "tunnels" {
  name              = "/vpn/${var.name}/tunnels"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

resource "aws_vpn_connection" "this" {
  for_each = var.sites

  customer_gateway_id = aws_customer_gateway.this[each.key].id
  vpn_gateway_id      = local.use_vgw ? aws_vpn_gateway.this[0].id : null
  transit_gateway_id  = local.use_tgw ? aws_ec2_transit_gateway.this[0].id : null
  type                = "ipsec.1"
  static_routes_only  = each.value.bgp_asn == null

  # AWS starts the IKE negotiation, so a tunnel comes back after a restart on either side
  # without waiting for traffic from the municipality.
  tunnel1_startup_action               = "start"
  tunnel1_dpd_timeout_action           = "restart"
  tunnel1_ike_versions                 = local.ike_versions
  tunnel1_phase1_encryption_algorithms = local.encryption_algorithms
  tunnel1_phase1_integrity_algorithms  = local.integrity_algorithms
  tunnel1_phase1_dh_group_numbers      = local.dh_group_numbers
  tunnel1_phase2_encryption_algorithms = local.encryption_algorithms
  tunnel1_phase2_integrity_algorithms  = local.integrity_algorithms
  tunnel1_phase2_dh_group_numbers      = local.dh_group_numbers
  tunnel2_startup_action               = "start"
  tunnel2_dpd_timeout_action           = "restart"
  tunnel2_ike_versions                 = local.ike_versions
  tunnel2_phase1_encryption_algorithms = local.encryption_algorithms
  tunnel2_phase1_integrity_algorithms  = local.integrity_algorithms
  tunnel2_phase1_dh_group_numbers      = local.dh_group_numbers
  tunnel2_phase2_encryption_algorithms = local.encryption_algorithms
  tunnel2_phase2_integrity_algorithms  = local.integrity_algorithms
  tunnel2_phase2_dh_group_numbers      = local.dh_group_numbers

  tunnel1_log_options {
    cloudwatch_log_options {
      log_enabled       = true
      log_group_arn     = aws_cloudwatch_log_group.tunnels.arn
      log_output_format = "json"
    }
  }

  tunnel2_log_options {
    cloudwatch_log_options {
      log_enabled       = true
      log_group_arn     = aws_cloudwatch_log_group.tunnels.arn
      log_output_format = "json"
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_vpn_connection_route" "static" {
  for_each = local.use_vgw ? local.static_networks : {}

  vpn_connection_id      = aws_vpn_connection.this[each.value.site].id
  destination_cidr_block = each.value.cidr
}

resource "aws_ec2_transit_gateway_route" "static" {
  for_each = local.use_tgw ? local.static_networks : {}

  destination_cidr_block         = each.value.cidr
  transit_gateway_attachment_id  = aws_vpn_connection.this[each.value.site].transit_gateway_attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.this[0].association_default_route_table_id
}

################################################################################
# The SQL Servers' own names, resolvable inside the VPC
################################################################################

resource "aws_route53_zone" "sql_server" {
  for_each = local.sql_server_names

  name    = each.key
  comment = "${var.name}: on-premises SQL Server reached over the VPN"

  vpc {
    vpc_id = var.vpc_id
  }

  tags = var.tags
}

resource "aws_route53_record" "sql_server" {
  #checkov:skip=CKV2_AWS_23:The record points at an on-premises SQL Server reached over the VPN, not at an AWS resource.
  for_each = local.sql_server_names

  zone_id = aws_route53_zone.sql_server[each.key].zone_id
  name    = each.key
  type    = "A"
  ttl     = 300
  records = [each.value]
}

################################################################################
# Tunnel-state alarms
################################################################################

# One tunnel down: the municipality still works over the other, but redundancy is gone
# (AWS replaces tunnel endpoints during maintenance, one at a time).
resource "aws_cloudwatch_metric_alarm" "tunnel_down" {
  for_each = local.tunnels

  alarm_name          = "${var.name}-vpn-${replace(each.key, "/", "-tunnel")}-down"
  alarm_description   = "VPN tunnel ${each.key} to ${each.value.site} is down; the other tunnel carries the traffic. Runbook: docs/deploy.md#alarms"
  namespace           = "AWS/VPN"
  metric_name         = "TunnelState"
  dimensions          = { TunnelIpAddress = each.value.address }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]

  tags = var.tags
}

# Both tunnels down: the municipality's SQL Server is unreachable and its SDS syncs fail.
resource "aws_cloudwatch_metric_alarm" "connection_down" {
  for_each = var.sites

  alarm_name          = "${var.name}-vpn-${each.key}-down"
  alarm_description   = "Both VPN tunnels to ${each.key} are down: its SQL Server is unreachable (503 to SDS). Runbook: docs/deploy.md#alarms"
  namespace           = "AWS/VPN"
  metric_name         = "TunnelState"
  dimensions          = { VpnId = aws_vpn_connection.this[each.key].id }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "LessThanOrEqualToThreshold"
  threshold           = 0
  treat_missing_data  = "breaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]

  tags = var.tags
}
