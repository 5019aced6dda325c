# ums-oneroster: the commands a newcomer, an operator and CI use.
#   make run    serve the demo municipality on http://127.0.0.1:$(PORT)
#   make test   unit and HTTP-level tests (the command CI runs); installs moto first
#   make moto   moto's Secrets Manager server (moto[server] from PyPI) into target/tools/moto
#   make test-live-mssql  the SQL Server live suite (needs MSSQL_URL; docs/sql-server.md)
#   make lint   cargo fmt --check and clippy -D warnings
#   make conformance   Microsoft's SDS Postman collection with newman against a running server
#   make contract      schemathesis with the official OneRoster 1.2 OpenAPI against a running server
#   make bench  the SDS full-pull benchmark on the L municipality, and the Lambda host's benchmark
#   make coldstart-layout   re-profile the functions bootstrap runs at start-up (valgrind)
#   make tf-check      terraform fmt, checkov and the structural tests of terraform/ (offline)
#   make tf-docs       regenerate the inputs/outputs tables of the Terraform module READMEs
#   make lambda the arm64 AWS Lambda zip, target/lambda/bootstrap/bootstrap.zip (cargo-lambda)
#   make lambda-reproducible   builds that zip again from scratch in another folder and compares
#               (on a clean checkout: the second build is of the last commit)

PORT ?= 8080
DEMO_DB ?= target/demo/ums-demo-small.sqlite
CONFORMANCE_PORT ?= 18089
CONFORMANCE_SECRET ?= conformance-secret-4f9a2c
CONTRACT_PORT ?= 18090
CARGO ?= cargo
MOTO_VENV ?= target/tools/moto
MOTO_SERVER := $(MOTO_VENV)/bin/moto_server
MOTO_VERSION ?= 5.2.5

# The Lambda build: cargo-lambda and Zig from PyPI in a local venv, pinned.
LAMBDA_TOOLS ?= target/tools/lambda
CARGO_LAMBDA_VERSION ?= 1.9.2
ZIGLANG_VERSION ?= 0.17.1
LAMBDA_TARGET := aarch64-unknown-linux-gnu
LAMBDA_OUT := target/lambda/bootstrap
CARGO_HOME ?= $(HOME)/.cargo
# Reproducible: no checkout or registry paths in the binary, the zip stamped with the last commit.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
SOURCE_DATE_EPOCH := $(SOURCE_DATE_EPOCH)
LAMBDA_COMMIT := $(shell git rev-parse HEAD 2>/dev/null)
# v0 mangling as in .cargo/config.toml (RUSTFLAGS replaces it): the cold-start layout needs it.
LAMBDA_RUSTFLAGS := -C symbol-mangling-version=v0 --remap-path-prefix=$(CURDIR)=/build --remap-path-prefix=$(CARGO_HOME)=/cargo
REPRO_DIR := target/repro
BENCH_BIN := target/bench-bin
COLDSTART_DB := target/demo/coldstart-small.sqlite

.PHONY: run test test-live-mssql moto lint conformance contract bench coldstart-layout build demo-l clean-demo tf-check tf-docs lambda lambda-reproducible

build:
	$(CARGO) build --bin ums-oneroster

run:
	$(CARGO) run --bin ums-oneroster -- serve --demo --db $(DEMO_DB) --listen 127.0.0.1:$(PORT)

test: $(MOTO_SERVER)
	MOTO_SERVER=$(abspath $(MOTO_SERVER)) $(CARGO) nextest run --all-targets --no-fail-fast
	python3 -m unittest discover -s infra/lambda -p 'test_*.py'

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

# The Lambda bench times bootstrap as `make lambda` builds it (without the dev-dependencies'
# features that `cargo bench` adds), hard-linked aside so that `cargo bench` does not replace it.
bench:
	$(CARGO) build --release --bin bootstrap
	$(CARGO) build --release --example lambda_hello
	mkdir -p $(BENCH_BIN) && ln -f target/release/bootstrap target/release/examples/lambda_hello $(BENCH_BIN)/
	python3 infra/lambda/coldstart.py check $(BENCH_BIN)/bootstrap infra/lambda/coldstart.ld
	$(CARGO) bench --bench sds_pull --bench lambda

# Which functions run before the first poll of the runtime API, for the linker (needs valgrind).
coldstart-layout:
	$(CARGO) build --release --bin bootstrap --bin ums-oneroster
	test -f $(COLDSTART_DB) || target/release/ums-oneroster demo init --scale small --db $(COLDSTART_DB)
	python3 infra/lambda/coldstart.py profile target/release/bootstrap infra/lambda/coldstart.ld $(COLDSTART_DB)
	$(CARGO) build --release --bin bootstrap
	python3 infra/lambda/coldstart.py check target/release/bootstrap infra/lambda/coldstart.ld

$(LAMBDA_TOOLS)/bin/cargo-lambda:
	python3 -m venv $(LAMBDA_TOOLS)
	$(LAMBDA_TOOLS)/bin/pip install --quiet cargo-lambda==$(CARGO_LAMBDA_VERSION) ziglang==$(ZIGLANG_VERSION)

lambda: $(LAMBDA_TOOLS)/bin/cargo-lambda
	rustup target add $(LAMBDA_TARGET)
	PATH="$(abspath $(LAMBDA_TOOLS))/bin:$$PATH" RUSTFLAGS="$(LAMBDA_RUSTFLAGS)" \
	  $(CARGO) lambda build --release --arm64 --bin bootstrap
	python3 infra/lambda/coldstart.py check $(LAMBDA_OUT)/bootstrap infra/lambda/coldstart.ld
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) python3 infra/lambda/package.py $(LAMBDA_OUT)/bootstrap $(LAMBDA_OUT)/bootstrap.zip
	@wc -c $(LAMBDA_OUT)/bootstrap $(LAMBDA_OUT)/bootstrap.zip | head -2
	@sha256sum $(LAMBDA_OUT)/bootstrap.zip

lambda-reproducible: lambda
	rm -rf $(REPRO_DIR) && mkdir -p $(REPRO_DIR)
	git archive --format=tar $(LAMBDA_COMMIT) | tar -x -C $(REPRO_DIR)
	$(MAKE) -C $(REPRO_DIR) lambda SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) LAMBDA_TOOLS=$(abspath $(LAMBDA_TOOLS))
	cmp $(LAMBDA_OUT)/bootstrap.zip $(REPRO_DIR)/$(LAMBDA_OUT)/bootstrap.zip
	@echo "reproducible: the zip built in $(REPRO_DIR) is byte-identical"

demo-l:
	$(CARGO) run --release --bin ums-oneroster -- demo init --scale L --db target/demo/ums-demo-L.sqlite

clean-demo:
	rm -rf target/demo

tf-check:
	tests/infra/tf-check.sh

tf-docs:
	tests/infra/tf-check.sh docs
