"""Evidence sources: where the documents a check is judged against come from.

"article" is the stored article (read from Redis by the task); "archive" searches every stored
article; "wikipedia" searches Wikipedia's Action API; "url" fetches a page the client names
(`{"type": "url", "url": "https://…"}`); "factchecks" finds published fact-checks, which go
beside the verdict (`related_fact_checks`), never into it.
Each source turns a claim into `workers.engine.types.Document`s; none of them judges. External
sources call out through the one session in `workers.sources.http`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

# The source names are the API's vocabulary too: add a new source type in vocabulary.py.
from vocabulary import MAX_URL_SOURCES as MAX_URL_SOURCES
from vocabulary import SOURCE_TYPES as SOURCE_TYPES
from vocabulary import URL_SOURCE as URL_SOURCE
from workers.engine.types import Document


class SourceError(Exception):
    """A source gave no documents; the message says why, in words a client can read."""


class SourceUnavailable(SourceError):
    """A source could not be reached or answered with a server error: worth retrying."""


class SourceRefused(SourceError):
    """A source answered, but with nothing we may use (4xx, robots.txt, content type, size)."""


@dataclass(frozen=True)
class SourceDocument(Document):
    """A document plus when it was fetched, so evidence can say how fresh its quote is."""

    retrieved_at: str = ""


def iso_utc(when: datetime | None = None) -> str:
    """Return `when` (default: now) as an RFC 3339 UTC string, as evidence's `retrieved_at`."""
    when = when or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
