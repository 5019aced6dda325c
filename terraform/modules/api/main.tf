data "aws_partition" "current" {}

locals {
  # The one process configuration of the cloud host (src/cli/serve.rs reads these through clap).
  environment = merge(
    {
      UMS_SECRET_PREFIX         = var.secret_prefix
      UMS_TENANT_CACHE_TTL_SECS = tostring(var.tenant_cache_ttl_seconds)
      UMS_TENANT_MAX_STALE_SECS = tostring(var.tenant_max_stale_seconds)
      # The function answers the way the gateway invokes it (docs/cloud-hosts.md).
      UMS_LAMBDA_RESPONSE_MODE = var.response_streaming ? "stream" : "buffered"
      RUST_LOG                 = var.rust_log
    },
    var.base_domain == null ? {} : { UMS_BASE_DOMAIN = var.base_domain },
  )

  # The root path and everything below it go to the function: OneRoster, the token endpoint
  # and discovery all live under one router.
  proxy_resources = {
    root  = aws_api_gateway_rest_api.this.root_resource_id
    proxy = aws_api_gateway_resource.proxy.id
  }

  integration_uri = var.response_streaming ? aws_lambda_function.this.response_streaming_invoke_arn : aws_lambda_function.this.invoke_arn
}

################################################################################
# Logs
################################################################################

resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

# WAF requires the aws-waf-logs- prefix.
resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

################################################################################
# Function
################################################################################

data "aws_iam_policy_document" "function_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# The tenant module attaches the only other permission: reading the tenant secrets.
resource "aws_iam_role" "function" {
  name               = "${var.name}-function"
  description        = "OneRoster function: VPC network interfaces, logs, traces (the tenant module adds the vault)"
  assume_role_policy = data.aws_iam_policy_document.function_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "function" {
  for_each = toset([
    "service-role/AWSLambdaVPCAccessExecutionRole",
    "AWSXRayDaemonWriteAccess",
  ])

  role       = aws_iam_role.function.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.key}"
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:Invoked synchronously by API Gateway only; a dead-letter queue applies to asynchronous invocations, and a failed request is answered to SDS, which retries.
  #checkov:skip=CKV_AWS_173:The environment holds no secret (prefix, domain, cache times, log filter); secrets come from Secrets Manager at run time, so the AWS-managed key suffices.
  #checkov:skip=CKV_AWS_272:The package is the zip that `make lambda` builds in CI and uploads directly; AWS Signer code signing needs an S3 signing pipeline, which is a follow-up (docs/deploy.md#follow-ups).
  function_name = var.name
  description   = "OneRoster 1.1/1.2 provider for inLogic UMS (ums-oneroster)"
  role          = aws_iam_role.function.arn

  runtime          = "provided.al2023"
  architectures    = ["arm64"]
  handler          = "bootstrap"
  filename         = var.lambda_zip_path
  source_code_hash = filebase64sha256(var.lambda_zip_path)

  memory_size                    = var.memory_size
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrency

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }

  tracing_config {
    mode = "Active"
  }

  # JSON lines in CloudWatch. The application log level stays unset so that RUST_LOG filters: a
  # configured level reaches the process as AWS_LAMBDA_LOG_LEVEL, which lambda_http's
  # subscriber prefers over RUST_LOG.
  logging_config {
    log_format       = "JSON"
    log_group        = aws_cloudwatch_log_group.function.name
    system_log_level = "WARN"
  }

  environment {
    variables = local.environment
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy_attachment.function]
}

resource "aws_lambda_permission" "api_gateway" {
  statement_id  = "AllowInvokeFromRestApi"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/*"
}

################################################################################
# REST API (regional): see docs/adr/0001-rest-api-gateway.md
################################################################################

resource "aws_api_gateway_rest_api" "this" {
  name                         = var.name
  description                  = "OneRoster provider for inLogic UMS; every path goes to the function"
  disable_execute_api_endpoint = var.disable_execute_api_endpoint
  # A gzip body comes from the function base64-encoded; API Gateway turns it back into bytes
  # only for binary media types. Request bodies then arrive base64, which the function decodes.
  binary_media_types = ["*/*"]

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }

  tags = var.tags
}

resource "aws_api_gateway_resource" "proxy" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = "{proxy+}"
}

