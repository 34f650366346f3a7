"""Article storage: metadata hash, one text per revision, an ordered index for pagination."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import redis

from keyspace.keys import Keys
from keyspace.records import to_fields, utcnow

METADATA_FIELDS = ("title", "url", "published_at", "source", "external_id")
# Entries the article change log keeps; a worker further behind rebuilds its archive index.
CHANGE_LOG_LENGTH = 100_000


def revision_of(text: str) -> str:
    """Return the revision id of a text: a content hash, so equal texts share a revision."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def text_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def new_article_id() -> str:
    return "art_" + secrets.token_hex(8)


class ExternalIdTaken(Exception):
    """`external_id` already names another article."""

    def __init__(self, article_id: str) -> None:
        super().__init__(article_id)
        self.article_id = article_id


@dataclass(frozen=True)
class ArticleStore:
    redis: redis.Redis
    keys: Keys

    def create(self, text: str, sentence_count: int, metadata: dict[str, object]) -> dict:
        """Store a new article and return its record.

        :raise ExternalIdTaken: when `metadata["external_id"]` already belongs to an article.
        """
        article_id = new_article_id()
        revision = revision_of(text)
        now = utcnow()
        record = {
            **{name: metadata.get(name) for name in METADATA_FIELDS},
            "id": article_id,
            "revision": revision,
            "sentence_count": sentence_count,
            "char_count": len(text),
            "revision_count": 1,
            "created_at": now,
            "updated_at": now,
        }
        external_id = metadata.get("external_id")
        external_key = self.keys.article_external_id(str(external_id)) if external_id else None
        sequence = self.redis.incr(self.keys.article_sequence())

        def write(pipe: redis.client.Pipeline) -> None:
            if external_key is not None:
                owner = pipe.get(external_key)
                if owner is not None:
                    raise ExternalIdTaken(owner)
            pipe.multi()
            pipe.hset(self.keys.article(article_id), mapping=to_fields(record))
            pipe.set(self.keys.article_text(article_id, revision), text)
            pipe.rpush(self.keys.article_revisions(article_id), revision)
            pipe.zadd(self.keys.article_index(), {article_id: sequence})
            pipe.incrby(self.keys.stored_bytes(), text_bytes(text))
            if external_key is not None:
                pipe.set(external_key, article_id)
            self._log_change(pipe, "upsert", article_id, revision)

        watched = [external_key] if external_key else []
        self.redis.transaction(write, *watched)
        return self._decode_existing(to_fields(record))

    def get(self, article_id: str) -> dict | None:
        """Return the article record, or None when there is no such article."""
        return self._decode(self.redis.hgetall(self.keys.article(article_id)))

    def find_by_external_id(self, external_id: str) -> dict | None:
        article_id = self.redis.get(self.keys.article_external_id(external_id))
        return self.get(article_id) if article_id else None

    def text(self, article_id: str, revision: str) -> str | None:
        """Return the text of one revision, or None when it was never stored or was deleted."""
        return self.redis.get(self.keys.article_text(article_id, revision))

    def revisions(self, article_id: str) -> list[str]:
        return self.redis.lrange(self.keys.article_revisions(article_id), 0, -1)

    def update(
        self, article_id: str, text: str, sentence_count: int, metadata: dict[str, object]
    ) -> dict | None:
        """Replace text and metadata; a changed text becomes a new revision. None if missing.

        Old revision texts stay, so a check queued against them still finishes; the verdict
        cache is keyed by revision, so answers for old text no longer match new checks.
        """
        key = self.keys.article(article_id)
        revision = revision_of(text)

        def write(pipe: redis.client.Pipeline) -> dict | None:
            current = self._decode(pipe.hgetall(key))
            if current is None:
                return None
            changed = revision != current["revision"]
            updates = {
                **{name: metadata.get(name) for name in METADATA_FIELDS if name != "external_id"},
                "revision": revision,
                "sentence_count": sentence_count,
                "char_count": len(text),
                "updated_at": utcnow(),
                "revision_count": current["revision_count"] + (1 if changed else 0),
            }
            cleared = [n for n in METADATA_FIELDS if n != "external_id" and updates[n] is None]
            pipe.multi()
            if cleared:
                pipe.hdel(key, *cleared)
            pipe.hset(key, mapping=to_fields(updates))
            if changed:
                pipe.set(self.keys.article_text(article_id, revision), text)
                pipe.rpush(self.keys.article_revisions(article_id), revision)
                pipe.incrby(self.keys.stored_bytes(), text_bytes(text))
                self._log_change(pipe, "upsert", article_id, revision)
            return {**current, **updates}

        return self.redis.transaction(write, key, value_from_callable=True)

    def delete(self, article_id: str) -> bool:
        """Delete the article, all its revision texts and its index entries; False if missing."""
        key = self.keys.article(article_id)

        def write(pipe: redis.client.Pipeline) -> bool:
            current = pipe.hgetall(key)
            if not current:
                return False
            revisions = pipe.lrange(self.keys.article_revisions(article_id), 0, -1)
            freed = sum(pipe.strlen(self.keys.article_text(article_id, r)) for r in revisions)
            pipe.multi()
            pipe.decrby(self.keys.stored_bytes(), freed)
            pipe.delete(key, self.keys.article_revisions(article_id))
            for revision in revisions:
                pipe.delete(self.keys.article_text(article_id, revision))
            pipe.zrem(self.keys.article_index(), article_id)
            if current.get("external_id"):
                pipe.delete(self.keys.article_external_id(current["external_id"]))
            self._log_change(pipe, "delete", article_id, "")
            return True

        return self.redis.transaction(write, key, value_from_callable=True)

    def stored_bytes(self) -> int:
        """UTF-8 bytes of every revision text the tenant stores."""
        return int(self.redis.get(self.keys.stored_bytes()) or 0)

    def _log_change(
        self, pipe: redis.client.Pipeline, op: str, article_id: str, revision: str
    ) -> None:
        pipe.xadd(
            self.keys.article_changes(),
            {"op": op, "id": article_id, "revision": revision},
            maxlen=CHANGE_LOG_LENGTH,
            approximate=True,
        )

    def page(self, offset: int, limit: int) -> tuple[list[dict], int]:
        """Return articles in creation order, and the total count."""
        index = self.keys.article_index()
        pipe = self.redis.pipeline(transaction=False)
        pipe.zrange(index, offset, offset + limit - 1)
        pipe.zcard(index)
        ids, total = pipe.execute()
        pipe = self.redis.pipeline(transaction=False)
        for article_id in ids:
            pipe.hgetall(self.keys.article(article_id))
        records = [self._decode(raw) for raw in pipe.execute()]
        return [r for r in records if r is not None], total

    @classmethod
    def _decode_existing(cls, raw: dict[str, str]) -> dict:
        record = cls._decode(raw)
        assert record is not None  # raw holds the fields of a record
        return record

    @staticmethod
    def _decode(raw: dict[str, str]) -> dict | None:
        if not raw:
            return None
        record: dict[str, object] = {**dict.fromkeys(METADATA_FIELDS), **raw}
        for name in ("sentence_count", "char_count", "revision_count"):
            record[name] = int(raw[name])
        return record
