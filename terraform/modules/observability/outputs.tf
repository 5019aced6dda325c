output "kms_key_arn" {
  description = "ARN of the telemetry KMS key: pass it to every module that creates log groups."
  value       = aws_kms_key.telemetry.arn
}

output "alarm_topic_arn" {
  description = "ARN of the SNS topic every alarm of the deployment notifies (the hybrid module's tunnel alarms too)."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_arns" {
  description = "ARNs of the module's alarms, by purpose."
  value = {
    api_5xx_rate       = aws_cloudwatch_metric_alarm.api_5xx_rate.arn
    api_latency_p99    = aws_cloudwatch_metric_alarm.api_latency_p99.arn
    function_errors    = aws_cloudwatch_metric_alarm.function_errors.arn
    function_throttles = aws_cloudwatch_metric_alarm.function_throttles.arn
  }
}
