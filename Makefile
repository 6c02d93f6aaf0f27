# Two commands: `make example` (set up, then synthesize examples/app.py into cdk.out/) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The machine's Node is 20, end-of-life for jsii: silence its warning; keep jsii's package cache in the project.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_RUNTIME_PACKAGE_CACHE_ROOT := $(CURDIR)/.cache/jsii
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CDK_DISABLE_VERSION_CHECK := 1

.PHONY: setup example test lint typecheck unit docs bench clean graphviz

setup: $(STAMP) node_modules/.installed

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

example: setup
	rm -rf cdk.out
	cdk synth --quiet --output cdk.out
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

# The API reference from the docstrings (pdoc); any pdoc warning fails it. jsii starts node on import: allowed.
docs: setup
	rm -rf build/docs
	PDOC_ALLOW_EXEC=1 $(PY) -W error::UserWarning -m pdoc --docformat restructuredtext -o build/docs cdk_connect_quickconnect
	@echo "API reference written to build/docs/index.html"

test: lint typecheck unit docs

bench: setup
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) node_modules cdk.out .cache .pytest_cache .mypy_cache .ruff_cache
