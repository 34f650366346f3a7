"""Wikipedia as an evidence source, through the MediaWiki Action API.

One request: `generator=search` finds pages for the claim and `prop=extracts|info` returns each
page's plain-text intro, URL and latest revision id. The intro is the document the engine
quotes from, so evidence offsets index exactly the text this call returned.
"""

from __future__ import annotations

import requests

from workers.engine.types import Document
from workers.sources import SourceDocument, SourceRefused, SourceUnavailable, iso_utc
from workers.sources.http import OutboundHttp


def search_params(claim: str, limit: int) -> dict[str, str]:
    """Return the Action API query for the intros of the `limit` best pages for `claim`."""
    return {
        "action": "query",
        "format": "json",
        "formatversion": "2",
        "generator": "search",
        "gsrsearch": claim,
        "gsrlimit": str(limit),
        "gsrnamespace": "0",
        "prop": "extracts|info",
        "exintro": "1",
        "explaintext": "1",
        "exlimit": str(limit),
        "inprop": "url",
    }


def search_documents(
    claim: str, *, http: OutboundHttp, api_url: str, limit: int, deadline: float
) -> list[Document]:
    """Return Wikipedia intros relevant to `claim`, best match first.

    :raise SourceUnavailable: a network error, a timeout, 429, a 5xx or a malformed answer.
    :raise SourceRefused: another 4xx (our request is wrong; retrying will not help).
    """
    response = http.get(
        api_url, params=search_params(claim, limit), deadline=deadline, name="wikipedia"
    )
    if response.status_code != 200:
        raise SourceRefused(f"wikipedia answered {response.status_code}")
    try:
        payload = response.json()
        documents = documents_from_response(payload, retrieved_at=retrieved_at(response))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise SourceUnavailable("wikipedia: malformed answer (not the Action API's JSON)") from exc
    return documents


def retrieved_at(response: requests.Response) -> str:
    """When the answer was fetched: now, or when a cached copy was first fetched."""
    created = getattr(response, "created_at", None)  # requests-cache sets it on cached answers
    return iso_utc(created if getattr(response, "from_cache", False) else None)


def documents_from_response(payload: dict, *, retrieved_at: str = "") -> list[Document]:
    """Turn an Action API answer (formatversion=2) into documents, in search-rank order."""
    pages = payload.get("query", {}).get("pages", [])
    ranked = sorted(pages, key=lambda page: page.get("index", 0))
    documents: list[Document] = []
    for page in ranked:
        extract = (page.get("extract") or "").strip()
        if not extract or page.get("missing"):
            continue
        documents.append(
            SourceDocument(
                id=str(page["pageid"]),
                text=extract,
                type="wikipedia",
                revision=str(page.get("lastrevid", "")),
                title=page.get("title"),
                url=page.get("fullurl"),
                retrieved_at=retrieved_at,
            )
        )
    return documents
