"""The `web` source: a web search, whose top result pages go through the `url` pipeline.

A provider turns a claim into result URLs; each page is then fetched, checked against robots.txt,
size- and type-limited, extracted and kept as a snapshot exactly as a `url` source would be
(`workers.sources.url.fetch_document`). Two providers: a self-hosted SearxNG instance (its JSON
API) and the Brave Search API. Both are called through the one outbound session.

The provider's host is allowed although it may be private (the operator configured it); the
result URLs are not: they come from the web, so they must be public or named in
`source_allow_hosts`, and one that is not is skipped before anything is fetched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

import requests

from settings import Settings
from workers.sources import SourceDocument, SourceError, SourceRefused, SourceUnavailable
from workers.sources.http import OutboundHttp, refuse_unless_public
from workers.sources.url import SnapshotStore, fetch_document

WEB_SOURCE = "web"
BRAVE_URL = "https://api.search.brave.com/res/v1/web/search"


class SearchProvider(Protocol):
    """Finds result page URLs for a claim, best first."""

    name: str

    def search(self, claim: str, limit: int, *, deadline: float) -> list[str]: ...


@dataclass(frozen=True)
class SearxNG:
    """A SearxNG instance: GET {base}/search?q=…&format=json -> {"results": [{"url", …}]}."""

    http: OutboundHttp
    base_url: str
    name: str = "searxng"

    def search(self, claim: str, limit: int, *, deadline: float) -> list[str]:
        response = self.http.get(
            self.base_url.rstrip("/") + "/search",
            params={"q": claim, "format": "json"},
            deadline=deadline,
            name=f"web ({self.name})",
        )
        return _urls(self.name, response, lambda payload: payload["results"], limit)


@dataclass(frozen=True)
class Brave:
    """Brave Search: GET …/web/search?q=… (X-Subscription-Token) -> {"web": {"results": […]}}."""

    http: OutboundHttp
    api_key: str
    url: str = BRAVE_URL
    name: str = "brave"

    def search(self, claim: str, limit: int, *, deadline: float) -> list[str]:
        response = self.http.get(
            self.url,
            params={"q": claim, "count": str(limit)},
            headers={"X-Subscription-Token": self.api_key, "Accept": "application/json"},
            deadline=deadline,
            name=f"web ({self.name})",
        )
        return _urls(self.name, response, lambda payload: payload["web"]["results"], limit)


def _urls(
    name: str, response: requests.Response, results: Callable[[dict], list], limit: int
) -> list[str]:
    """The distinct http(s) result URLs of a provider's answer, in rank order."""
    if response.status_code != 200:
        raise SourceRefused(f"web ({name}) answered {response.status_code}")
    try:
        found = [item["url"] for item in results(response.json())]
        if not all(isinstance(url, str) for url in found):
            raise TypeError("a result URL is not a string")
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise SourceUnavailable(f"web ({name}): malformed answer (not its search JSON)") from exc
    pages = [url for url in dict.fromkeys(found) if url.startswith(("http://", "https://"))]
    return pages[:limit]


def provider_for(settings: Settings, http: OutboundHttp) -> SearchProvider:
    """The configured provider.

    :raise SourceRefused: none is configured (the API refuses such checks before; this is for
        a worker whose settings differ from the API's).
    """
    if settings.web_search_provider == "searxng" and settings.web_search_url:
        return SearxNG(http, settings.web_search_url)
    if settings.web_search_provider == "brave" and settings.web_search_api_key:
        return Brave(http, settings.web_search_api_key, settings.web_search_url or BRAVE_URL)
    raise SourceRefused("web: no web search provider is configured on this deployment")


def web_search_configured(settings: Settings) -> bool:
    """Whether a check may name `web`: a provider with what it needs (URL or key)."""
    if settings.web_search_provider == "searxng":
        return bool(settings.web_search_url)
    if settings.web_search_provider == "brave":
        return bool(settings.web_search_api_key)
    return False


@dataclass
class WebAnswer:
    """The documents of the result pages that answered, and the pages that did not."""

    documents: list[SourceDocument] = field(default_factory=list)
    skipped: list[tuple[str, SourceError]] = field(default_factory=list)


def search_documents(
    claim: str,
    *,
    provider: SearchProvider,
    http: OutboundHttp,
    snapshots: SnapshotStore,
    pages: int,
    allow_hosts: str,
    deadline: float,
) -> WebAnswer:
    """Search, then fetch the top `pages` results side by side as `url` pages would be.

    Each document keeps its page snapshot (`revision`) and URLs, with type "web". Result URLs
    must be public or in `allow_hosts` (comma-separated, the operator's allow-list).
    :raise SourceUnavailable / SourceRefused: the provider failed, or no result page answered.
    """
    urls = provider.search(claim, pages, deadline=deadline)
    if not urls:
        raise SourceRefused(f"web ({provider.name}): no results")
    answer = WebAnswer()
    fetchable = []
    for url in urls:
        try:
            refuse_unless_public(url, allow_hosts)  # a private result is never fetched
        except SourceRefused as exc:
            answer.skipped.append((url, exc))
            continue
        fetchable.append(url)

    def fetch(url: str) -> SourceDocument | SourceError:
        try:
            document = fetch_document(http, snapshots, url, deadline=deadline)
        except SourceError as exc:
            return exc
        return dataclasses.replace(document, type=WEB_SOURCE)

    if fetchable:
        with ThreadPoolExecutor(len(fetchable), thread_name_prefix="web") as pool:
            for url, result in zip(fetchable, pool.map(fetch, fetchable), strict=True):
                if isinstance(result, SourceError):
                    answer.skipped.append((url, result))
                else:
                    answer.documents.append(result)
    if not answer.documents:
        reasons = "; ".join(str(error) for _, error in answer.skipped)
        transient = any(isinstance(e, SourceUnavailable) for _, e in answer.skipped)
        kind = SourceUnavailable if transient else SourceRefused
        raise kind(f"web ({provider.name}): no result page answered: {reasons}")
    return answer
