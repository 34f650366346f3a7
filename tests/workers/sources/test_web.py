"""The `web` source against a local site answering as SearxNG's and Brave's JSON APIs."""

from __future__ import annotations

import json
import time

import pytest
from news_page import STORY, news_page_html
from source_site import Answer

from settings import load_settings
from workers.sources import SourceRefused, SourceUnavailable
from workers.sources.url import SnapshotStore
from workers.sources.web import Brave, SearxNG, provider_for, search_documents

JSON = {"Content-Type": "application/json; charset=utf-8"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
ROBOTS = Answer(200, "User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
CLAIM = "Rutte became NATO Secretary-General in October 2024"


def searxng_answer(urls: list[str]) -> str:
    """What SearxNG's /search?format=json returns (trimmed to the fields it always has)."""
    return json.dumps(
        {
            "query": CLAIM,
            "number_of_results": 0,
            "results": [
                {
                    "url": url,
                    "title": f"Result {n}",
                    "content": "Mark Rutte took office as NATO Secretary-General …",
                    "engine": "duckduckgo",
                    "parsed_url": ["http", "127.0.0.1", f"/r{n}", "", "", ""],
                    "engines": ["duckduckgo", "bing"],
                    "positions": [n + 1],
                    "score": 2.0 / (n + 1),
                    "category": "general",
                }
                for n, url in enumerate(urls)
            ],
            "answers": [],
            "corrections": [],
            "infoboxes": [],
            "suggestions": [],
            "unresponsive_engines": [],
        }
    )


def brave_answer(urls: list[str]) -> str:
    """What Brave's /res/v1/web/search returns (trimmed)."""
    return json.dumps(
        {
            "type": "search",
            "query": {"original": CLAIM, "more_results_available": True},
            "mixed": {"type": "mixed", "main": [{"type": "web", "index": 0, "all": False}]},
            "web": {
                "type": "search",
                "family_friendly": True,
                "results": [
                    {
                        "type": "search_result",
                        "title": f"Result {n}",
                        "url": url,
                        "description": "Mark Rutte became <strong>NATO</strong> chief …",
                        "is_source_local": False,
                        "language": "en",
                        "profile": {"name": "Herald", "url": url},
                        "meta_url": {"scheme": "http", "netloc": "127.0.0.1"},
                    }
                    for n, url in enumerate(urls)
                ],
            },
        }
    )


@pytest.fixture
def search(make_http, stores):
    """search(provider_factory, **settings) -> WebAnswer through a fresh session."""

    def run(make_provider, **settings: object):
        http = make_http(**settings)
        snapshots = SnapshotStore.from_settings(stores.redis, http.settings)
        return search_documents(
            CLAIM,
            provider=make_provider(http),
            http=http,
            snapshots=snapshots,
            pages=3,
            allow_hosts="127.0.0.1",
            deadline=time.monotonic() + 5,
        )

    return run


def serve_story(site, path: str) -> str:
    site.route("/robots.txt", ROBOTS)
    return site.route(path, Answer(200, news_page_html(), HTML))


def test_searxng_results_become_documents_through_the_url_pipeline(site, search) -> None:
    story = serve_story(site, "/world/rutte-nato")
    skipped = site.route("/private/memo", Answer(200, news_page_html(), HTML))
    extra = [site.url + f"/more/{n}" for n in range(2)]  # /more/0 is a 404, /more/1 4th
    site.route("/search", Answer(200, searxng_answer([story, story, skipped, *extra]), JSON))
    answer = search(lambda http: SearxNG(http, site.url + "/"))
    [doc] = answer.documents
    assert (doc.type, doc.id, doc.url) == ("web", story, story)
    assert doc.title == STORY[0]
    assert doc.revision.startswith("snap_")
    assert STORY[1] in doc.text
    (url, error), (missing, gone) = answer.skipped
    assert url == skipped and isinstance(error, SourceRefused) and "robots.txt" in str(error)
    assert missing == extra[0] and "answered 404" in str(gone)
    [asked] = site.asked("/search")
    assert "q=Rutte+became" in asked.path and "format=json" in asked.path
    assert site.asked("/private/memo") == []
    assert site.asked("/more/1") == []  # duplicates count once: the top 3 are 3 pages


def test_brave_results_and_its_token(site, search) -> None:
    story = serve_story(site, "/world/rutte-nato")
    site.route("/res/v1/web/search", Answer(200, brave_answer([story]), JSON))
    answer = search(lambda http: Brave(http, "secret-token", site.url + "/res/v1/web/search"))
    assert [d.id for d in answer.documents] == [story]
    [asked] = site.asked("/res/v1/web/search")
    assert asked.headers["X-Subscription-Token"] == "secret-token"
    assert "count=3" in asked.path


def test_a_result_at_a_private_address_is_refused_not_fetched(site, search) -> None:
    story = serve_story(site, "/world/rutte-nato")
    private = "http://10.1.2.3/internal/report"
    site.route("/search", Answer(200, searxng_answer([private, story]), JSON))
    answer = search(lambda http: SearxNG(http, site.url))
    assert [d.id for d in answer.documents] == [story]
    [(url, error)] = answer.skipped
    assert url == private and isinstance(error, SourceRefused)
    assert "non-public" in str(error)


@pytest.mark.parametrize(
    ("answer", "error", "words"),
    [
        (Answer(503, '{"error": "down"}', JSON), SourceUnavailable, "answered 503"),
        (Answer(200, "<html>not json</html>", HTML), SourceUnavailable, "malformed"),
        (Answer(200, '{"results": "nope"}', JSON), SourceUnavailable, "malformed"),
        (Answer(403, '{"error": "forbidden"}', JSON), SourceRefused, "answered 403"),
        (Answer(200, searxng_answer([]), JSON), SourceRefused, "no results"),
    ],
)
def test_a_provider_failure_is_a_source_error(site, search, answer, error, words) -> None:
    site.route("/search", answer)
    with pytest.raises(error, match=words):
        search(lambda http: SearxNG(http, site.url), source_retries=0)


def test_a_provider_timeout_is_unavailable(site, search) -> None:
    site.route("/search", Answer(200, searxng_answer([]), JSON, delay_s=3))
    with pytest.raises(SourceUnavailable, match="timed out"):
        search(lambda http: SearxNG(http, site.url), source_retries=0, source_timeout_s=0.5)


def test_when_no_result_page_answers_the_source_fails(site, search) -> None:
    site.route("/robots.txt", ROBOTS)
    page = site.route("/gone", Answer(500, "oops", {"Content-Type": "text/plain"}))
    site.route("/search", Answer(200, searxng_answer([page]), JSON))
    with pytest.raises(SourceUnavailable, match="no result page answered"):
        search(lambda http: SearxNG(http, site.url), source_retries=0)


def test_the_provider_comes_from_settings(make_http) -> None:
    http = make_http()
    none = load_settings(env={})
    with pytest.raises(SourceRefused, match="no web search provider"):
        provider_for(none, http)
    searx = load_settings(env={"FACTDESK_WEB_SEARCH_PROVIDER": "searxng"}, web_search_url="x")
    assert isinstance(provider_for(searx, http), SearxNG)
    brave = load_settings(
        env={"FACTDESK_WEB_SEARCH_PROVIDER": "brave", "FACTDESK_WEB_SEARCH_API_KEY": "k"}
    )
    assert provider_for(brave, http) == Brave(http, "k")
    with pytest.raises(ValueError, match="FACTDESK_WEB_SEARCH_PROVIDER"):
        load_settings(env={"FACTDESK_WEB_SEARCH_PROVIDER": "google"})


def test_naming_web_without_a_provider_is_a_422_naming_sources(client) -> None:
    response = client.post("/v1/checks", json={"claim": CLAIM, "sources": ["web"]})
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert "no web search provider" in response.get_json()["errors"]["sources"][0]
