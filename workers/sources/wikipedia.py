"""Wikipedia as an evidence source, through the MediaWiki Action API.

One request: `generator=search` finds pages for the claim and `prop=extracts|info` returns each
page's plain-text intro, URL and latest revision id. The intro is the document the engine
quotes from, so evidence offsets index exactly the text this call returned.
"""

from __future__ import annotations

import requests

from workers.engine.types import Document
from workers.sources import SourceUnavailable


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
    claim: str, *, api_url: str, timeout_s: float, limit: int, user_agent: str
) -> list[Document]:
    """Return Wikipedia intros relevant to `claim`, best match first.

    :raise SourceUnavailable: on a network error, a timeout, 429 or a 5xx answer.
    """
    try:
        response = requests.get(
            api_url,
            params=search_params(claim, limit),
            # Wikimedia asks API clients for a descriptive User-Agent with contact details.
            headers={"User-Agent": user_agent},
            timeout=timeout_s,
        )
    except requests.RequestException as exc:
        raise SourceUnavailable(f"wikipedia: {exc}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise SourceUnavailable(f"wikipedia answered {response.status_code}")
    response.raise_for_status()  # other 4xx: our request is wrong; retrying will not help
    return documents_from_response(response.json())


def documents_from_response(payload: dict) -> list[Document]:
    """Turn an Action API answer (formatversion=2) into documents, in search-rank order."""
    pages = payload.get("query", {}).get("pages", [])
    ranked = sorted(pages, key=lambda page: page.get("index", 0))
    documents = []
    for page in ranked:
        extract = (page.get("extract") or "").strip()
        if not extract or page.get("missing"):
            continue
        documents.append(
            Document(
                id=str(page["pageid"]),
                text=extract,
                type="wikipedia",
                revision=str(page.get("lastrevid", "")),
                title=page.get("title"),
                url=page.get("fullurl"),
            )
        )
    return documents
