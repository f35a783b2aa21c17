# Atrocity Watch — the two commands a newcomer needs:
#   make run    install, prepare data, and serve the web app on http://127.0.0.1:8000
#   make test   install the test tools and run every check the project has
#
# Both create .venv on first use and reinstall only when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# pip takes torch's CPU build from this machine's disk only when asked for this exact version
TORCH  := torch==2.13.0

.PHONY: run test lint typecheck pytest test-web-postgres install clean help

help:
	@echo "make run    - install, import data, build panels and forecasts, serve on http://127.0.0.1:8000"
	@echo "make test   - lint, type-check and run the whole test suite"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

# On a development machine the real datasets sit beside the checkout in ../shared/data: use them
# as the local mirror unless ATROCITY_WATCH_MIRROR names another folder. Elsewhere the data is
# fetched from the publishers (or set ATROCITY_WATCH_MIRROR on a closed network).
DEV_MIRROR := $(wildcard ../shared/data/README.md)

run: $(VENV)/.installed
	@if [ -z "$$ATROCITY_WATCH_MIRROR" ] && [ -n "$(DEV_MIRROR)" ]; then \
	  export ATROCITY_WATCH_MIRROR="$$(cd ../shared/data && pwd)"; \
	  echo "Using the datasets in $$ATROCITY_WATCH_MIRROR as the local mirror (set ATROCITY_WATCH_MIRROR to use another folder)."; \
	fi; \
	exec $(BIN)/atrocity-watch run

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/codespell src tests docs README.md

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

pytest: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The web suite again on PostgreSQL when a server is given (CI starts one; see .ci/run).
test-web-postgres: $(VENV)/.installed-dev
	@if [ -n "$$ATROCITY_WATCH_TEST_DATABASE_URL" ]; then \
	  echo "== web suite on PostgreSQL =="; \
	  DATABASE_URL="$$ATROCITY_WATCH_TEST_DATABASE_URL" $(BIN)/python -m pytest tests/web -m "not browser" -p no:cacheprovider; \
	else \
	  echo "== web suite on PostgreSQL: skipped (set ATROCITY_WATCH_TEST_DATABASE_URL to a server; .ci/run does) =="; \
	fi

test: lint typecheck pytest test-web-postgres

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
