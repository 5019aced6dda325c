"""Structural tests of terraform/: the invariants hold on every module, environment and example,
and each invariant catches a counter-example (so none of these tests can pass vacuously)."""

from __future__ import annotations

import re

import pytest

import invariants
import module_docs
from terraform_model import REPO, TERRAFORM, all_dirs, load_module, load_tfvars, module_dirs, module_from_text, root_dirs

MODULES = {path.name: load_module(path) for path in module_dirs()}
ROOTS = {str(path.relative_to(TERRAFORM)): load_module(path) for path in root_dirs()}
EVERYTHING = {str(path.relative_to(TERRAFORM)): load_module(path) for path in all_dirs()}

INVARIANTS = [
    invariants.lambda_outside_vpc,
    invariants.secrets_without_cmk,
    invariants.tenant_secret_values_in_state,
    invariants.open_ingress,
    invariants.open_egress,
    invariants.secret_access_beyond_prefix,
    invariants.log_groups_unencrypted_or_unbounded,
    invariants.silent_alarms,
    invariants.unjustified_checkov_skips,
]


def test_the_five_modules_and_the_example_environment_exist():
    assert set(MODULES) == {"network", "hybrid", "api", "tenant", "observability"}
    assert "environments/example" in ROOTS


@pytest.mark.parametrize("check", INVARIANTS, ids=lambda check: check.__name__)
@pytest.mark.parametrize("directory", sorted(EVERYTHING))
def test_invariant_holds(check, directory):
    assert check(EVERYTHING[directory]) == []


@pytest.mark.parametrize("root", sorted(ROOTS))
def test_compositions_put_the_function_in_the_private_subnets(root):
    assert invariants.api_call_outside_private_subnets(ROOTS[root]) == []


# --- counter-examples: each invariant flags the configuration it forbids ---------------------

COUNTER_EXAMPLES = {
    invariants.lambda_outside_vpc: """
        resource "aws_lambda_function" "f" {
          function_name = "f"
        }
    """,
    invariants.secrets_without_cmk: """
        resource "aws_secretsmanager_secret" "s" {
          name = "ums-oneroster/tenants/x"
        }
    """,
    invariants.tenant_secret_values_in_state: """
        resource "aws_secretsmanager_secret_version" "tenant" {
          secret_id     = aws_secretsmanager_secret.tenant["x"].id
          secret_string = "{}"
        }
    """,
    invariants.open_ingress: """
        resource "aws_vpc_security_group_ingress_rule" "r" {
          security_group_id = "sg-1"
          ip_protocol       = "tcp"
          from_port         = 443
          to_port           = 443
          cidr_ipv4         = "0.0.0.0/0"
        }
    """,
    invariants.open_egress: """
        resource "aws_vpc_security_group_egress_rule" "r" {
          security_group_id = "sg-1"
          ip_protocol       = "-1"
          cidr_ipv4         = "0.0.0.0/0"
        }
    """,
    invariants.secret_access_beyond_prefix: """
        data "aws_iam_policy_document" "p" {
          statement {
            actions   = ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]
            resources = ["*"]
          }
          statement {
            actions   = ["kms:Decrypt"]
            resources = ["*"]
          }
        }
    """,
    invariants.log_groups_unencrypted_or_unbounded: """
        resource "aws_cloudwatch_log_group" "g" {
          name = "/aws/lambda/f"
        }
    """,
    invariants.silent_alarms: """
        resource "aws_cloudwatch_metric_alarm" "a" {
          alarm_name = "a"
        }
    """,
    invariants.unjustified_checkov_skips: """
        resource "aws_lambda_function" "f" {
          #checkov:skip=CKV_AWS_117:later
          function_name = "f"
        }
    """,
}


@pytest.mark.parametrize("check", INVARIANTS, ids=lambda check: check.__name__)
def test_invariant_flags_its_counter_example(check):
    assert check(module_from_text(COUNTER_EXAMPLES[check])) != []


