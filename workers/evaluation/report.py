"""Human-facing output of an evaluation: the console table, the Markdown report and its PNGs.

The charts need matplotlib (the optional `eval` extra: `pip install -e '.[eval]'`); it is
imported only when a report is written, so the table needs nothing beyond the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from workers.evaluation import metrics

COLUMNS = (
    "n",
    "bacc_support",
    "acc3",
    "macro_f1_3",
    "fnc_score_rel",
    "refuted_f1",
    "pair_acc",
    "evidence_hit@1",
    "evidence_hit@3",
    "evidence_hit@5",
    "p50_ms",
    "p95_ms",
    "claims_per_s",
)


def table(datasets: dict[str, dict]) -> str:
    """Return a fixed-width table, one row per dataset, '-' where a metric does not apply."""
    width = max([len("dataset"), *(len(d) for d in datasets)])
    head = "dataset".ljust(width) + "".join(f"{c:>15}" for c in COLUMNS)
    lines = [head]
    for name, values in datasets.items():
        cells = "".join(f"{fmt(values.get(c)):>15}" for c in COLUMNS)
        lines.append(name.ljust(width) + cells)
    return "\n".join(lines)


def kinds_text(values: dict) -> str:
    """Contrast sets: accuracy per edit kind, one line each."""
    counts = values.get("n_by_kind", {})
    return "\n".join(
        f"  {kind:<24}{acc:.3f}  (n={counts.get(kind, '?')})"
        for kind, acc in values.get("acc_by_kind", {}).items()
    )


def confusion_text(matrix: dict[str, dict[str, int]]) -> str:
    """Render {gold: {pred: n}} as a small text table (rows gold, columns predicted)."""
    labels = _labels(matrix)
    width = max(len(x) for x in [*labels, "gold / pred"]) + 2
    lines = ["gold / pred".ljust(width) + "".join(lab.rjust(width) for lab in labels)]
    for g in labels:
        if g in matrix:
            row = "".join(str(matrix[g].get(p, 0)).rjust(width) for p in labels)
            lines.append(g.ljust(width) + row)
    return "\n".join(lines)


def write_report(
    directory: str | Path,
    engine: dict,
    datasets: dict[str, dict],
    calibration: Mapping[str, tuple[Sequence[float], Sequence[bool]]],
) -> Path:
    """Write `report.md` with a confusion-matrix and a reliability PNG per dataset."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    lines = ["# factdesk evaluation", "", f"Engine: `{engine}`", "", "```", table(datasets), "```"]
    for name, values in datasets.items():
        lines += ["", f"## {name}", ""]
        for key in ("confusion", "fnc_confusion"):
            if key in values:
                png = out / f"{name}-{key}.png"
                confusion_png(values[key], png)
                lines += [
                    "```",
                    confusion_text(values[key]),
                    "```",
                    "",
                    f"![{key}]({png.name})",
                    "",
                ]
        if name in calibration:
            conf, correct = calibration[name]
            bins = metrics.reliability(conf, correct)
            png = out / f"{name}-reliability.png"
            reliability_png(bins, png)
            lines += ["| confidence | accuracy | n |", "|---|---|---|"]
            lines += [f"| {c:.2f} | {a:.2f} | {n} |" for c, a, n in bins]
            lines += ["", f"![reliability]({png.name})"]
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def confusion_png(matrix: dict[str, dict[str, int]], path: Path) -> None:
    """Rows are gold labels, columns predictions (in the Markdown table's order), darker = more."""
    plt = _pyplot()
    labels = _labels(matrix)
    counts = [[matrix.get(g, {}).get(p, 0) for p in labels] for g in labels]
    fig, ax = plt.subplots(figsize=(1.2 * len(labels) + 1.5, 1.0 * len(labels) + 1.2))
    ax.imshow(counts, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    peak = max((n for row in counts for n in row), default=0)
    for r, row in enumerate(counts):
        for c, n in enumerate(row):
            ax.text(
                c, r, str(n), ha="center", va="center", color="white" if n > peak / 2 else "black"
            )
    _save(fig, path)


def reliability_png(bins: Sequence[tuple[float, float, int]], path: Path) -> None:
    """Accuracy (bar height) against mean confidence per bin; the diagonal is calibration."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(4, 4))
    ax.bar([c for c, _, _ in bins], [a for _, a, _ in bins], width=0.06, color="#789fe6")
    ax.plot([0, 1], [0, 1], color="#c80000", linewidth=1)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean confidence")
    ax.set_ylabel("accuracy")
    _save(fig, path)


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only, no display
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise RuntimeError(
            "--report draws charts with matplotlib: pip install -e '.[eval]'"
        ) from err
    return plt


def _save(fig: Any, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    _pyplot().close(fig)


def _labels(matrix: dict[str, dict[str, int]]) -> list[str]:
    seen = list(matrix)
    for row in matrix.values():
        seen += [p for p in row if p not in seen]
    order = [*metrics.LABELS3, "NOT_SUPPORTED", *metrics.FNC_STANCES]
    return sorted(set(seen), key=lambda x: order.index(x) if x in order else len(order))


def fmt(value: object, missing: str = "-") -> str:
    """A metric for a table: 3 decimals below 10, 1 above (latencies), `missing` for None."""
    if value is None:
        return missing
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.3f}"
    return str(value)
