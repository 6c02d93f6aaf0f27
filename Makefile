# Two commands: `make example` (the package with its runtime dependencies and the pinned CDK CLI, then examples/app.py
# synthesized into cdk.out/) and `make test` (adds the dev toolchain and the test-only npm packages, then checks).
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
# What each half installed: `make example` needs the first of each, `make test` both.
RUNTIME_STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.dev-installed
CLI_STAMP := node_modules/.cli-installed
NODE_TEST_STAMP := node_modules/.test-installed
NPM_CI := npm ci --no-audit --no-fund --loglevel=error

# The machine's Node is 20, end-of-life for jsii: silence its warning; keep jsii's package cache in the project.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_RUNTIME_PACKAGE_CACHE_ROOT := $(CURDIR)/.cache/jsii
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CDK_DISABLE_VERSION_CHECK := 1

.PHONY: setup example test lint typecheck unit docs bench clean graphviz

setup: $(DEV_STAMP) $(NODE_TEST_STAMP)

# Editable installs of a pyproject.toml-only project need pip 21.3 or later: upgraded only when older (Python 3.10.0-3.10.1).
$(PY):
	python3 -m venv $(VENV)
	$(PY) -c 'import pip, sys; sys.exit(tuple(map(int, pip.__version__.split(".")[:2])) < (21, 3))' || $(PIP) install --upgrade pip

# The package (editable) and its runtime dependencies at the versions the tests use: all synthesis needs. Without
# --no-compile, pip would byte-compile all of aws-cdk-lib (two thirds of the install's time); Python compiles the
# modules an app imports when it first runs.
$(RUNTIME_STAMP): pyproject.toml | $(PY)
	$(PIP) install --no-compile -e '.[tested]'
	touch $@

# The same plus the toolchain (ruff, mypy, pytest, cfn-lint, cdk-nag, parliament, hypothesis, pdoc, build), and
# everything byte-compiled once (as pip would have; a file that does not compile is skipped, as pip does): the tests
# start many Python processes, PYTHONDONTWRITEBYTECODE machines included.
$(DEV_STAMP): pyproject.toml | $(PY)
	$(PIP) install -e '.[dev]'
	$(PY) -m compileall -q -j 0 "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" >/dev/null || true
	touch $@ $(RUNTIME_STAMP)

# The CDK CLI alone (package.json's dependencies).
$(CLI_STAMP): package.json package-lock.json
	$(NPM_CI) --omit=dev
	touch $@

# Everything in package.json, devDependencies (the Mermaid parser and jsdom) included; npm ci starts from scratch.
$(NODE_TEST_STAMP): package.json package-lock.json
	$(NPM_CI)
	touch $@ $(CLI_STAMP)

# --quiet keeps the templates off stdout, but with several stacks the CLI still says where it wrote them and how to
# show one: those two lines are dropped (our own line below says it); warnings and errors pass through.
example: $(RUNTIME_STAMP) $(CLI_STAMP)
	rm -rf cdk.out
	@echo "cdk synth --quiet --output cdk.out"
	@cdk synth --quiet --output cdk.out 2>&1 | { grep -v -e '^Successfully synthesized to ' -e '^Supply a stack id ' || true; }
	@echo "Templates written to cdk.out/:" && ls cdk.out/*.template.json

lint: setup
	ruff check .
	ruff format --check .

typecheck: setup
	mypy

# The transfer-map tests render DOT with the real Graphviz `dot`; CI (CI=true, root, Debian) installs it when missing.
# Elsewhere those tests skip with a message saying how to install it.
graphviz:
	@if ! command -v dot >/dev/null && [ "$${CI:-}" = "true" ]; then \
		echo "Installing Graphviz for the transfer-map tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends graphviz >/dev/null; \
	fi

unit: setup graphviz
	pytest

# The API reference from the docstrings (pdoc, set up by docs/build.py); a pdoc warning or a public name without a
# docstring fails it. jsii starts node on import: allowed.
docs: setup
	rm -rf build/docs
	PDOC_ALLOW_EXEC=1 $(PY) docs/build.py build/docs
	@echo "API reference written to build/docs/index.html"

test: lint typecheck unit docs

bench: setup
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) node_modules cdk.out .cache .pytest_cache .mypy_cache .ruff_cache
