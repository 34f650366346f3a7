"""A one-line progress bar on stderr, redrawn at most ten times a second."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class Progress:
    def __init__(
        self, label: str, total: int, enabled: bool = True, stream: TextIO | None = None
    ) -> None:
        self.label, self.total, self.done = label, total, 0
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self._drawn = 0.0
        # Redraw often on a terminal; in a log file, a line every few seconds is plenty.
        self.interval = 0.1 if self.stream.isatty() else 5.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if self.enabled and now - self._drawn > self.interval:
            self._drawn = now
            self._draw(now)

    def close(self) -> None:
        if self.enabled:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, now: float) -> None:
        share = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * share)
        rate = self.done / (now - self.started) if now > self.started else 0.0
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] "
            f"{self.done}/{self.total} {rate:.1f} claims/s"
        )
        self.stream.flush()
