# factdesk: `make run` starts the whole service, `make test` runs the suite. Only python3 needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench bench-load install install-dev install-test-extras openapi
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

# Style, formatting, types (schemas/, keyspace/, settings.py, vocabulary/, workers/engine/; the
# [tool.mypy] in pyproject) and the import contracts (pyproject's [tool.importlinter]).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install-dev install-test-extras lint
	$(BIN)/pytest -q

# `make fuzz`: the long schemathesis run over the live stack's /openapi.json (docs/security.md,
# "Attack it"); `make test` runs the same two tests bounded (20 cases per operation and mode,
# 8 stateful scenarios). About 10 minutes on 2 cores.
FUZZ_ENV := FACTDESK_FUZZ_EXAMPLES=500 FACTDESK_FUZZ_SCENARIOS=60 FACTDESK_FUZZ_STEPS=80
.PHONY: fuzz
fuzz: install-dev
	$(FUZZ_ENV) $(BIN)/pytest -q -s tests/service/test_fuzz_openapi.py

bench: install-dev
	$(BIN)/python benchmarks/api_latency.py

# Two tenants under mixed load for 300 s, then the fairness measurement (benchmarks/README.md).
bench-load: install-dev
	$(BIN)/python benchmarks/load.py

# `make eval`: every judge, the overlap floor, the model alone and one ablation per engine layer on
# every dev file and the contrast-set test half; rewrites the table in docs/evaluation.md (about
# 45 min on 2 free cores; finished rows are reused when the engine is unchanged).
# `make eval-quick`: 150 records per file, table in build/eval/evaluation-quick.md.
# `make fit-baselines`: the baselines' thresholds, from training data only.
EVAL_ENV := OMP_NUM_THREADS=1 FACTDESK_ENGINE_THREADS=1
.PHONY: eval eval-quick fit-baselines
eval: install
	$(EVAL_ENV) $(BIN)/python -m workers.evaluation.suite --jobs 2
eval-quick: install
	$(EVAL_ENV) $(BIN)/python -m workers.evaluation.suite --quick --jobs 2 \
		--docs build/eval/evaluation-quick.md
fit-baselines: install
	$(EVAL_ENV) $(BIN)/python -m workers.evaluation.fit_baselines --jobs 2

-include training/train.mk

# The committed OpenAPI document (tests/service/test_openapi.py fails when it drifts from the
# code). Building the app opens no connection, so any Redis URL will do here.
openapi: install-dev
	REDIS_URL=redis://127.0.0.1:1/0 $(BIN)/flask --app 'service.app:create_app()' \
		openapi write --format=json docs/openapi.json
