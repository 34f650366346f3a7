"""The `url` source: a page the client names, fetched, reduced to its main text, kept as a snapshot.

The snapshot (extracted text, URL, final URL, fetch time, hash of the bytes) is stored in Redis
under an id derived from the text, so an evidence span's offsets keep pointing at the text they
were computed on, and the same text fetched again is the same snapshot. A URL fetched within
`source_cache_ttl_s` is not fetched again; after that it is revalidated with the validators
(ETag / Last-Modified) the server sent, and a 304 keeps the snapshot.

Rules for fetching someone else's page: robots.txt is obeyed (RFC 9309: a 4xx robots.txt allows
everything, an unreachable one allows nothing), only HTML and plain text are read, and a page
over `source_max_bytes` is refused while it streams, before it is all downloaded.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import redis
import requests
import trafilatura
import trafilatura.settings
from charset_normalizer import from_bytes

from keyspace.keys import Keys
from settings import Settings
from workers.sources import URL_SOURCE, SourceDocument, SourceRefused, SourceUnavailable, iso_utc
from workers.sources.http import OutboundHttp

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
ROBOTS_AGENT = "factdesk"  # the product token robots.txt rules name
CHUNK_BYTES = 64 * 1024
# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Snapshot:
    id: str
    url: str
    final_url: str
    fetched_at: str
    content_hash: str  # sha256 of the bytes the server sent
    content_type: str
    title: str
    text: str

    def document(self) -> SourceDocument:
        return SourceDocument(
            id=self.url,
            text=self.text,
            type=URL_SOURCE,
            revision=self.id,
            title=self.title or None,
            url=self.final_url,
            retrieved_at=self.fetched_at,
        )


@dataclass(frozen=True)
class SnapshotStore:
    """Snapshots by id, and per URL the latest snapshot with its validators and freshness."""

    redis: redis.Redis  # decode_responses=True (the stores' client)
    keys: Keys
    fresh_s: int
    keep_s: int
    max_bytes: int

    @classmethod
    def from_settings(cls, client: redis.Redis, settings: Settings) -> SnapshotStore:
        return cls(
            client,
            Keys(settings.key_prefix),
            settings.source_cache_ttl_s,
            settings.source_snapshot_ttl_s,
            settings.source_max_bytes,
        )

    def _snapshot_key(self, snapshot_id: str) -> str:
        return self.keys.source_snapshot(snapshot_id)

    def _url_key(self, url: str) -> str:
        return self.keys.source_url(url)

    def get(self, snapshot_id: str) -> Snapshot | None:
        raw = self.redis.get(self._snapshot_key(snapshot_id))
        return Snapshot(**json.loads(raw)) if raw else None

    def latest(self, url: str) -> tuple[Snapshot, dict] | None:
        """Return the URL's latest snapshot and its entry (validators, `fresh_until`)."""
        raw = self.redis.get(self._url_key(url))
        if not raw:
            return None
        entry = json.loads(raw)
        snapshot = self.get(entry["snapshot"])
        return (snapshot, entry) if snapshot else None

    def put(self, snapshot: Snapshot, *, etag: str | None, last_modified: str | None) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(self._snapshot_key(snapshot.id), json.dumps(snapshot.__dict__), ex=self.keep_s)
        self._point(pipe, snapshot.url, snapshot.id, etag, last_modified)
        pipe.execute()

    def refresh(self, snapshot: Snapshot, entry: dict) -> None:
        """The server said 304: the snapshot is current again."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.expire(self._snapshot_key(snapshot.id), self.keep_s)
        self._point(pipe, snapshot.url, snapshot.id, entry.get("etag"), entry.get("last_modified"))
        pipe.execute()

    def _point(
        self,
        pipe: redis.client.Pipeline,
        url: str,
        snapshot_id: str,
        etag: str | None,
        last_modified: str | None,
    ) -> None:
        entry = {
            "snapshot": snapshot_id,
            "etag": etag,
            "last_modified": last_modified,
            "fresh_until": time.time() + self.fresh_s,
        }
        pipe.set(self._url_key(url), json.dumps(entry), ex=self.keep_s)


def fetch_document(
    http: OutboundHttp, snapshots: SnapshotStore, url: str, *, deadline: float
) -> SourceDocument:
    """Return the main text of `url` as a document whose revision is its snapshot id.

    :raise SourceRefused: robots.txt disallows it, a 4xx, a content type other than HTML or
        plain text, a page over the byte limit, no main text, or an address the guard refuses.
    :raise SourceUnavailable: a timeout, a network error, 5xx/429, an unreachable robots.txt.
    """
    known = snapshots.latest(url)
    if known and known[1]["fresh_until"] > time.time():
        return known[0].document()
    allowed_by_robots(http, url, deadline=deadline)
    headers = {}
    if known:
        if known[1].get("etag"):
            headers["If-None-Match"] = known[1]["etag"]
        if known[1].get("last_modified"):
            headers["If-Modified-Since"] = known[1]["last_modified"]
    page = http.stream(
        url,
        _reader(url, snapshots.max_bytes, deadline),
        headers=headers,
        deadline=deadline,
        name=url,
    )
    if page.status == 304 and known:
        snapshots.refresh(*known)
        return known[0].document()
    if page.status != 200:
        raise SourceRefused(f"{url} answered {page.status}")
    body, final_url = page.body, page.final_url
    title, text = extract(body, page.mime, page.charset, final_url)
    if not text.strip():
        raise SourceRefused(f"{url}: no main text found on the page")
    snapshot = Snapshot(
        id="snap_" + hashlib.sha256(f"{final_url}\n{text}".encode()).hexdigest()[:24],
        url=url,
        final_url=final_url,
        fetched_at=iso_utc(),
        content_hash="sha256:" + hashlib.sha256(body).hexdigest(),
        content_type=page.mime,
        title=title,
        text=text,
    )
    snapshots.put(snapshot, etag=page.etag, last_modified=page.last_modified)
    return snapshot.document()


@dataclass(frozen=True)
class _Page:
    status: int
    body: bytes = b""
    mime: str = ""
    charset: str | None = None
    final_url: str = ""
    etag: str | None = None
    last_modified: str | None = None


def _reader(url: str, max_bytes: int, deadline: float) -> Callable[[requests.Response], _Page]:
    """Return what reads a page's answer: refuses other content types, caps the bytes."""

    def read(response: requests.Response) -> _Page:
        if response.status_code != 200:
            return _Page(response.status_code)
        mime, charset = content_type(response.headers.get("Content-Type", ""))
        if mime not in HTML_TYPES | TEXT_TYPES:
            raise SourceRefused(
                f"{url}: content type {mime or 'unknown'!r} is not HTML or plain text"
            )
        return _Page(
            status=200,
            body=read_capped(response, max_bytes, deadline, url),
            mime=mime,
            charset=charset,
            final_url=response.url,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )

    return read


