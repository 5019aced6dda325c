output "function_name" {
  description = "Name of the OneRoster Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the OneRoster Lambda function."
  value       = aws_lambda_function.this.arn
}

output "function_role_name" {
  description = "Name of the function's IAM role: the tenant module attaches the vault permission to it."
  value       = aws_iam_role.function.name
}

output "function_role_arn" {
  description = "ARN of the function's IAM role."
  value       = aws_iam_role.function.arn
}

output "rest_api_id" {
  description = "ID of the REST API, for the custom domains' base path mappings."
  value       = aws_api_gateway_rest_api.this.id
}

output "rest_api_name" {
  description = "Name of the REST API (the ApiName dimension of its metrics)."
  value       = aws_api_gateway_rest_api.this.name
}

output "stage_name" {
  description = "Name of the stage the custom domains map to."
  value       = aws_api_gateway_stage.this.stage_name
}

output "stage_invoke_url" {
  description = "Default execute-api URL of the stage (refused while disable_execute_api_endpoint is true)."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "web_acl_arn" {
  description = "ARN of the WAF web ACL on the stage."
  value       = aws_wafv2_web_acl.this.arn
}

output "log_group_names" {
  description = "CloudWatch log groups: function, stage access log and WAF."
  value = {
    function = aws_cloudwatch_log_group.function.name
    access   = aws_cloudwatch_log_group.access.name
    waf      = aws_cloudwatch_log_group.waf.name
  }
}
