# Two commands for a newcomer: `make run` (build the tables, execute the notebooks)
# and `make test` (the whole suite). Both create the environment from
# requirements.lock first, installing uv if the machine has none.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BOOTSTRAP := .uv-bootstrap
UV := $(or $(shell command -v uv 2>/dev/null),$(BOOTSTRAP)/bin/uv)
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))

.PHONY: help env run build notebooks figures test test-unit test-notebooks lint format bench lock browser-check clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(BOOTSTRAP)/bin/uv:
	$(PYTHON) -m venv $(BOOTSTRAP)
	$(BOOTSTRAP)/bin/python -m pip install --quiet uv

$(STAMP): requirements.lock pyproject.toml | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --python $(PY) --require-hashes requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps --no-build-isolation -e .
	touch $@

env: $(STAMP) ## Create .venv from requirements.lock (installs uv if missing)

build: $(STAMP) ## Run `toolkit build` on data/raw into data/processed
	$(PY) -m toolkit build data/raw --out data/processed

notebooks: build ## Re-execute every notebook in place
	$(PY) -m toolkit notebooks $(NOTEBOOKS)

figures: build ## Write every notebook figure to reports/figures (SVG and PNG)
	$(PY) -m toolkit figures --out reports/figures

run: build notebooks figures ## The main job: build the tables, execute the notebooks, write the figures

test: build ## The whole suite: lint, unit/property/doc tests, notebooks (nbval)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest
	$(if $(NOTEBOOKS),$(PY) -m pytest -p no:randomly --nbval --nbval-sanitize-with notebooks/sanitize.cfg -o testpaths= $(NOTEBOOKS),@echo "no notebooks yet")

lint: $(STAMP) ## ruff check and format check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(STAMP) ## Run every benchmark (slow; see benchmarks/README.md)
	$(PY) benchmarks/run_all.py

lock: ## Re-resolve requirements.lock from pyproject.toml
	$(UV) pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 --quiet -o requirements.lock

browser-check: $(STAMP) ## Open 04-seoul-ties in JupyterLab in headless Chromium; fail unless its charts render offline
	$(PY) scripts/browser_check.py notebooks/04-seoul-ties.ipynb

clean: ## Remove the environment and everything rebuilt
	rm -rf $(VENV) $(BOOTSTRAP) data/processed/* .pytest_cache .ruff_cache
