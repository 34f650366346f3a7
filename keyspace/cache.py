"""The verdict cache: the one thing in Redis that expires.

An entry is keyed by a fingerprint of everything that can change a verdict: the normalised
claim, the article revision, the source set and the engine version.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import redis

from keyspace.keys import Keys

_SPACE = re.compile(r"\s+")


def normalise_claim(claim: str) -> str:
    """Return the claim as the cache sees it: NFC, whitespace collapsed, ends trimmed.

    Case is kept on purpose: the engine reads capitals (names, countries), so "france" and
    "France" are different questions.
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFC", claim)).strip()


def _source_keys(sources: Iterable[str | dict]) -> list[str]:
    # Named sources stay plain strings (their fingerprints are unchanged); a `url` source object
    # becomes canonical JSON.
    return sorted({s if isinstance(s, str) else json.dumps(s, sort_keys=True) for s in sources})


def fingerprint(
    claim: str, article_revision: str | None, sources: Iterable[str | dict], engine_version: str
) -> str:
    """Return the cache fingerprint of a check request."""
    material = json.dumps(
        [normalise_claim(claim), article_revision or "", _source_keys(sources), engine_version],
        ensure_ascii=False,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VerdictCache:
    redis: redis.Redis
    keys: Keys
    ttl_s: int

    @property
    def enabled(self) -> bool:
        return self.ttl_s > 0

    def get(self, fingerprint: str) -> dict | None:
        """Return the cached verdict, or None on a miss (or when the cache is disabled)."""
        if not self.enabled:
            return None
        raw = self.redis.get(self.keys.verdict_cache(fingerprint))
        return json.loads(raw) if raw else None

    def put(self, pipe: redis.client.Pipeline, fingerprint: str, verdict_json: str) -> None:
        """Queue the cache write on `pipe`, so it commits together with the check record."""
        if self.enabled:
            pipe.set(self.keys.verdict_cache(fingerprint), verdict_json, ex=self.ttl_s)
