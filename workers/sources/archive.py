"""The `archive` source: every article the check's tenant stored, searched as one corpus.

Redis stays the one truth. Each worker process keeps an `ArchiveIndex` in memory and, before
each search, replays the article change log (a Redis stream that article create / update /
delete append to in the same transaction), so workers on different machines agree. A process
starting, or one so far behind that the log was trimmed past it, rebuilds from the stored
articles and then replays the log from where the rebuild began (replaying is idempotent).
"""

from __future__ import annotations

import threading

from keyspace.articles import ArticleStore
from workers.sources import SourceDocument, iso_utc
from workers.sources.archive_index import ArchiveIndex

ARCHIVE_SOURCE = "archive"
BATCH = 500


class ArchiveSync:
    """This process's archive index, and how far into the change log it has read."""

    def __init__(self, articles: ArticleStore) -> None:
        self.articles = articles
        self.index = ArchiveIndex()
        self.last_id: str | None = None  # None: never built
        self._lock = threading.Lock()

    @property
    def _log(self) -> str:
        return self.articles.keys.article_changes()

    def catch_up(self) -> None:
        """Bring the index up to date with the stored articles."""
        with self._lock:
            if self.last_id is None or self._trimmed_past_us():
                self._rebuild()
            self._replay()

    def search(self, claim: str, limit: int, exclude: frozenset[str]) -> list[SourceDocument]:
        """Return the best `limit` stored articles for `claim` (current revisions), best first."""
        self.catch_up()
        documents = []
        for hit in self.index.search(claim, limit, exclude):
            text = self.articles.text(hit.article_id, hit.revision)
            if text is None:
                continue  # deleted since the last replay
            meta = self.articles.get(hit.article_id) or {}
            documents.append(
                SourceDocument(
                    id=hit.article_id,
                    text=text,
                    type=ARCHIVE_SOURCE,
                    revision=hit.revision,
                    title=meta.get("title"),
                    url=meta.get("url"),
                    retrieved_at=iso_utc(),
                )
            )
        return documents

    def best_article(self, claim: str, exclude: frozenset[str] = frozenset()) -> str | None:
        """Return the id of the stored article whose best passage matches `claim` most (ties:
        the newest), or None when none shares a content word with it."""
        self.catch_up()
        hits = self.index.search(claim, 1, exclude)
        return hits[0].article_id if hits else None

    def _trimmed_past_us(self) -> bool:
        first = self.articles.redis.xrange(self._log, count=1)
        return bool(first) and _stream_id(first[0][0]) > _stream_id(self.last_id or "0-0")

    def _rebuild(self) -> None:
        redis = self.articles.redis
        newest = redis.xrevrange(self._log, count=1)
        start_id = newest[0][0] if newest else "0-0"
        self.index = ArchiveIndex()
        index_key = self.articles.keys.article_index()
        offset = 0
        while True:
            ids = redis.zrange(index_key, offset, offset + BATCH - 1)
            if not ids:
                break
            pipe = redis.pipeline(transaction=False)
            for article_id in ids:
                pipe.hget(self.articles.keys.article(article_id), "revision")
            revisions = pipe.execute()
            pipe = redis.pipeline(transaction=False)
            for article_id, revision in zip(ids, revisions, strict=True):
                pipe.get(self.articles.keys.article_text(article_id, revision or ""))
            for article_id, revision, text in zip(ids, revisions, pipe.execute(), strict=True):
                if revision and text is not None:
                    self.index.upsert(article_id, revision, text)
            offset += BATCH
        self.last_id = start_id

    def _replay(self) -> None:
        redis = self.articles.redis
        while True:
            answer = redis.xread({self._log: self.last_id or "0-0"}, count=BATCH)
            entries = answer[0][1] if answer else []
            if not entries:
                return
            for entry_id, change in entries:
                self._apply(change)
                self.last_id = entry_id

    def _apply(self, change: dict[str, str]) -> None:
        article_id = change["id"]
        if change["op"] == "delete":
            self.index.remove(article_id)
            return
        text = self.articles.text(article_id, change["revision"])
        if text is not None:  # None: deleted since; the delete entry follows in the log
            self.index.upsert(article_id, change["revision"], text)


def _stream_id(entry_id: str) -> tuple[int, int]:
    millis, _, sequence = entry_id.partition("-")
    return int(millis), int(sequence or 0)


_syncs: dict[str, ArchiveSync] = {}
_syncs_lock = threading.Lock()


def archive_for(articles: ArticleStore) -> ArchiveSync:
    """Return this process's archive for an article store: one per deployment and tenant, so
    a check searches only its own tenant's articles (the change log is the tenant's too)."""
    scope = articles.keys.pattern()  # "<prefix>:t:<tenant>:*"
    with _syncs_lock:
        sync = _syncs.get(scope)
        if sync is None:
            sync = _syncs[scope] = ArchiveSync(articles)
        return sync
