#!/usr/bin/env bash
# One GPU run: three variants side by side on one card, each inside its own wall-clock budget.
# Only the `full` variant's weights come back (the returned files are size-limited); the other two
# are measurements: `permissive` (commercially usable sources only) and `nosynth` (no synthetic).
# Usage: OUT=dir BUDGET_S=330 bash training/device_run.sh
set -u
OUT=${OUT:?set OUT}
BUDGET_S=${BUDGET_S:-330}
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=true
PY=${PY:-python3}
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
$PY -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)"
common=(--data .device --out "$OUT" --budget-s "$BUDGET_S" --epochs 3 --batch 64 --lr 7e-5 --max-len 256 ${EXTRA:-})
$PY -m training.train "${common[@]}" --variant full 2>&1 | sed -u 's/^/[full] /' &
$PY -m training.train "${common[@]}" --variant nosynth --no-save-weights 2>&1 | sed -u 's/^/[nosynth] /' &
$PY -m training.train "${common[@]}" --variant permissive --no-save-weights 2>&1 | sed -u 's/^/[permissive] /' &
wait
ls -la "$OUT"
