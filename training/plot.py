"""Loss curve and validation scores of a training log, as a PNG.

python -m training.plot training/out/full/log_full.json training/out/full/loss_full.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def plot(log_path: Path, png_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # headless: no display on build machines
    import matplotlib.pyplot as plt

    log = json.loads(log_path.read_text())
    curve = log["curve"]
    fig, ax = plt.subplots(figsize=(7, 4))
    pairs = [c["pairs"] for c in curve]
    losses = [c["loss"] for c in curve]
    # Single-batch losses are noisy: draw a running mean over 20 points on top.
    smooth = [sum(losses[max(0, i - 19) : i + 1]) / len(losses[max(0, i - 19) : i + 1])
              for i in range(len(losses))]  # fmt: skip
    ax.plot(pairs, losses, alpha=0.25, label="batch loss")
    ax.plot(pairs, smooth, label="running mean (20)")
    ax.set_xlabel("training pairs seen")
    ax.set_ylabel("loss")
    ax2 = ax.twinx()
    evals = log["evals"]
    if evals:
        accuracy = [e["val"]["acc3"] for e in evals]
        ax2.plot([e["pairs"] for e in evals], accuracy, "o-", color="C2", label="val acc3")
        ax2.set_ylabel("validation accuracy")
        ax2.legend(loc="lower right")
    ax.legend(loc="upper right")
    ax.set_title(f"{log_path.name}: {log['summary']['epochs']:.2f} epochs on {log['device']}")
    fig.tight_layout()
    fig.savefig(png_path, dpi=100)


if __name__ == "__main__":
    plot(Path(sys.argv[1]), Path(sys.argv[2]))
