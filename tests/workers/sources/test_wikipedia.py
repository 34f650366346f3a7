"""The Wikipedia source against a local server that answers like the MediaWiki Action API."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from workers.sources import SourceRefused, SourceUnavailable
from workers.sources.wikipedia import search_documents

RUTTE_INTRO = (
    "Mark Rutte (born 14 February 1967) is a Dutch politician who has served as Secretary "
    "General of NATO since 2024. He was Prime Minister of the Netherlands from 2010 to 2024."
)
# The shape of a real answer (formatversion=2, generator=search, prop=extracts|info).
ANSWER = {
    "batchcomplete": True,
    "continue": {"gsroffset": 2, "continue": "gsroffset||"},
    "query": {
        "pages": [
            {
                "pageid": 1234,
                "ns": 0,
                "title": "NATO",
                "index": 2,
                "extract": "NATO is an intergovernmental military alliance.",
                "contentmodel": "wikitext",
                "pagelanguage": "en",
                "touched": "2024-05-01T00:00:00Z",
                "lastrevid": 555,
                "length": 9000,
                "fullurl": "https://en.wikipedia.org/wiki/NATO",
                "canonicalurl": "https://en.wikipedia.org/wiki/NATO",
            },
            {
                "pageid": 381,
                "ns": 0,
                "title": "Mark Rutte",
                "index": 1,
                "extract": RUTTE_INTRO,
                "contentmodel": "wikitext",
                "pagelanguage": "en",
                "touched": "2024-05-01T00:00:00Z",
                "lastrevid": 777,
                "length": 8000,
                "fullurl": "https://en.wikipedia.org/wiki/Mark_Rutte",
                "canonicalurl": "https://en.wikipedia.org/wiki/Mark_Rutte",
            },
        ]
    },
}


class FakeWikipedia(BaseHTTPRequestHandler):
    status = 200
    delay_s = 0.0
    body: bytes | None = None  # sent as is instead of the JSON answer
    queries: list[dict[str, list[str]]] = []
    agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        type(self).queries.append(parse_qs(urlparse(self.path).query))
        type(self).agents.append(self.headers["User-Agent"])
        time.sleep(self.delay_s)
        body = (
            self.body
            or json.dumps(ANSWER if self.status == 200 else {"error": {"code": "x"}}).encode()
        )
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def wiki() -> Iterator[tuple[str, type[FakeWikipedia]]]:
    fresh_state = {"queries": [], "agents": [], "status": 200, "delay_s": 0.0, "body": None}
    handler = type("Handler", (FakeWikipedia,), fresh_state)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/w/api.php", handler
    server.shutdown()
    server.server_close()


def search(url: str, make_http, claim: str = "x", **settings: object) -> list:
    http = make_http(wikipedia_api_url=url, source_cache_ttl_s=0, **settings)
    return search_documents(claim, http=http, api_url=url, limit=3, deadline=time.monotonic() + 5)


def test_documents_come_in_search_rank_order_with_revision_and_url(wiki, make_http) -> None:
    url, handler = wiki
    docs = search(url, make_http, "Rutte NATO")
    assert [d.title for d in docs] == ["Mark Rutte", "NATO"]
    rutte = docs[0]
    assert (rutte.id, rutte.type, rutte.revision) == ("381", "wikipedia", "777")
    assert rutte.url == "https://en.wikipedia.org/wiki/Mark_Rutte"
    assert rutte.text == RUTTE_INTRO
    query = handler.queries[0]
    assert rutte.retrieved_at.endswith("Z")
    assert handler.agents == ["factdesk-test/1.0"]
    assert query["gsrsearch"] == ["Rutte NATO"]
    assert query["explaintext"] == ["1"]
    assert query["gsrlimit"] == ["3"]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_server_trouble_is_retryable(wiki, make_http, status: int) -> None:
    url, handler = wiki
    handler.status = status
    with pytest.raises(SourceUnavailable, match=f"answered {status}"):
        search(url, make_http, source_retries=0)


def test_a_client_error_is_refused_not_retried(wiki, make_http) -> None:
    url, handler = wiki
    handler.status = 400
    with pytest.raises(SourceRefused, match="wikipedia answered 400"):
        search(url, make_http)
    assert len(handler.queries) == 1


def test_a_slow_answer_times_out_as_retryable(wiki, make_http) -> None:
    url, handler = wiki
    handler.delay_s = 1.0
    with pytest.raises(SourceUnavailable, match="timed out"):
        search(url, make_http, source_timeout_s=0.2, source_retries=0)


@pytest.mark.parametrize("body", [b"<html>Wikimedia error</html>", b'{"query": {"pages": 7}}'])
def test_a_malformed_answer_is_unavailable(wiki, make_http, body: bytes) -> None:
    url, handler = wiki
    handler.body = body
    with pytest.raises(SourceUnavailable, match="malformed"):
        search(url, make_http)


def test_a_check_can_quote_wikipedia_end_to_end(
    wiki, fresh_redis, start_worker, start_api, check_spans
) -> None:
    url, _ = wiki
    api = start_api(fresh_redis.url)
    start_worker(fresh_redis.url, wikipedia_api_url=url)
    response = requests.post(
        f"{api.url}/v1/checks?wait=20",
        json={"claim": "Rutte was Prime Minister of the Netherlands", "sources": ["wikipedia"]},
        timeout=30,
    )
    body = response.json()
    assert body["status"] == "done", body
    verdict = body["verdict"]
    assert verdict["evidence"], verdict
    assert {e["source"]["type"] for e in verdict["evidence"]} == {"wikipedia"}
    pages = {str(p["pageid"]): p["extract"] for p in ANSWER["query"]["pages"]}
    check_spans(verdict, pages)
