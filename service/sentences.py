"""An article's sentence count, by the engine's own segmenter (so it matches evidence indices)."""

from __future__ import annotations


def sentence_count(text: str) -> int:
    # Imported here: the engine package is only needed once an article is actually written.
    from workers.engine.segment import segment

    return len(segment(text))
