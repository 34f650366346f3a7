"""gather_documents: what answered, what did not, and when nothing did."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import pytest
from source_site import Answer

from keyspace.stores import Stores
from settings import Settings
from workers.sources import SourceUnavailable
from workers.sources.gather import ArticleGone, NoSourceAnswered, gather_documents, source_specs

JSON = {"Content-Type": "application/json"}
PAGE = {
    "pageid": 7,
    "title": "Mark Rutte",
    "index": 1,
    "lastrevid": 9,
    "extract": "Mark Rutte is a Dutch politician.",
    "fullurl": "https://en.wikipedia.org/wiki/R",
}


@dataclass
class Ctx:
    settings: Settings
    stores: Stores


@pytest.fixture
def setup(site, make_http, stores):
    api = site.route("/w/api.php", Answer(200, json.dumps({"query": {"pages": [PAGE]}}), JSON))
    http = make_http(wikipedia_api_url=api, source_retries=0)
    return Ctx(http.settings, stores), http


def record(stores: Stores, sources: list, deleted: bool = False) -> dict:
    article = stores.articles.create("France endorsed Rutte.", 1, {})
    if deleted:
        stores.articles.delete(article["id"])
    return {
        "claim": "Rutte",
        "sources": sources,
        "article_id": article["id"],
        "article_revision": article["revision"],
    }


def test_sources_are_read_in_both_forms() -> None:
    assert source_specs({"sources": ["article", {"type": "url", "url": "https://a.example/"}]}) == [
        {"type": "article"},
        {"type": "url", "url": "https://a.example/"},
    ]
    assert source_specs({}) == [{"type": "article"}]


def test_a_deleted_article_is_listed_while_wikipedia_answers(setup) -> None:
    ctx, http = setup
    gathered = gather_documents(ctx, record(ctx.stores, ["article", "wikipedia"], True), http)
    assert [d.title for d in gathered.documents] == ["Mark Rutte"]
    [missing] = gathered.unavailable
    assert missing["type"] == "article" and "deleted" in missing["reason"]
    assert not gathered.cacheable


def test_a_deleted_article_alone_fails_as_before(setup) -> None:
    ctx, http = setup
    with pytest.raises(ArticleGone):
        gather_documents(ctx, record(ctx.stores, ["article"], True), http)


def test_every_source_refused_fails_without_a_retry(setup, site) -> None:
    ctx, http = setup
    site.route("/w/api.php", Answer(400, "{}", JSON))
    page = site.route("/gone", Answer(404, "no", {"Content-Type": "text/plain"}))
    sources = ["wikipedia", {"type": "url", "url": page}]
    with pytest.raises(NoSourceAnswered, match="wikipedia answered 400.*answered 404"):
        gather_documents(ctx, record(ctx.stores, sources), http)


def test_nothing_answered_and_a_failure_may_pass_is_worth_a_retry(setup, site) -> None:
    ctx, http = setup
    site.route("/w/api.php", Answer(503, "{}", JSON))
    with pytest.raises(SourceUnavailable, match="wikipedia answered 503"):
        gather_documents(ctx, record(ctx.stores, ["wikipedia"]), http)


def test_every_source_answering_is_cacheable(setup) -> None:
    ctx, http = setup
    gathered = gather_documents(ctx, record(ctx.stores, ["article", "wikipedia"]), http)
    assert [d.type for d in gathered.documents] == ["article", "wikipedia"]
    assert gathered.unavailable == [] and gathered.cacheable


def test_fact_checks_alone_do_not_save_a_check_whose_evidence_failed(setup, site) -> None:
    ctx, http = setup
    api = site.route("/fc", Answer(200, '{"claims": []}', JSON))
    settings = replace(ctx.settings, factcheck_api_url=api, factcheck_api_key="k")
    with pytest.raises(NoSourceAnswered, match="deleted"):
        gather_documents(
            Ctx(settings, ctx.stores), record(ctx.stores, ["article", "factchecks"], True), http
        )
    assert len(site.asked("/fc")) == 1  # it was asked, and answered
