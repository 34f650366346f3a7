"""Checks end to end with external sources: a live API and worker, a local stand-in for the web.

The local site answers as Wikipedia's Action API (/w/api.php) and as a news site (HTML pages,
robots.txt). The stack has its own Redis, so its worker (sources budget 3 s, no task retries,
127.0.0.1 allow-listed) is the only one consuming its queue.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from live_stack import DEMO_PATH, KEY_PREFIX, assert_spans_exact, launch_api, launch_worker
from news_page import STORY, news_page_html
from source_site import Answer, Site

from keyspace.connection import connect
from settings import load_settings
from stack.embedded_redis import EmbeddedRedis, free_port
from workers.sources.url import SnapshotStore

BUDGET_S = 3.0
RUTTE_CLAIM = "Rutte became NATO Secretary-General in October 2024"
FRANCE = "France endorsed Rutte"  # the demo article settles this one
JSON = {"Content-Type": "application/json; charset=utf-8"}
HTML = {"Content-Type": "text/html; charset=utf-8"}

RUTTE_INTRO = (
    "Mark Rutte (born 14 February 1967) is a Dutch politician who has served as the 14th "
    "secretary general of NATO since 2024. He was Prime Minister of the Netherlands from 2010 "
    "to 2024.\n\nRutte became NATO Secretary-General on 1 October 2024, succeeding Jens "
    "Stoltenberg."
)


def mediawiki_answer(pages: list[dict]) -> str:
    """An Action API answer (formatversion=2, generator=search, prop=extracts|info)."""
    return json.dumps(
        {
            "batchcomplete": True,
            "continue": {"gsroffset": len(pages), "continue": "gsroffset||"},
            "query": {
                "pages": [
                    {
                        "ns": 0,
                        "contentmodel": "wikitext",
                        "pagelanguage": "en",
                        "touched": "2024-10-02T08:00:00Z",
                        "length": 90000,
                        **page,
                        "canonicalurl": page["fullurl"],
                    }
                    for page in pages
                ]
            },
        }
    )


RUTTE_PAGES = [
    {
        "pageid": 381,
        "title": "Mark Rutte",
        "index": 1,
        "extract": RUTTE_INTRO,
        "lastrevid": 1249000001,
        "fullurl": "https://en.wikipedia.org/wiki/Mark_Rutte",
    },
    {
        "pageid": 21133,
        "title": "NATO",
        "index": 2,
        "lastrevid": 1249000002,
        "extract": "The North Atlantic Treaty Organization (NATO) is an intergovernmental "
        "military alliance of 32 member states.",
        "fullurl": "https://en.wikipedia.org/wiki/NATO",
    },
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root: Path = tmp_path_factory.mktemp("sources-stack")
    redis_server = EmbeddedRedis(root / "redis", free_port()).start()
    web = Site().start()
    env = {
        "wikipedia_api_url": web.url + "/w/api.php",
        "source_allow_hosts": "127.0.0.1",
        "source_budget_s": BUDGET_S,
        "source_retries": 1,
        "task_max_retries": 0,
        "source_breaker_failures": 1000,
        "factcheck_api_url": web.url + "/v1alpha1/claims:search",
        "factcheck_api_key": "test-key",
        "web_search_provider": "searxng",
        "web_search_url": web.url + "/searxng",
    }
    worker = launch_worker(redis_server.url, root, **env)
    api = launch_api(redis_server.url, root, **env)
    try:
        yield {"api": api.url, "web": web, "redis_url": redis_server.url}
    finally:
        api.stop()
        worker.stop()
        web.stop()
        redis_server.stop()


@pytest.fixture
def article(stack: dict) -> dict:
    text = DEMO_PATH.read_text(encoding="utf-8") + f"\n\nReference {uuid.uuid4().hex}.\n"
    body = requests.post(stack["api"] + "/v1/articles", json={"text": text}, timeout=10).json()
    return {**body, "text": text}


def check(stack: dict, claim: str, sources: list, article: dict | None = None) -> dict:
    body: dict = {"claim": claim, "sources": sources}
    if article:
        body["article_id"] = article["id"]
    response = requests.post(f"{stack['api']}/v1/checks?wait=25", json=body, timeout=40)
    assert response.status_code in (200, 202), response.text
    return response.json()


def snapshot_text(stack: dict, snapshot_id: str) -> str:
    settings = load_settings(env={}, redis_url=stack["redis_url"], key_prefix=KEY_PREFIX)
    client = connect(stack["redis_url"])
    try:
        snapshot = SnapshotStore.from_settings(client, settings).get(snapshot_id)
    finally:
        client.close()
    assert snapshot is not None
    return snapshot.text


def test_wikipedia_down_while_the_article_answers(stack, article) -> None:
    stack["web"].route("/w/api.php", Answer(503, '{"error": "down"}', JSON))
    done = check(stack, FRANCE, ["article", "wikipedia"], article)
    assert done["status"] == "done", done
    verdict = done["verdict"]
    assert verdict["label"] == "SUPPORTED"
    assert {e["source"]["type"] for e in verdict["evidence"]} == {"article"}
    assert_spans_exact(verdict, {article["id"]: article["text"]})
    [missing] = verdict["sources_unavailable"]
    assert missing["type"] == "wikipedia"
    assert "wikipedia answered 503" in missing["reason"]
    assert done["attempts"] == 1

    # A verdict missing a source is not cached: once Wikipedia is back, it is asked.
    again = requests.post(
        f"{stack['api']}/v1/checks",
        json={"claim": FRANCE, "sources": ["article", "wikipedia"], "article_id": article["id"]},
        timeout=10,
    )
    assert again.headers["X-Cache"] == "miss"
    waited = requests.get(f"{stack['api']}/v1/checks/{again.json()['id']}?wait=20", timeout=30)
    assert waited.json()["status"] == "done"  # and the worker is free for the next test


def test_a_slow_source_holds_the_check_no_longer_than_the_budget(stack, article) -> None:
    stack["web"].route("/w/api.php", Answer(200, mediawiki_answer([]), JSON, delay_s=20))
    started = time.monotonic()
    done = check(stack, "Germany endorsed Rutte", ["article", "wikipedia"], article)
    elapsed = time.monotonic() - started
    assert done["status"] == "done", done
    assert elapsed < BUDGET_S + 4, done  # the budget, plus the engine and the queue
    [missing] = done["verdict"]["sources_unavailable"]
    assert missing["type"] == "wikipedia"
    assert "budget" in missing["reason"] or "timed out" in missing["reason"]


def test_every_source_down_fails_the_check(stack) -> None:
    web = stack["web"]
    web.route("/w/api.php", Answer(503, "{}", JSON))
    web.route("/robots.txt", Answer(404))
    page = web.route("/down/story", Answer(500, "oops", {"Content-Type": "text/plain"}))
    done = check(stack, "Rutte was born in The Hague", ["wikipedia", {"type": "url", "url": page}])
    assert done["status"] == "failed", done
    assert done["verdict"] is None
    assert "wikipedia answered 503" in done["error"]
    assert f"{page} answered 500" in done["error"]


def test_rutte_is_settled_through_wikipedia(stack, article) -> None:
    stack["web"].route("/w/api.php", Answer(200, mediawiki_answer(RUTTE_PAGES), JSON))
    done = check(stack, RUTTE_CLAIM, ["article", "wikipedia"], article)
    assert done["status"] == "done", done
    verdict = done["verdict"]
    assert verdict["sources_unavailable"] == []
    texts = {
        article["id"]: article["text"],
        **{str(p["pageid"]): p["extract"] for p in RUTTE_PAGES},
    }
    assert_spans_exact(verdict, texts)
    top = verdict["evidence"][0]
    assert top["stance"] == "supports"
    assert top["source"]["type"] == "wikipedia"
    assert top["source"]["id"] == "381"
    assert top["source"]["title"] == "Mark Rutte"
    assert top["source"]["url"] == "https://en.wikipedia.org/wiki/Mark_Rutte"
    assert top["source"]["revision"] == "1249000001"
    assert top["source"]["retrieved_at"].endswith("Z")
    assert "1 October 2024" in top["quote"]["exact"]
    assert verdict["label"] == "SUPPORTED"


def test_rutte_is_settled_through_a_cited_page(stack, article) -> None:
    web = stack["web"]
    web.route("/robots.txt", Answer(200, "User-agent: *\nDisallow: /admin/\n"))
    page = web.route("/world/2024/10/01/rutte-nato", Answer(200, news_page_html(), HTML))
    sources = ["article", {"type": "url", "url": page}]
    done = check(stack, RUTTE_CLAIM, sources, article)
    assert done["status"] == "done", done
    verdict = done["verdict"]
    assert verdict["sources_unavailable"] == []
    top = verdict["evidence"][0]
    assert top["stance"] == "supports"
    source = top["source"]
    assert (source["type"], source["id"], source["url"]) == ("url", page, page)
    assert source["title"] == STORY[0]
    assert source["revision"].startswith("snap_")
    assert source["retrieved_at"].endswith("Z")
    assert "1 October 2024" in top["quote"]["exact"]
    text = snapshot_text(stack, source["revision"])
    assert_spans_exact(verdict, {article["id"]: article["text"], page: text})
    assert verdict["label"] == "SUPPORTED"

    # Checked again: the page comes from its snapshot, not from the site.
    fetched = len(web.asked("/world/2024/10/01/rutte-nato"))
    again = check(stack, "Rutte succeeded Jens Stoltenberg", sources, article)
    assert again["status"] == "done", again
    assert len(web.asked("/world/2024/10/01/rutte-nato")) == fetched
    revisions = {
        e["source"]["revision"]
        for e in again["verdict"]["evidence"]
        if e["source"]["type"] == "url"
    }
    assert revisions <= {source["revision"]}


def test_rutte_is_settled_through_a_web_search(stack, article) -> None:
    web = stack["web"]
    web.route("/robots.txt", Answer(200, "User-agent: *\nDisallow: /admin/\n"))
    page = web.route("/found/2024/10/01/rutte-nato", Answer(200, news_page_html(), HTML))
    private = "http://192.168.7.7/intranet/rutte"
    results = [
        {"url": url, "title": "Mark Rutte takes over", "content": "…", "engine": "bing"}
        for url in (private, page)
    ]
    web.route(
        "/searxng/search", Answer(200, json.dumps({"query": RUTTE_CLAIM, "results": results}), JSON)
    )
    done = check(stack, RUTTE_CLAIM, ["article", "web"], article)
    assert done["status"] == "done", done
    assert done["sources"] == ["article", "web"]
    verdict = done["verdict"]
    top = verdict["evidence"][0]
    assert top["stance"] == "supports"
    source = top["source"]
    assert (source["type"], source["id"], source["url"]) == ("web", page, page)
    assert source["revision"].startswith("snap_")
    assert "1 October 2024" in top["quote"]["exact"]
    text = snapshot_text(stack, source["revision"])
    assert_spans_exact(verdict, {article["id"]: article["text"], page: text})
    assert verdict["label"] == "SUPPORTED"
    # The private result is listed, and never fetched (it is not on the allow-list's site).
    [missing] = verdict["sources_unavailable"]
    assert (missing["type"], missing["url"]) == ("web", private)
    assert "non-public" in missing["reason"]


def test_a_web_search_down_is_listed_unavailable(stack, article) -> None:
    stack["web"].route(
        "/searxng/search", Answer(502, "bad gateway", {"Content-Type": "text/plain"})
    )
    done = check(stack, FRANCE, ["article", "web"], article)
    assert done["status"] == "done", done
    assert done["verdict"]["label"] == "SUPPORTED"
    [missing] = done["verdict"]["sources_unavailable"]
    assert missing["type"] == "web"
    assert "web (searxng) answered 502" in missing["reason"]


def test_a_page_redirecting_to_a_private_address_is_listed_unavailable(stack, article) -> None:
    web = stack["web"]
    web.route("/robots.txt", Answer(404))
    page = web.route("/r/metadata", Answer(302, headers={"Location": "http://169.254.169.254/"}))
    done = check(stack, FRANCE, ["article", {"type": "url", "url": page}], article)
    assert done["status"] == "done", done
    assert done["verdict"]["label"] == "SUPPORTED"
    [missing] = done["verdict"]["sources_unavailable"]
    assert (missing["type"], missing["url"]) == ("url", page)
    assert "non-public" in missing["reason"]


def test_url_sources_are_echoed_and_validated(stack, article) -> None:
    api = stack["api"]
    page = stack["web"].url + "/robots.txt"
    body = {
        "claim": FRANCE,
        "article_id": article["id"],
        "sources": ["article", {"type": "url", "url": page}, "article"],
    }
    response = requests.post(f"{api}/v1/checks", json=body, timeout=10)
    assert response.status_code in (200, 202)
    assert response.json()["sources"] == ["article", {"type": "url", "url": page}]

    too_many = [{"type": "url", "url": f"https://news.example/{n}"} for n in range(6)]
    for sources in (too_many, [{"type": "url"}], [{"type": "url", "url": "file:///etc/passwd"}]):
        bad = requests.post(f"{api}/v1/checks", json={"claim": "c", "sources": sources}, timeout=10)
        assert bad.status_code == 422, bad.text
        assert any(key.startswith("sources") for key in bad.json()["errors"]), bad.text


def test_a_check_without_an_article_finds_its_evidence_in_the_archive(stack) -> None:
    tag = uuid.uuid4().hex[:6]
    text = (
        f"Port news {tag}\n\n"
        "The Rotterdam port authority opened a new container terminal on the Maasvlakte in "
        "March 2025.\n\nThe terminal can handle four million containers a year.\n"
    )
    stored = requests.post(
        stack["api"] + "/v1/articles", json={"text": text, "title": f"Port news {tag}"}, timeout=10
    ).json()
    done = check(stack, "Rotterdam opened a new container terminal in 2025", ["archive"])
    assert done["status"] == "done", done
    assert done["article_id"] is None
    verdict = done["verdict"]
    top = verdict["evidence"][0]
    assert top["source"]["type"] == "archive"
    assert (top["source"]["id"], top["source"]["revision"]) == (stored["id"], stored["revision"])
    assert top["source"]["title"] == f"Port news {tag}"
    assert "container terminal" in top["quote"]["exact"]
    assert_spans_exact(verdict, {stored["id"]: text})
    assert verdict["label"] == "SUPPORTED"

    # Deleted from the archive: the next check no longer finds it.
    requests.delete(f"{stack['api']}/v1/articles/{stored['id']}", timeout=10)
    again = check(stack, "Rotterdam opened a new container terminal in 2025", ["archive"])
    assert again["status"] == "done", again
    assert stored["id"] not in {e["source"]["id"] for e in again["verdict"]["evidence"]}


def test_published_fact_checks_go_beside_the_verdict_not_into_it(stack, article) -> None:
    review = {
        "text": "France endorsed Mark Rutte for NATO chief",
        "claimant": "Elysee",
        "claimReview": [
            {
                "publisher": {"name": "Les Decodeurs", "site": "lemonde.fr"},
                "url": "https://www.lemonde.fr/les-decodeurs/article/2024/03/14/rutte.html",
                "title": "Oui, Paris soutient Rutte",
                "reviewDate": "2024-03-14T09:00:00Z",
                "textualRating": "Vrai",
                "languageCode": "fr",
            }
        ],
    }
    answer = Answer(200, json.dumps({"claims": [review]}), JSON)
    stack["web"].route("/v1alpha1/claims:search", answer)
    earlier = check(stack, FRANCE, ["article"], article)  # this deployment's own review
    assert earlier["status"] == "done", earlier
    done = check(stack, FRANCE, ["article", "factchecks"], article)
    assert done["status"] == "done", done
    verdict = done["verdict"]
    assert verdict["label"] == "SUPPORTED"
    assert {e["source"]["type"] for e in verdict["evidence"]} == {"article"}
    by_origin = {r["origin"]: r for r in verdict["related_fact_checks"]}
    google = by_origin["factchecktools"]
    assert google["publisher"] == "Les Decodeurs"
    assert google["textual_rating"] == "Vrai"
    assert google["url"] == review["claimReview"][0]["url"]
    assert google["review_date"] == "2024-03-14T09:00:00Z"
    assert 0 < google["match_score"] <= 1
    ours = by_origin["own"]
    assert ours["url"].endswith("/claimreview") and ours["match_score"] == 1.0
    assert ours["claim_reviewed"] == FRANCE
    assert verdict["sources_unavailable"] == []


def test_a_url_source_at_a_private_address_is_refused_at_once(stack) -> None:
    body = {"claim": "c", "sources": [{"type": "url", "url": "http://10.1.2.3/internal"}]}
    response = requests.post(f"{stack['api']}/v1/checks", json=body, timeout=10)
    assert response.status_code == 422, response.text
    assert "non-public" in response.json()["errors"]["sources"][0]


def test_a_claim_without_article_or_sources_is_checked_against_the_archive(stack) -> None:
    tag = uuid.uuid4().hex[:6]
    text = f"Harbour news {tag}\n\nThe Antwerp harbour installed twelve new cranes in May 2025.\n"
    stored = requests.post(stack["api"] + "/v1/articles", json={"text": text}, timeout=10).json()
    response = requests.post(
        f"{stack['api']}/v1/checks?wait=25",
        json={"claim": "Antwerp harbour installed twelve new cranes"},
        timeout=40,
    )
    done = response.json()
    assert done["sources"] == ["archive"]
    assert done["status"] == "done", done
    top = done["verdict"]["evidence"][0]
    assert (top["source"]["type"], top["source"]["id"]) == ("archive", stored["id"])
    assert_spans_exact(done["verdict"], {stored["id"]: text})


def test_batches_and_drafts_take_url_sources(stack, article) -> None:
    api, web = stack["api"], stack["web"]
    web.route("/robots.txt", Answer(200, "User-agent: *\nDisallow: /admin/\n"))
    page = web.route("/batch/2024/10/01/rutte-nato", Answer(200, news_page_html(), HTML))
    sources = ["article", {"type": "url", "url": page}]
    batch = requests.post(
        f"{api}/v1/checks:batch",
        json={"claims": [RUTTE_CLAIM], "article_id": article["id"], "sources": sources},
        timeout=10,
    )
    assert batch.status_code == 202, batch.text
    draft = requests.post(
        f"{api}/v1/drafts",
        json={"text": f"{RUTTE_CLAIM}.", "article_id": article["id"], "sources": sources},
        timeout=10,
    )
    assert draft.status_code == 202, draft.text
    [annotation] = draft.json()["annotations"]
    for check_id in (batch.json()["check_ids"][0], annotation["check_id"]):
        done = requests.get(f"{api}/v1/checks/{check_id}?wait=25", timeout=40).json()
        assert done["status"] == "done", done
        assert done["sources"] == sources
        top = done["verdict"]["evidence"][0]
        assert (top["source"]["type"], top["source"]["id"]) == ("url", page)
        assert done["verdict"]["label"] == "SUPPORTED"

    private = {"type": "url", "url": "http://10.1.2.3/internal"}
    for path, body in (
        ("/v1/checks:batch", {"claims": [FRANCE], "sources": ["archive", private]}),
        ("/v1/drafts", {"text": f"{RUTTE_CLAIM}.", "sources": ["archive", private]}),
        ("/v1/drafts", {"text": f"{RUTTE_CLAIM}.", "sources": [{"type": "url"}]}),
    ):
        refused = requests.post(api + path, json=body, timeout=10)
        assert refused.status_code == 422, refused.text
        assert any(k.startswith("sources") for k in refused.json()["errors"]), refused.text
