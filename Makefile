# shipspec: every target bootstraps what it needs (virtual environment, pinned tools, npm packages from the lock).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
STAMPS := .make
GENERATED_PACKAGES := $(sort $(dir $(wildcard generated/*/pyproject.toml)))
export PATH := $(abspath $(VENV))/bin:$(abspath node_modules/.bin):$(PATH)

.PHONY: help venv node servers lock generate generate-check lint test run publish bench crash-check fleet-check clean

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(STAMPS)/venv: requirements/dev.lock pyproject.toml sandbox/pyproject.toml $(wildcard generated/*/pyproject.toml)
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "shipspec needs Python >= 3.11"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(UV) pip sync --quiet --python $(PY) requirements/dev.lock
	@$(UV) pip install --quiet --python $(PY) --no-deps $(addprefix -e ,$(GENERATED_PACKAGES)) -e . -e sandbox
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/node: package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

venv: $(STAMPS)/venv  ## create the virtual environment with pinned tools

# The servers the tests start on 127.0.0.1 (PostgreSQL, Redis): installed from Debian's packages when missing.
servers:  ## install the test servers' programs (Debian packages postgresql, redis-server) when missing
	@scripts/system_packages.sh

lock: venv  ## recompile requirements/dev.lock from pyproject's dev dependency group
	@$(UV) pip compile --quiet --group dev --python-version 3.11 -o requirements/dev.lock
node: $(STAMPS)/node  ## install the pinned npm tools (Spectral, Prism)

generate: venv  ## regenerate generated/ from specs/ (skips unchanged specs)
	@$(PY) -m generator

generate-check: venv  ## fail if generated/ differs from what the specs produce
	@$(PY) -m generator --check

lint: venv  ## ruff and mypy --strict on hand-written and generated code
	@ruff check generator overrides sandbox publishing scripts bench tests
	@ruff format --check generator overrides sandbox publishing scripts bench tests
	@mypy generator overrides sandbox publishing scripts bench tests
	@for pkg in $(GENERATED_PACKAGES); do (cd $$pkg && ruff check . && ruff format --check .); done
	@mypy --config-file generator/mypy-generated.ini $(wildcard generated/*/shipspec_*)

test: venv node servers lint  ## the whole test suite (what CI runs)
	@$(PY) -m pytest -q

run: venv node  ## the main job: ship examples/orders.csv through the four local carrier sandboxes
	@$(PY) -m generator
	@scripts/run_demo.sh

publish: venv  ## version gate, build every wheel and sdist, upload to INDEX_URL (default: embedded index)
	@$(PY) -m publishing publish

crash-check: venv  ## kill -9 shipspec ship at every journal boundary, re-run, compare ledgers (SQLite, PostgreSQL)
	@$(PY) -m scripts.exactly_once --crash --random 8
	@$(PY) -m scripts.exactly_once --crash --postgres --random 8

fleet-check: venv servers  ## 10,000 shipments on three Celery workers (Redis, PostgreSQL), one killed with kill -9: one JSON line
	@$(PY) -m scripts.fleet_check --count 10000 --workers 3

bench: venv  ## run the benchmarks (bench/): print the figures and write BENCHMARKS.md
	@$(PY) -m bench

clean:  ## remove the environments
	rm -rf $(VENV) node_modules $(STAMPS)
