# factdesk: `make run` starts the whole service, `make test` runs the suite. Only python3 needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench install install-dev install-test-extras
.DEFAULT_GOAL := run

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Stamps make a second `make run` start at once; editing pyproject.toml reinstalls.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Extra things some tests need beyond Python packages (e.g. a browser); optional script.
install-test-extras: install-dev
	@if [ -f scripts/install-test-extras.sh ]; then bash scripts/install-test-extras.sh; fi

run: install
	$(BIN)/factdesk run

lint: install-dev
	$(BIN)/ruff check .

test: install-dev install-test-extras lint
	$(BIN)/pytest -q

bench: install-dev
	$(BIN)/python benchmarks/api_latency.py

-include training/train.mk
