"""Map a raw verdict confidence to the accuracy it had on training data (isotonic regression).

Raw confidences come from the aggregation rule (a passage's probability, a coverage share) and
mean different things per label, so each label gets its own monotone map, fitted by
pool-adjacent-violators on the training records (`scripts/engine/fit_thresholds.py`) and stored
as knots in `data/thresholds.json`. Between knots the map is linear; outside them, flat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

Knots = list[tuple[float, float]]


@dataclass(frozen=True)
class Calibration:
    knots: dict[str, Knots] = field(default_factory=dict)  # label -> [(raw, calibrated), ...]

    @classmethod
    def for_judge(cls, judge: str) -> Calibration:
        """The calibration fitted for `judge` (identity where none was fitted)."""
        from workers.engine.aggregate import fitted_for

        knots = fitted_for(judge).get("calibration", {})
        return cls({label: [tuple(k) for k in points] for label, points in knots.items()})

    def __call__(self, label: str, raw: float) -> float:
        """Return the calibrated confidence of `label` at raw confidence `raw`."""
        points = self.knots.get(label)
        if not points:
            return raw
        xs, ys = zip(*points, strict=True)
        return float(np.interp(raw, xs, ys))


def isotonic(
    x: Sequence[float],
    y: Sequence[float],
    w: Sequence[float] | None = None,
    smoothing: float = 0.0,
) -> Knots:
    """Fit a non-decreasing step function to (x, y) by pool-adjacent-violators.

    Returns one knot per pooled block: (weighted mean x, weighted mean y). With `smoothing` s,
    a block's y is (sum w*y + s) / (sum w + 2s), so 40 right answers out of 40 map to 0.98,
    not to a certainty no dev set can show.
    """
    if not x:
        return []
    weights = list(w) if w is not None else [1.0] * len(x)
    order = sorted(range(len(x)), key=lambda i: x[i])
    blocks: list[list[float]] = []  # [sum w*x, sum w*y, sum w]

    def value(block: list[float]) -> float:
        return (block[1] + smoothing) / (block[2] + 2 * smoothing)

    for i in order:
        if weights[i] <= 0:
            continue
        blocks.append([weights[i] * x[i], weights[i] * y[i], weights[i]])
        while len(blocks) > 1 and value(blocks[-2]) >= value(blocks[-1]):
            last = blocks.pop()
            for j in range(3):
                blocks[-1][j] += last[j]
    return [(round(b[0] / b[2], 4), round(value(b), 4)) for b in blocks]
