"""The `url` source against a local site: extraction, limits, charsets, robots.txt, snapshots."""

from __future__ import annotations

import time

import pytest
from news_page import AROUND_THE_STORY, STORY, news_page_html
from source_site import Answer

from workers.sources import SourceRefused, SourceUnavailable
from workers.sources.url import SnapshotStore, fetch_document

HTML = "text/html; charset=utf-8"
ROBOTS_ALLOW = Answer(200, "User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})


@pytest.fixture
def fetch(make_http, stores):
    """fetch(url, **settings) -> Document, through a fresh session and snapshot store."""

    def run(url: str, **settings: object):
        http = make_http(**settings)
        snapshots = SnapshotStore.from_settings(stores.redis, http.settings)
        return fetch_document(http, snapshots, url, deadline=time.monotonic() + 5)

    return run


def serve_news(site, path: str = "/world/rutte-nato", **answer: object) -> str:
    site.route("/robots.txt", ROBOTS_ALLOW)
    return site.route(path, Answer(200, news_page_html(), {"Content-Type": HTML}, **answer))


def test_the_story_is_extracted_without_navigation_ads_or_comments(site, fetch) -> None:
    url = serve_news(site)
    doc = fetch(url)
    for paragraph in STORY[1:]:
        assert paragraph in doc.text
    for noise in [*AROUND_THE_STORY, "Politics", "Good luck to him"]:
        assert noise not in doc.text
    assert doc.type == "url"
    assert doc.id == url
    assert doc.url == url  # the final URL (no redirect here)
    assert doc.title == STORY[0]
    assert doc.revision.startswith("snap_")
    assert doc.retrieved_at.endswith("Z")


def test_the_snapshot_is_stored_with_its_provenance(site, make_http, stores) -> None:
    url = serve_news(site)
    http = make_http()
    snapshots = SnapshotStore.from_settings(stores.redis, http.settings)
    doc = fetch_document(http, snapshots, url, deadline=time.monotonic() + 5)
    snapshot = snapshots.get(doc.revision)
    assert snapshot is not None
    assert snapshot.text == doc.text
    assert (snapshot.url, snapshot.final_url) == (url, url)
    assert snapshot.content_hash.startswith("sha256:")
    assert snapshot.fetched_at == doc.retrieved_at


def test_a_url_fetched_again_within_the_ttl_is_not_fetched(site, make_http, stores) -> None:
    url = serve_news(site)
    http = make_http()
    snapshots = SnapshotStore.from_settings(stores.redis, http.settings)
    first = fetch_document(http, snapshots, url, deadline=time.monotonic() + 5)
    again = fetch_document(http, snapshots, url, deadline=time.monotonic() + 5)
    assert again == first
    assert len(site.asked("/world/rutte-nato")) == 1


def test_a_stale_snapshot_is_revalidated_and_a_304_keeps_it(site, make_http, stores) -> None:
    site.route("/robots.txt", ROBOTS_ALLOW)
    url = site.route(
        "/story",
        Answer(200, news_page_html(), {"Content-Type": HTML, "ETag": '"abc"'}),
        Answer(304, headers={"ETag": '"abc"'}),
    )
    http = make_http(source_cache_ttl_s=0)  # every fetch revalidates
    snapshots = SnapshotStore.from_settings(stores.redis, http.settings)
    first = fetch_document(http, snapshots, url, deadline=time.monotonic() + 5)
    again = fetch_document(http, snapshots, url, deadline=time.monotonic() + 5)
    assert again.revision == first.revision and again.text == first.text
    asked = site.asked("/story")
    assert len(asked) == 2 and asked[1].headers.get("If-None-Match") == '"abc"'


def test_a_redirect_is_followed_and_the_final_url_recorded(site, fetch) -> None:
    final = serve_news(site)
    url = site.route("/short/r1", Answer(301, headers={"Location": final}))
    doc = fetch(url)
    assert (doc.id, doc.url) == (url, final)


def test_a_page_over_the_byte_limit_is_refused(site, fetch) -> None:
    url = serve_news(site)
    with pytest.raises(SourceRefused, match="limit is 1000"):
        fetch(url, source_max_bytes=1000)


def test_a_page_without_length_is_cut_off_at_the_byte_limit(site, fetch) -> None:
    site.route("/robots.txt", ROBOTS_ALLOW)
    big = "<html><body><p>" + "word " * 200_000 + "</p></body></html>"
    url = site.route("/big", Answer(200, big, {"Content-Type": HTML}, content_length=False))
    with pytest.raises(SourceRefused, match="over the limit of 100000 bytes"):
        fetch(url, source_max_bytes=100_000)


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json"])
def test_other_content_types_are_refused_with_the_reason(site, fetch, content_type) -> None:
    site.route("/robots.txt", ROBOTS_ALLOW)
    url = site.route("/file", Answer(200, b"%PDF-1.7 ...", {"Content-Type": content_type}))
    with pytest.raises(SourceRefused, match=f"content type '{content_type}' is not HTML"):
        fetch(url)


def test_plain_text_is_used_as_it_is(site, fetch) -> None:
    site.route("/robots.txt", ROBOTS_ALLOW)
    text = "Rutte became NATO Secretary-General on 1 October 2024.\nHe succeeded Stoltenberg."
    url = site.route("/note.txt", Answer(200, text, {"Content-Type": "text/plain"}))
    doc = fetch(url)
    assert doc.text == text


def test_a_latin1_page_declared_in_the_header_is_decoded(site, fetch) -> None:
    site.route("/robots.txt", ROBOTS_ALLOW)
    html = news_page_html(meta_charset=False).replace("Brussels.", "Bruxelles, café de l'OTAN.")
    url = site.route(
        "/fr",
        Answer(200, html.encode("iso-8859-1"), {"Content-Type": "text/html; charset=ISO-8859-1"}),
    )
    assert "café de l'OTAN" in fetch(url).text


def test_a_windows1252_page_declared_only_in_a_meta_tag_is_decoded(site, fetch) -> None:
    site.route("/robots.txt", ROBOTS_ALLOW)
    html = news_page_html(charset="windows-1252").replace("Brussels.", "Brussels – “a new era”.")
    url = site.route(
        "/quote", Answer(200, html.encode("windows-1252"), {"Content-Type": "text/html"})
    )
    assert "Brussels – “a new era”." in fetch(url).text


def test_robots_txt_disallow_is_respected(site, fetch) -> None:
    site.route("/robots.txt", Answer(200, "User-agent: factdesk\nDisallow: /\n"))
    url = site.route("/story", Answer(200, news_page_html(), {"Content-Type": HTML}))
    with pytest.raises(SourceRefused, match="robots.txt disallows"):
        fetch(url)
    assert site.asked("/story") == []


def test_a_missing_robots_txt_allows_everything(site, fetch) -> None:
    url = site.route("/story", Answer(200, news_page_html(), {"Content-Type": HTML}))
    assert STORY[1] in fetch(url).text  # /robots.txt answers 404


def test_an_unreachable_robots_txt_allows_nothing(site, fetch) -> None:
    site.route("/robots.txt", Answer(503))
    url = site.route("/story", Answer(200, news_page_html(), {"Content-Type": HTML}))
    with pytest.raises(SourceUnavailable, match="robots.txt answered 503"):
        fetch(url, source_retries=0)
    assert site.asked("/story") == []


def test_a_page_that_is_gone_is_refused(site, fetch) -> None:
    site.route("/robots.txt", ROBOTS_ALLOW)
    url = site.route("/gone", Answer(410, "gone", {"Content-Type": "text/plain"}))
    with pytest.raises(SourceRefused, match="answered 410"):
        fetch(url)


def test_a_page_with_no_text_is_refused(site, fetch) -> None:
    site.route("/robots.txt", ROBOTS_ALLOW)
    app_shell = '<html><head><script src="/app.js"></script></head>'
    app_shell += '<body><div id="root"></div></body></html>'
    url = site.route("/app", Answer(200, app_shell, {"Content-Type": HTML}))
    with pytest.raises(SourceRefused, match="no main text"):
        fetch(url)
