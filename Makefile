# ums-oneroster: the commands a newcomer, an operator and CI use.
#   make run    serve the demo municipality on http://127.0.0.1:$(PORT)
#   make test   unit and HTTP-level tests (the command CI runs); installs moto first
#   make moto   moto's Secrets Manager server (moto[server] from PyPI) into target/tools/moto
#   make test-live-mssql  the SQL Server live suite (needs MSSQL_URL; docs/sql-server.md)
#   make lint   cargo fmt --check and clippy -D warnings
#   make conformance   Microsoft's SDS Postman collection with newman against a running server
#   make contract      schemathesis with the official OneRoster 1.2 OpenAPI against a running server
#   make bench  the SDS full-pull benchmark on the L municipality
#   make tf-check      terraform fmt, checkov and the structural tests of terraform/ (offline)
#   make tf-docs       regenerate the inputs/outputs tables of the Terraform module READMEs

PORT ?= 8080
DEMO_DB ?= target/demo/ums-demo-small.sqlite
CONFORMANCE_PORT ?= 18089
CONFORMANCE_SECRET ?= conformance-secret-4f9a2c
CONTRACT_PORT ?= 18090
CARGO ?= cargo
MOTO_VENV ?= target/tools/moto
MOTO_SERVER := $(MOTO_VENV)/bin/moto_server
MOTO_VERSION ?= 5.2.5

.PHONY: run test test-live-mssql moto lint conformance contract bench build demo-l clean-demo tf-check tf-docs

build:
	$(CARGO) build --bin ums-oneroster

run:
	$(CARGO) run --bin ums-oneroster -- serve --demo --db $(DEMO_DB) --listen 127.0.0.1:$(PORT)

test: $(MOTO_SERVER)
	MOTO_SERVER=$(abspath $(MOTO_SERVER)) $(CARGO) nextest run --all-targets --no-fail-fast

moto: $(MOTO_SERVER)

# The SQL Server live suite: needs MSSQL_URL naming a scratch database (docs/sql-server.md).
test-live-mssql:
	$(CARGO) nextest run --test mssql --run-ignored only --no-capture live

$(MOTO_SERVER):
	python3 -m venv $(MOTO_VENV)
	$(MOTO_VENV)/bin/pip install --quiet --disable-pip-version-check 'moto[server]==$(MOTO_VERSION)'


lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

conformance: build
	tests/support/with_demo_server.sh $(CONFORMANCE_PORT) $(CONFORMANCE_SECRET) tests/conformance/sds_newman.sh

contract: build
	tests/support/with_demo_server.sh $(CONTRACT_PORT) $(CONFORMANCE_SECRET) tests/contract/schemathesis.sh

bench:
	$(CARGO) bench --bench sds_pull

demo-l:
	$(CARGO) run --release --bin ums-oneroster -- demo init --scale L --db target/demo/ums-demo-L.sqlite

clean-demo:
	rm -rf target/demo

tf-check:
	tests/infra/tf-check.sh

tf-docs:
	tests/infra/tf-check.sh docs
