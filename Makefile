# relaydesk: `make demo` runs the demo, `make test` runs the whole test suite.
# Both create .venv and install what they need on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.relaydesk-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint typecheck system-deps web-assets clean

demo: $(STAMP) web-assets
	$(BIN)/relaydesk demo --host $(HOST) --port $(PORT)

test: system-deps $(STAMP) web-assets
	$(BIN)/ruff check src tests benchmarks
	RELAYDESK_REQUIRE_POSTGRES=1 RELAYDESK_REQUIRE_REDIS=1 RELAYDESK_REQUIRE_BROWSER=1 $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src

system-deps:
	@bash scripts/install-system-deps.sh

# Browser libraries from npm (pinned by web/package-lock.json), served by the app itself.
web-assets:
	@bash scripts/build-web.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache web/node_modules src/relaydesk/web/static/vendor