resource "aws_api_gateway_method" "any" {
  #checkov:skip=CKV_AWS_59:OAuth 2 client credentials are checked by the function itself (tenant-specific clients and signed tokens); the token endpoint must be reachable without credentials other than the client's own.
  #checkov:skip=CKV2_AWS_53:The proxy forwards every request unchanged; the function validates OneRoster parameters and answers 4xx in the OneRoster error format, which a gateway validator cannot produce.
  for_each = local.proxy_resources

  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = each.value
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "function" {
  for_each = local.proxy_resources

  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = each.value
  http_method             = aws_api_gateway_method.any[each.key].http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = local.integration_uri
  response_transfer_mode  = var.response_streaming ? "STREAM" : "BUFFERED"
  # SDS gives up after 30 s; 29 s is also the buffered maximum without a quota increase.
  timeout_milliseconds = 29000
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.proxy.id,
      [for method in aws_api_gateway_method.any : method.id],
      [for integration in aws_api_gateway_integration.function : [integration.id, integration.uri, integration.response_transfer_mode]],
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV_AWS_120:Responses are per tenant and per token, and streamed; a gateway cache would risk serving one tenant's roster to another.
  #checkov:skip=CKV2_AWS_51:Client certificates authenticate API Gateway to HTTP backends; the backend is a Lambda proxy integration, so there is nothing to present one to.
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.stage_name
  xray_tracing_enabled = true

  # One JSON line per request. No query string, no headers: nothing that could carry a token.
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTimeEpoch"
      ip                 = "$context.identity.sourceIp"
      userAgent          = "$context.identity.userAgent"
      domainName         = "$context.domainName"
      httpMethod         = "$context.httpMethod"
      path               = "$context.path"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
      wafStatus          = "$context.waf.status"
    })
  }

  tags = var.tags

  depends_on = [aws_api_gateway_account.this]
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225:Caching stays off on purpose: responses are per tenant and per token (see the stage).
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = "ERROR"
    data_trace_enabled     = false
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
    caching_enabled        = false
    cache_data_encrypted   = true
  }
}

# API Gateway writes stage logs through one role per account and region.
data "aws_iam_policy_document" "api_gateway_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "api_gateway_cloudwatch" {
  count = var.manage_api_gateway_account ? 1 : 0

  name               = "${var.name}-apigateway-cloudwatch"
  description        = "API Gateway account setting: writes stage access and execution logs"
  assume_role_policy = data.aws_iam_policy_document.api_gateway_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "api_gateway_cloudwatch" {
  count = var.manage_api_gateway_account ? 1 : 0

  role       = aws_iam_role.api_gateway_cloudwatch[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  count = var.manage_api_gateway_account ? 1 : 0

  cloudwatch_role_arn = aws_iam_role.api_gateway_cloudwatch[0].arn

  depends_on = [aws_iam_role_policy_attachment.api_gateway_cloudwatch]
}

################################################################################
# WAF: rate limit per client and host name, AWS managed rule groups
################################################################################

resource "aws_wafv2_web_acl" "this" {
  name        = var.name
  description = "OneRoster API: rate limit per client address and host, AWS managed rules"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  # SDS calls every school from Microsoft's shared addresses, so a limit per address alone
  # would let one busy municipality throttle the others: the key is address and host name.
  rule {
    name     = "rate-per-client-and-host"
    priority = 0

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.waf_rate_limit
        evaluation_window_sec = 300
        aggregate_key_type    = "CUSTOM_KEYS"

        custom_key {
          ip {}
        }

        custom_key {
          header {
            name = "host"

            text_transformation {
              priority = 0
              type     = "LOWERCASE"
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "AWSManagedRulesAmazonIpReputationList"
    priority = 1

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesAmazonIpReputationList"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-AWSManagedRulesAmazonIpReputationList"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "AWSManagedRulesCommonRuleSet"
    priority = 2

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"

        dynamic "rule_action_override" {
          for_each = var.waf_common_rules_count_only

          content {
            name = rule_action_override.value

            action_to_use {
              count {}
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-AWSManagedRulesCommonRuleSet"
      sampled_requests_enabled   = true
    }
  }

  # Includes Log4JRCE (CVE-2021-44228), blocking.
  rule {
    name     = "AWSManagedRulesKnownBadInputsRuleSet"
    priority = 3

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-AWSManagedRulesKnownBadInputsRuleSet"
      sampled_requests_enabled   = true
    }
  }

  # Anonymizers (Tor, VPN exits) are blocked. Hosting providers only count: SDS calls from
  # Microsoft's cloud.
  rule {
    name     = "AWSManagedRulesAnonymousIpList"
    priority = 4

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesAnonymousIpList"

        rule_action_override {
          name = "HostingProviderIPList"

          action_to_use {
            count {}
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-AWSManagedRulesAnonymousIpList"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }

  tags = var.tags
}

resource "aws_wafv2_web_acl_association" "stage" {
  resource_arn = aws_api_gateway_stage.this.arn
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  # Bearer tokens never reach the logs.
  redacted_fields {
    single_header {
      name = "authorization"
    }
  }
}