def test_secret_scope_flags_each_widening_separately():
    violations = invariants.secret_access_beyond_prefix(module_from_text(COUNTER_EXAMPLES[invariants.secret_access_beyond_prefix]))
    assert any("PutSecretValue" in violation for violation in violations)
    assert any("not <prefix>*" in violation for violation in violations)
    assert any("kms:ViaService" in violation for violation in violations)


def test_composition_check_flags_a_function_outside_the_private_subnets():
    root = module_from_text("""
        module "api" {
          source             = "../../modules/api"
          subnet_ids         = ["subnet-public"]
          security_group_ids = [module.network.function_security_group_id]
        }
    """)
    assert invariants.api_call_outside_private_subnets(root) != []


# --- the function and the gateway ---------------------------------------------------------------

API = MODULES["api"]


def only(module, resource_type):
    found = module.of_type(resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {len(found)}"
    return found[0].body


def test_function_is_the_arm64_bootstrap_zip_with_tracing_json_logs_and_reserved_concurrency():
    function = only(API, "aws_lambda_function")
    assert function["runtime"] == "provided.al2023"
    assert function["architectures"] == ["arm64"]
    assert function["handler"] == "bootstrap"
    assert function["filename"] == "${var.lambda_zip_path}"
    assert function["reserved_concurrent_executions"] == "${var.reserved_concurrency}"
    assert function["tracing_config"][0]["mode"] == "Active"
    assert function["logging_config"][0]["log_format"] == "JSON"
    assert "application_log_level" not in function["logging_config"][0], "it would override RUST_LOG"


def test_function_times_out_before_the_gateway():
    timeout = API.variables["timeout_seconds"].body
    assert timeout["default"] < 29
    assert "var.timeout_seconds <= 28" in timeout["validation"][0]["condition"]
    for integration in API.of_type("aws_api_gateway_integration"):
        assert integration.body["timeout_milliseconds"] == 29000


def test_function_environment_is_exactly_the_documented_process_configuration():
    environment = API.locals["environment"]
    names = set(re.findall(r"\b(UMS_[A-Z_]+|RUST_LOG)\b", str(environment)))
    assert names == invariants.FUNCTION_ENVIRONMENT


def test_function_answers_the_way_the_gateway_invokes_it():
    mode = str(API.locals["environment"])
    assert 'var.response_streaming ? "stream" : "buffered"' in mode
    assert only(API, "aws_api_gateway_rest_api")["binary_media_types"] == ["*/*"]


def test_gateway_is_a_regional_rest_api_proxying_everything_to_the_function():
    api = only(API, "aws_api_gateway_rest_api")
    assert api["endpoint_configuration"][0]["types"] == ["REGIONAL"]
    assert only(API, "aws_api_gateway_resource")["path_part"] == "{proxy+}"
    for method in API.of_type("aws_api_gateway_method"):
        assert method.body["http_method"] == "ANY"
    for integration in API.of_type("aws_api_gateway_integration"):
        assert integration.body["type"] == "AWS_PROXY"
        assert "STREAM" in integration.body["response_transfer_mode"]
    assert "response_streaming_invoke_arn" in API.locals["integration_uri"]


def test_stage_logs_traces_throttles_and_sits_behind_waf():
    stage = only(API, "aws_api_gateway_stage")
    assert stage["xray_tracing_enabled"] is True
    assert stage["access_log_settings"][0]["destination_arn"] == "${aws_cloudwatch_log_group.access.arn}"
    settings = only(API, "aws_api_gateway_method_settings")["settings"][0]
    assert settings["data_trace_enabled"] is False, "request bodies carry client secrets"
    assert settings["throttling_rate_limit"] and settings["throttling_burst_limit"]
    assert only(API, "aws_wafv2_web_acl_association")["resource_arn"] == "${aws_api_gateway_stage.this.arn}"


def test_waf_has_a_rate_rule_and_the_aws_managed_groups_and_redacts_tokens():
    acl = only(API, "aws_wafv2_web_acl")
    rules = acl["rule"]
    assert any("rate_based_statement" in rule["statement"][0] for rule in rules)
    managed = {rule["statement"][0]["managed_rule_group_statement"][0]["name"] for rule in rules if "managed_rule_group_statement" in rule["statement"][0]}
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"} <= managed
    logging = only(API, "aws_wafv2_web_acl_logging_configuration")
    assert logging["redacted_fields"][0]["single_header"][0]["name"] == "authorization"


# --- tenants ------------------------------------------------------------------------------------

TENANT = MODULES["tenant"]


def test_tenant_secret_is_named_prefix_plus_tenant_id_and_the_index_prefix_underscore_hosts():
    secrets = {secret.name: secret.body for secret in TENANT.of_type("aws_secretsmanager_secret")}
    assert secrets["tenant"]["name"] == "${var.secret_prefix}${each.key}"
    assert secrets["tenant"]["for_each"] == "${var.tenants}"
    assert secrets["hosts"]["name"] == "${local.hosts_secret_name}"
    assert TENANT.locals["hosts_secret_name"] == "${var.secret_prefix}_hosts"


def test_host_index_has_the_shared_schema():
    index = TENANT.locals["host_index"]
    assert index["schemaVersion"] == 1
    assert "domain.name => id" in index["hosts"]


def test_custom_domains_use_tls_1_2_regional_endpoints_mapped_at_the_root():
    domain = only(TENANT, "aws_api_gateway_domain_name")
    assert domain["security_policy"] == "TLS_1_2"
    assert domain["endpoint_configuration"][0]["types"] == ["REGIONAL"]
    assert "base_path" not in only(TENANT, "aws_api_gateway_base_path_mapping")
    certificate = only(TENANT, "aws_acm_certificate")
    assert certificate["validation_method"] == "DNS"
    assert certificate["lifecycle"][0]["create_before_destroy"] is True


def test_secret_prefix_is_the_same_in_the_function_and_the_vault():
    assert API.variables["secret_prefix"].body["default"] == TENANT.variables["secret_prefix"].body["default"]
    for name, root in ROOTS.items():
        prefixes = {
            call.body.get("secret_prefix", "<module default>")
            for call in root.modules
            if call.body["source"].endswith(("modules/api", "modules/tenant"))
        }
        assert len(prefixes) == 1, f"{name}: the function and the vault disagree on the prefix: {prefixes}"


def test_example_environment_onboards_two_tenants_one_per_dns_model():
    tfvars = load_tfvars(TERRAFORM / "environments/example/terraform.tfvars")
    tenants = tfvars["tenants"]
    assert set(tenants) == {"aarhus-kommune", "vestre-skole"}
    for tenant_id in tenants:
        assert re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", tenant_id)
    assert tenants["aarhus-kommune"]["custom_domain"].get("route53_zone_id")
    assert "route53_zone_id" not in tenants["vestre-skole"]["custom_domain"]
    for site in tfvars["sites"].values():
        assert not OPEN & set(site["cidrs"])


OPEN = invariants.OPEN_CIDRS


# --- module layout and documentation -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_has_the_terraform_aws_modules_layout(name):
    files = {path.name for path in (TERRAFORM / "modules" / name).iterdir()}
    assert {"main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"} <= files


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_variable_is_typed_and_described_and_every_output_described(name):
    module = MODULES[name]
    for variable in module.variables.values():
        assert variable.body.get("type"), f"{variable.address}: no type"
        assert len(variable.body.get("description", "")) > 10, f"{variable.address}: no description"
    for output in module.outputs.values():
        assert len(output.body.get("description", "")) > 10, f"{output.address}: no description"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_readme_tables_match_the_variables_and_outputs(name):
    readme = (TERRAFORM / "modules" / name / "README.md").read_text()
    assert module_docs.section(readme) == module_docs.render(MODULES[name]), "run `make tf-docs`"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_requires_the_provider_with_response_streaming(name):
    providers = MODULES[name].terraform[0]["required_providers"][0]
    assert providers["aws"]["version"] == ">= 6.28"


def test_runbook_and_adr_exist():
    assert (REPO / "docs/deploy.md").is_file()
    assert (REPO / "docs/adr/0001-rest-api-gateway.md").is_file()
