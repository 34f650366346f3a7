"""`factdesk eval`: score the engine on labelled claim files and report the metrics."""

from workers.evaluation.cli import main

__all__ = ["main"]
