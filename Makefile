# Community Voice: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: help install run dev worker api test test-fast lint imports fmt typecheck browser bench clean

help: ## Show the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(BIN)/.installed node_modules/.installed ## Create .venv and install everything (Python and NHS.UK assets)

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install ## Start everything (Temporal dev server, worker, web app, mail catcher) with demo data
	$(BIN)/cvt dev

dev: run

worker: install ## Run a worker only
	$(BIN)/cvt worker

api: install ## Run the web app only
	$(BIN)/cvt api

browser: ## Install Debian's Chromium for the browser tests (needs root)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install browser imports ## Set up and run the whole test suite
	$(BIN)/pytest

test-fast: install imports ## Tests without the end-to-end and browser suites
	$(BIN)/pytest -m "not e2e and not a11y"

lint: install imports ## Ruff, ruff format, mypy (strict) and the floors (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

imports: install ## Check that every import runs down the floors (ARCHITECTURE.md)
	$(BIN)/lint-imports --no-logo --no-cache

fmt: install ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## Run the benchmarks (they print figures; nothing passes or fails)
	$(BIN)/python -m bench.engine
	$(BIN)/python -m bench.codec
	$(BIN)/python -m bench.mail
	$(BIN)/python -m bench.reports
	$(BIN)/python -m bench.staff_pages
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.cli

clean: ## Remove the environment and local state
	rm -rf $(VENV) node_modules var
