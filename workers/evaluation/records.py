"""Read evaluation records (the format of `../shared/datasets/eval/README.md`).

A record's source is either one `document` string or a list of `sentences`; sentences are joined
with blank lines, so the engine's segmentation never merges two of them and every evidence span
maps back to the dataset's sentence indices.
"""

from __future__ import annotations

import bisect
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from workers.engine import Document

SENTENCE_JOINER = "\n\n"


class RecordError(ValueError):
    """A line of an evaluation file is not a valid record."""


@dataclass(frozen=True)
class Record:
    id: str
    dataset: str
    claim: str
    document: Document
    label: str | None
    evidence: tuple[tuple[int, ...], ...] = ()  # gold sentence-index sets; any one suffices
    stance: str | None = None
    sentence_starts: tuple[int, ...] = ()  # offset of each dataset sentence in document.text

    def sentence_of(self, offset: int) -> int | None:
        """Return the dataset sentence index containing `offset`, if the record has sentences."""
        if not self.sentence_starts:
            return None
        return bisect.bisect_right(self.sentence_starts, offset) - 1


def dataset_name(path: str | Path) -> str:
    """Name a file's results by its file name without `.jsonl[.gz]`: `wice_dev`."""
    name = Path(path).name
    for suffix in (".gz", ".jsonl", ".json"):
        name = name.removesuffix(suffix)
    return name


def read(path: str | Path, limit: int | None = None) -> Iterator[Record]:
    """Yield the records of a `.jsonl` or `.jsonl.gz` file, at most `limit` of them."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        count = 0
        for number, line in enumerate(handle, start=1):
            if limit is not None and count >= limit:
                return
            if not line.strip():
                continue
            try:
                yield parse(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise RecordError(f"{path}:{number}: not a valid record ({err})") from err
            count += 1


def parse(raw: dict) -> Record:
    """Build a Record from one decoded JSON line."""
    title = raw.get("title")
    starts: tuple[int, ...] = ()
    if "sentences" in raw:
        sentences = [str(s) for s in raw["sentences"]]
        offsets, pos = [], 0
        for s in sentences:
            offsets.append(pos)
            pos += len(s) + len(SENTENCE_JOINER)
        text, starts = SENTENCE_JOINER.join(sentences), tuple(offsets)
    else:
        text = str(raw["document"])
    return Record(
        id=str(raw["id"]),
        dataset=str(raw.get("dataset", "")),
        claim=str(raw["claim"]),
        document=Document(id=str(raw["id"]), text=text, title=title),
        label=raw.get("label"),
        evidence=tuple(tuple(int(i) for i in s) for s in raw.get("evidence") or ()),
        stance=raw.get("stance"),
        sentence_starts=starts,
    )
