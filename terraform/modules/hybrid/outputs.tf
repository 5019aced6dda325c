output "vpn_gateway_id" {
  description = "ID of the virtual private gateway (gateway = \"vgw\"), else null."
  value       = one(aws_vpn_gateway.this[*].id)
}

output "transit_gateway_id" {
  description = "ID of the transit gateway (gateway = \"tgw\"), else null."
  value       = one(aws_ec2_transit_gateway.this[*].id)
}

output "vpn_connections" {
  description = <<-EOT
    Per site: the VPN connection id and the AWS end of both tunnels. The municipality
    configures its device from the connection's configuration file:
    `aws ec2 get-vpn-connection-device-sample-configuration --vpn-connection-id ID ...`
    (it carries the pre-shared keys, so it is not a Terraform output).
  EOT
  value = {
    for site, connection in aws_vpn_connection.this : site => {
      vpn_connection_id   = connection.id
      customer_gateway_id = connection.customer_gateway_id
      routing             = connection.static_routes_only ? "static" : "bgp"
      tunnel_addresses    = [connection.tunnel1_address, connection.tunnel2_address]
    }
  }
}

output "tunnel_alarm_arns" {
  description = "ARNs of the tunnel-state alarms: per tunnel (`site/1`, `site/2`) and per connection (`site`)."
  value = merge(
    { for key, alarm in aws_cloudwatch_metric_alarm.tunnel_down : key => alarm.arn },
    { for site, alarm in aws_cloudwatch_metric_alarm.connection_down : site => alarm.arn },
  )
}

output "sql_server_zone_ids" {
  description = "Private Route 53 zone of each on-premises SQL Server name."
  value       = { for name, zone in aws_route53_zone.sql_server : name => zone.zone_id }
}
