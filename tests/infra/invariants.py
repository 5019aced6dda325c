"""The deployment's security and wiring invariants, each a function from a module to violations.

Each function returns a list of human-readable violations (empty when the invariant holds), so the
tests can run it on the real configuration and on counter-examples alike.
"""

from __future__ import annotations

import re
from typing import Any

from terraform_model import Module

OPEN_CIDRS = {"0.0.0.0/0", "::/0"}

# The only process configuration of the cloud host (src/cli/serve.rs, the shared decisions).
FUNCTION_ENVIRONMENT = {
    "UMS_SECRET_PREFIX",
    "UMS_BASE_DOMAIN",
    "UMS_TENANT_CACHE_TTL_SECS",
    "UMS_TENANT_MAX_STALE_SECS",
    "UMS_LAMBDA_RESPONSE_MODE",
    "RUST_LOG",
}

# Reading a secret; nothing that writes, deletes or changes its policy.
SECRET_READ_ACTIONS = {"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}

PREFIX_SCOPED_SECRET_ARN = re.compile(r"^arn:\$\{[^}]+\}:secretsmanager:\$\{[^}]+\}:\$\{[^}]+\}:secret:\$\{var\.secret_prefix\}\*$")


def blocks(body: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """A nested block as a list of bodies, whether it occurs once or many times."""
    value = body.get(key) or []
    return value if isinstance(value, list) else [value]


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def lambda_outside_vpc(module: Module) -> list[str]:
    """Every function runs in VPC subnets with a security group."""
    violations = []
    for function in module.of_type("aws_lambda_function"):
        vpc = blocks(function.body, "vpc_config")
        if not vpc or not vpc[0].get("subnet_ids") or not vpc[0].get("security_group_ids"):
            violations.append(f"{function.address}: no vpc_config with subnets and security groups")
    return violations


def api_call_outside_private_subnets(root: Module) -> list[str]:
    """A composition hands the api module the network module's private subnets and function group."""
    violations = []
    for call in root.modules:
        if not call.body.get("source", "").endswith("modules/api"):
            continue
        if call.body.get("subnet_ids") != "${module.network.private_subnet_ids}":
            violations.append(f"{call.address}: subnet_ids are not the network module's private subnets")
        if call.body.get("security_group_ids") != ["${module.network.function_security_group_id}"]:
            violations.append(f"{call.address}: security_group_ids is not the network module's function group")
    return violations


def secrets_without_cmk(module: Module) -> list[str]:
    """Every secret is encrypted with a customer-managed key of the same module, which rotates."""
    violations = []
    keys = {key.name: key for key in module.of_type("aws_kms_key")}
    for secret in module.of_type("aws_secretsmanager_secret"):
        match = re.fullmatch(r"\$\{aws_kms_key\.([A-Za-z0-9_]+)\.(arn|key_id|id)\}", str(secret.body.get("kms_key_id", "")))
        if not match or match.group(1) not in keys:
            violations.append(f"{secret.address}: kms_key_id is not a customer-managed key of this module")
        elif keys[match.group(1)].body.get("enable_key_rotation") is not True:
            violations.append(f"{keys[match.group(1)].address}: key rotation is off")
    return violations


def tenant_secret_values_in_state(module: Module) -> list[str]:
    """Terraform writes no tenant configuration: the only secret version is the host index."""
    return [
        f"{version.address}: Terraform writes a secret value other than the host index"
        for version in module.of_type("aws_secretsmanager_secret_version")
        if version.body.get("secret_id") != "${aws_secretsmanager_secret.hosts.id}"
    ]


def open_ingress(module: Module) -> list[str]:
    """No security group admits traffic from anywhere (0.0.0.0/0 or ::/0)."""
    violations = []
    for group in module.of_type("aws_security_group"):
        for rule in blocks(group.body, "ingress"):
            if OPEN_CIDRS & set(as_list(rule.get("cidr_blocks")) + as_list(rule.get("ipv6_cidr_blocks"))):
                violations.append(f"{group.address}: inline ingress from anywhere")
    for rule in module.of_type("aws_vpc_security_group_ingress_rule"):
        if {rule.body.get("cidr_ipv4"), rule.body.get("cidr_ipv6")} & OPEN_CIDRS:
            violations.append(f"{rule.address}: ingress from anywhere")
    for rule in module.of_type("aws_security_group_rule"):
        if rule.body.get("type") == "ingress" and OPEN_CIDRS & set(
            as_list(rule.body.get("cidr_blocks")) + as_list(rule.body.get("ipv6_cidr_blocks"))
        ):
            violations.append(f"{rule.address}: ingress from anywhere")
    return violations


def open_egress(module: Module) -> list[str]:
    """Egress names its destination: a security group or a configured network, never anywhere."""
    violations = []
    for group in module.of_type("aws_security_group"):
        if blocks(group.body, "egress"):
            violations.append(f"{group.address}: inline egress (use one described rule per destination)")
    for rule in module.of_type("aws_vpc_security_group_egress_rule"):
        if {rule.body.get("cidr_ipv4"), rule.body.get("cidr_ipv6")} & OPEN_CIDRS:
            violations.append(f"{rule.address}: egress to anywhere")
        if rule.body.get("ip_protocol") != "tcp":
            violations.append(f"{rule.address}: egress is not a single TCP port")
    return violations


def secret_access_beyond_prefix(module: Module) -> list[str]:
    """IAM grants on secrets only read, only `<prefix>*`; KMS decryption only through Secrets Manager."""
    violations = []
    for document in module.data_of_type("aws_iam_policy_document"):
        for statement in blocks(document.body, "statement"):
            if statement.get("effect", "Allow") != "Allow":
                continue
            actions = as_list(statement.get("actions"))
            resources = [module.resolve_local(resource) for resource in as_list(statement.get("resources"))]
            if any(action.startswith("secretsmanager:") for action in actions):
                for action in actions:
                    if action not in SECRET_READ_ACTIONS:
                        violations.append(f"{document.address}: grants {action} on secrets")
                for resource in resources:
                    if not PREFIX_SCOPED_SECRET_ARN.match(str(resource)):
                        violations.append(f"{document.address}: secret access on {resource}, not <prefix>*")
            if "kms:Decrypt" in actions and not is_key_policy(document.body):
                conditions = {condition.get("variable") for condition in blocks(statement, "condition")}
                if "kms:ViaService" not in conditions:
                    violations.append(f"{document.address}: kms:Decrypt without a kms:ViaService condition")
    for attachment in module.of_type("aws_iam_role_policy_attachment"):
        if "SecretsManager" in str(attachment.body.get("policy_arn")) or "SecretsManager" in str(attachment.body.get("for_each")):
            violations.append(f"{attachment.address}: a managed Secrets Manager policy")
    return violations


def is_key_policy(body: dict[str, Any]) -> bool:
    """A KMS key policy names principals; an identity policy (attached to a role) does not."""
    return any(blocks(statement, "principals") for statement in blocks(body, "statement"))


def log_groups_unencrypted_or_unbounded(module: Module) -> list[str]:
    """Every log group is encrypted with a customer-managed key and has a retention."""
    return [
        f"{group.address}: no kms_key_id or retention_in_days"
        for group in module.of_type("aws_cloudwatch_log_group")
        if not group.body.get("kms_key_id") or not group.body.get("retention_in_days")
    ]


def silent_alarms(module: Module) -> list[str]:
    """Every alarm notifies someone."""
    return [
        f"{alarm.address}: no alarm_actions"
        for alarm in module.of_type("aws_cloudwatch_metric_alarm")
        if not as_list(alarm.body.get("alarm_actions"))
    ]


def unjustified_checkov_skips(module: Module) -> list[str]:
    """Every checkov skip says why, in a sentence."""
    violations = []
    for block in [*module.resources, *module.data]:
        for comment in block.comments:
            match = re.match(r"^checkov:skip=(?P<check>[A-Z0-9_]+)(?::(?P<reason>.*))?$", comment.strip())
            if match and len((match.group("reason") or "").strip()) < 30:
                violations.append(f"{block.address}: {match.group('check')} skipped without a reason")
    return violations
