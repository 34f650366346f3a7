"""The demo article `factdesk run` loads, idempotently, so the README's curl works at once."""

from __future__ import annotations

from pathlib import Path

from keyspace.articles import revision_of
from keyspace.stores import Stores
from service.sentences import sentence_count
from settings import PROJECT_ROOT

DEMO_EXTERNAL_ID = "demo-nato-2024"
DEMO_PATH = PROJECT_ROOT / "data" / "articles" / "nato-secretary-general-2024-03-13.txt"
DEMO_METADATA = {
    "title": "Romanian President Iohannis enters race for NATO Secretary-General",
    "source": "MENAFN",
    "published_at": "2024-03-13T00:00:00+00:00",
    "external_id": DEMO_EXTERNAL_ID,
}


def load_demo_article(stores: Stores, path: Path = DEMO_PATH) -> dict:
    """Store the demo article once; later calls return it (or refresh its text if it changed)."""
    text = path.read_text(encoding="utf-8")
    existing = stores.articles.find_by_external_id(DEMO_EXTERNAL_ID)
    if existing is None:
        return stores.articles.create(text, sentence_count(text), DEMO_METADATA)
    if existing["revision"] != revision_of(text):
        return stores.articles.update(existing["id"], text, sentence_count(text), DEMO_METADATA)
    return existing
