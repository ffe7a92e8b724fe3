# Outrider: `make run` and `make test` set up everything they need on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help install run test lint fmt bench postgres clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(STAMP): requirements.lock pyproject.toml | $(UV)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(UV) pip sync --quiet --python $(BIN)/python requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## install Outrider and its pinned dependencies into .venv

run: $(STAMP) ## migrate, load the demo when the database is empty, serve on http://127.0.0.1:8000
	$(BIN)/outrider db upgrade
	$(BIN)/outrider demo load --if-empty
	$(BIN)/outrider demo protocol --if-absent
	$(BIN)/outrider serve --host $(HOST) --port $(PORT)

postgres: ## install the PostgreSQL server the tests start (Debian package) where it is missing
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then \
		echo "PostgreSQL server binaries present"; \
	else \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends postgresql; \
	fi

lint: $(STAMP) ## ruff, formatting, mypy strict, import contracts
	$(BIN)/ruff check src tests benchmarks migrations
	$(BIN)/ruff format --check src tests benchmarks migrations
	$(BIN)/mypy src
	$(BIN)/lint-imports

fmt: $(STAMP) ## format and fix what ruff can
	$(BIN)/ruff check --fix src tests benchmarks migrations
	$(BIN)/ruff format src tests benchmarks migrations

test: $(STAMP) postgres lint ## install what the tests need, then run every test (SQLite and PostgreSQL)
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

bench: $(STAMP) ## run the benchmarks (QUICK=1 for a short run)
	@for script in benchmarks/*.py; do \
		[ -e "$$script" ] || continue; \
		echo "== $$script"; \
		$(BIN)/python $$script $(if $(QUICK),--quick,) || exit 1; \
	done

clean: ## remove the virtual environments and local data
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .mypy_cache .ruff_cache
