output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "CIDR block of the VPC: the network a municipality routes back over the VPN."
  value       = aws_vpc.this.cidr_block
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, one per availability zone, for the function."
  value       = [for subnet in aws_subnet.private : subnet.id]
}

output "private_subnet_cidrs" {
  description = "CIDR blocks of the private subnets: the sources a municipality's firewall must allow to reach SQL Server."
  value       = [for subnet in aws_subnet.private : subnet.cidr_block]
}

output "private_route_table_ids" {
  description = "IDs of the private route tables, for the on-premises routes."
  value       = [aws_route_table.private.id]
}

output "function_security_group_id" {
  description = "ID of the security group for the function."
  value       = aws_security_group.function.id
}

output "endpoint_ids" {
  description = "IDs of the interface VPC endpoints, by service."
  value       = { for service, endpoint in aws_vpc_endpoint.interface : service => endpoint.id }
}
