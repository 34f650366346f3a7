"""Human-facing output of an evaluation: the console table, the Markdown report and its PNGs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workers.evaluation import metrics
from workers.evaluation.png import Canvas

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
CELL = 70


def table(datasets: dict[str, dict]) -> str:
    """Return a fixed-width table, one row per dataset, '-' where a metric does not apply."""
    width = max([len("dataset"), *(len(d) for d in datasets)])
    head = "dataset".ljust(width) + "".join(f"{c:>15}" for c in COLUMNS)
    lines = [head]
    for name, values in datasets.items():
        cells = "".join(f"{_fmt(values.get(c)):>15}" for c in COLUMNS)
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
    calibration: dict[str, tuple[Sequence[float], Sequence[bool]]],
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
                confusion_png(values[key]).save(png)
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
            reliability_png(bins).save(png)
            lines += ["| confidence | accuracy | n |", "|---|---|---|"]
            lines += [f"| {c:.2f} | {a:.2f} | {n} |" for c, a, n in bins]
            lines += ["", f"![reliability]({png.name})"]
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def confusion_png(matrix: dict[str, dict[str, int]]) -> Canvas:
    """Rows are gold labels, columns predictions (in the Markdown table's order), darker = more."""
    labels = _labels(matrix)
    size = CELL * len(labels)
    canvas = Canvas(size + 1, size + 1)
    peak = max((n for row in matrix.values() for n in row.values()), default=1) or 1
    for r, g in enumerate(labels):
        for c, p in enumerate(labels):
            n = matrix.get(g, {}).get(p, 0)
            shade = 255 - int(200 * n / peak)
            canvas.rect(
                c * CELL + 1, r * CELL + 1, (c + 1) * CELL, (r + 1) * CELL, (shade, shade, 255)
            )
            canvas.text(c * CELL + 8, r * CELL + CELL // 2 - 5, str(n))
    return canvas


def reliability_png(bins: Sequence[tuple[float, float, int]], size: int = 300) -> Canvas:
    """Accuracy (bar height) against mean confidence per bin; the diagonal is calibration."""
    canvas = Canvas(size, size)
    for conf, acc, _ in bins:
        x = int(conf * (size - 1))
        canvas.rect(x - 8, int((1 - acc) * (size - 1)), x + 8, size, (120, 160, 230))
    canvas.line(0, size - 1, size - 1, 0, (200, 0, 0))
    canvas.line(0, size - 1, size - 1, size - 1, (0, 0, 0))
    canvas.line(0, 0, 0, size - 1, (0, 0, 0))
    return canvas


def _labels(matrix: dict[str, dict[str, int]]) -> list[str]:
    seen = list(matrix)
    for row in matrix.values():
        seen += [p for p in row if p not in seen]
    order = [*metrics.LABELS3, "NOT_SUPPORTED", *metrics.FNC_STANCES]
    return sorted(set(seen), key=lambda x: order.index(x) if x in order else len(order))


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.3f}"
    return str(value)
