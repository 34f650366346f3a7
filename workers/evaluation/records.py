"""Read evaluation records (the format of `../shared/datasets/eval/README.md`).

A record's source is either one `document` string or a list of `sentences`; sentences are joined
with blank lines, so the engine's segmentation never merges two of them and every evidence span
maps back to the dataset's sentence indices.
"""

from __future__ import annotations

import bisect
import csv
import functools
import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from workers.engine import Document

SENTENCE_JOINER = "\n\n"
PROJECT = Path(__file__).resolve().parents[2]
# The shared datasets folder sits beside the project checkout (README: `../shared/datasets`).
DATASETS = PROJECT.parent / "shared" / "datasets"
CONTRAST = PROJECT / "data" / "contrast"
CONTRAST_LABELS = ("REFUTED", "NOT_ENOUGH_INFO")


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
    kind: str | None = None  # contrast sets: the edit's kind (role_swap, negation, ...)

    def sentence_of(self, offset: int) -> int | None:
        """Return the dataset sentence index containing `offset`, if the record has sentences."""
        if not self.sentence_starts:
            return None
        return bisect.bisect_right(self.sentence_starts, offset) - 1


def dataset_name(path: str | Path) -> str:
    """Name a file's results by its file name without `.jsonl[.gz]`: `wice_dev`.

    A contrast-set split directory is named `contrast_<split>`: `data/contrast/test` →
    `contrast_test`.
    """
    if Path(path).is_dir():
        return f"contrast_{Path(path).resolve().name}"
    name = Path(path).name
    for suffix in (".gz", ".jsonl", ".json"):
        name = name.removesuffix(suffix)
    return name


def read(path: str | Path, limit: int | None = None) -> Iterator[Record]:
    """Yield the records of a `.jsonl` or `.jsonl.gz` file, at most `limit` of them.

    A directory is read as a contrast-set split (`contrast_records`).
    """
    if Path(path).is_dir():
        yield from contrast_records(path)[:limit]
        return
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
        kind=raw.get("kind"),
    )


# ---- contrast sets (issue #9 §2): data/contrast/{train,test}/<text_id>.json ----------------------


def contrast_records(split: str | Path, datasets: str | Path | None = None) -> list[Record]:
    """Every pair of a contrast split as two records: `<pair id>/s` (SUPPORTED) and `<pair id>/e`.

    `split` is `"train"`, `"test"` or a directory of `<text_id>.json` files. The source text is
    read from the shared datasets folder (`datasets`, default `../shared/datasets`), so the
    contrast files carry only claims, never a copy of the licensed text.
    """
    directory = CONTRAST / split if str(split) in ("train", "test") else Path(split)
    if not directory.is_dir():
        raise RecordError(f"{directory}: no such contrast-set directory")
    root = Path(datasets) if datasets is not None else DATASETS
    by_text: list[list[list[Record]]] = []  # per file, per pair: its two records
    seen: set[str] = set()
    for path in sorted(directory.glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            text = _source_text(root, raw["source"])
            pairs = []
            for pair in raw["pairs"]:
                pair_records = _pair_records(raw["text_id"], text, pair)
                if pair_records[0].id in seen:
                    # Pair accuracy groups by pair id, so two texts may not share one.
                    raise ValueError(f"pair id {pair['id']!r} used twice in {directory}")
                seen.add(pair_records[0].id)
                pairs.append(pair_records)
            by_text.append(pairs)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
            raise RecordError(f"{path}: not a valid contrast file ({err})") from err
    # Pairs in a fixed pseudo-random order (by a hash of their id), halves kept together, so
    # that the first N records (`--limit`) are a fair sample of texts and edit kinds: within a
    # file, pairs are written kind by kind.
    pairs = sorted((p for text in by_text for p in text), key=lambda p: _stable_key(p[0].id))
    return [record for pair in pairs for record in pair]


def _stable_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def pair_of(record: Record) -> str | None:
    """The contrast pair a record belongs to (`<pair id>` of `<pair id>/s`), else None."""
    if record.kind is None or record.id[-2:] not in ("/s", "/e"):
        return None
    return record.id[:-2]


def _pair_records(text_id: str, text: str, pair: dict) -> list[Record]:
    label = str(pair["edited_label"])
    if label not in CONTRAST_LABELS:
        raise ValueError(f"pair {pair['id']!r}: edited_label {label!r} not in {CONTRAST_LABELS}")
    kind = str(pair["kind"])
    document = Document(id=text_id, text=text)
    return [
        Record(
            id=f"{pair['id']}/{half}",
            dataset="contrast",
            claim=str(pair[field]),
            document=document,
            label=gold,
            kind=kind,
        )
        for half, field, gold in (("s", "supported", "SUPPORTED"), ("e", "edited", label))
    ]


def _source_text(root: Path, source: dict) -> str:
    """The text a contrast file's claims are about, looked up in the shared datasets."""
    path = root / str(source["file"])
    wanted = str(source["id"])
    if path.name.endswith(".csv"):
        text = _fnc1_bodies(path).get(wanted)
    else:
        text = _jsonl_documents(path).get(wanted)
    if text is None:
        raise ValueError(f"no text with id {wanted!r} in {path}")
    return text


@functools.cache
def _fnc1_bodies(path: Path) -> dict[str, str]:
    """FNC-1 bodies by Body ID (the CSV's `articleBody`)."""
    csv.field_size_limit(1 << 24)  # some article bodies exceed csv's 128 KiB default
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}


@functools.cache
def _jsonl_documents(path: Path) -> dict[str, str]:
    """Documents of an eval-format file by record id; `sentences` joined with single spaces."""
    out: dict[str, str] = {}
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                raw = json.loads(line)
                if "sentences" in raw:
                    out[str(raw["id"])] = " ".join(str(s) for s in raw["sentences"])
                else:
                    out[str(raw["id"])] = str(raw["document"])
    return out