def allowed_by_robots(http: OutboundHttp, url: str, *, deadline: float) -> None:
    """Raise unless the site's robots.txt lets ROBOTS_AGENT fetch `url` (answers are cached).

    :raise SourceRefused: robots.txt disallows the URL.
    :raise SourceUnavailable: robots.txt could not be read (5xx, timeout): RFC 9309 says assume
        everything is disallowed until it can be.
    """
    parts = urlsplit(url)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    response = http.get(robots_url, deadline=deadline, name=robots_url)
    if 400 <= response.status_code < 500:
        return  # RFC 9309 §2.3.1.3: "unavailable", crawling is allowed
    if response.status_code != 200:
        raise SourceUnavailable(f"{robots_url} answered {response.status_code}")
    rules = RobotFileParser()
    rules.parse(response.text.splitlines())
    if not rules.can_fetch(ROBOTS_AGENT, url):
        raise SourceRefused(f"{url}: robots.txt disallows fetching it")


def content_type(header: str) -> tuple[str, str | None]:
    """Return the media type (lower case) and the charset parameter of a Content-Type header."""
    message = Message()
    message["Content-Type"] = header
    mime = message.get_content_type() if header else ""
    return mime.lower(), message.get_param("charset")  # type: ignore[return-value]


def read_capped(response: requests.Response, max_bytes: int, deadline: float, url: str) -> bytes:
    """Read the body, refusing it as soon as it is known to exceed `max_bytes`."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceRefused(f"{url}: page is {declared} bytes, the limit is {max_bytes}")
    chunks, size = [], 0
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise SourceRefused(f"{url}: page is over the limit of {max_bytes} bytes")
            if time.monotonic() > deadline:
                raise SourceUnavailable(f"{url}: page still downloading when the budget ran out")
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise SourceUnavailable(f"{url}: download broke off ({type(exc).__name__})") from exc
    return b"".join(chunks)


def extract(body: bytes, mime: str, charset: str | None, url: str) -> tuple[str, str]:
    """Return (title, main text) of a page: trafilatura for HTML, plain text as it is."""
    text = decode(body, charset, mime)
    if mime in TEXT_TYPES:
        return "", text.strip()
    # Given a str, trafilatura does not second-guess the charset we took from the header.
    result = trafilatura.bare_extraction(
        text, url=url, include_comments=False, include_tables=False, with_metadata=True
    )
    if not isinstance(result, trafilatura.settings.Document):
        return "", ""  # None: nothing extracted (a dict only comes with as_dict=True)
    # One blank line between paragraphs: a heading without a full stop stays its own sentence.
    paragraphs = [line.strip() for line in (result.text or "").splitlines() if line.strip()]
    return result.title or "", "\n\n".join(paragraphs)


def decode(body: bytes, charset: str | None, mime: str = "") -> str:
    """Decode with the declared charset (header, else an HTML <meta>), else UTF-8, else a guess."""
    if not charset and mime in HTML_TYPES:
        found = _META_CHARSET.search(body[:4096])
        charset = found.group(1).decode("ascii") if found else None
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return body.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    guess = from_bytes(body).best()
    return str(guess) if guess is not None else body.decode("utf-8", errors="replace")
