"""The `factchecks` source against a local server answering like Fact Check Tools claims:search."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from source_site import Answer

from workers.sources import SourceRefused, SourceUnavailable
from workers.sources.factchecks import match_score, search_fact_checks

JSON = {"Content-Type": "application/json; charset=UTF-8"}
# The shape of a real claims:search answer (v1alpha1).
ANSWER = {
    "claims": [
        {
            "text": "Video shows Mark Rutte dancing at NATO summit",
            "claimant": "Social media users",
            "claimDate": "2024-07-10T00:00:00Z",
            "claimReview": [
                {
                    "publisher": {"name": "AFP Fact Check", "site": "factcheck.afp.com"},
                    "url": "https://factcheck.afp.com/doc.afp.com.36AB12",
                    "title": "Old video misrepresented",
                    "reviewDate": "2024-07-12T10:00:00Z",
                    "textualRating": "Missing context",
                    "languageCode": "en",
                }
            ],
        },
        {
            "text": "Mark Rutte became NATO Secretary General in October 2024",
            "claimant": "Politician",
            "claimDate": "2024-10-01T00:00:00Z",
            "claimReview": [
                {
                    "publisher": {"name": "PolitiFact", "site": "politifact.com"},
                    "url": "https://www.politifact.com/factchecks/2024/oct/02/rutte/",
                    "title": "Yes, Rutte took over NATO on Oct. 1",
                    "reviewDate": "2024-10-02T12:00:00Z",
                    "textualRating": "True",
                    "languageCode": "en",
                }
            ],
        },
    ],
    "nextPageToken": "CAo",
}
CLAIM = "Rutte became NATO Secretary-General in October 2024"


def search(site, make_http, **settings: object) -> list[dict]:
    url = site.url + "/v1alpha1/claims:search"
    http = make_http(factcheck_api_url=url, **{"factcheck_api_key": "k-123", **settings})
    return search_fact_checks(
        CLAIM, http=http, settings=http.settings, deadline=time.monotonic() + 5
    )


def test_reviews_come_best_match_first_with_publisher_and_rating(site, make_http) -> None:
    site.route("/v1alpha1/claims:search", Answer(200, json.dumps(ANSWER), JSON))
    reviews = search(site, make_http)
    assert [r["publisher"] for r in reviews] == ["PolitiFact", "AFP Fact Check"]
    best = reviews[0]
    assert best["textual_rating"] == "True"
    assert best["url"] == "https://www.politifact.com/factchecks/2024/oct/02/rutte/"
    assert best["review_date"] == "2024-10-02T12:00:00Z"
    assert best["match_score"] > 0.8 > reviews[1]["match_score"]
    query = parse_qs(urlsplit(site.asked("/v1alpha1/claims:search")[0].path).query)
    assert query["query"] == [CLAIM] and query["key"] == ["k-123"]


def test_the_api_key_never_reaches_the_cache(site, make_http) -> None:
    site.route("/v1alpha1/claims:search", Answer(200, json.dumps(ANSWER), JSON))
    url = site.url + "/v1alpha1/claims:search"
    http = make_http(factcheck_api_url=url, factcheck_api_key="secret-key-42")
    search_fact_checks(CLAIM, http=http, settings=http.settings, deadline=time.monotonic() + 5)
    cached = list(http._session.cache.responses.values())
    assert cached and all("secret-key-42" not in r.request.url for r in cached)


def test_without_a_key_the_source_is_refused(site, make_http) -> None:
    with pytest.raises(SourceRefused, match="FACTDESK_FACTCHECK_API_KEY"):
        search(site, make_http, factcheck_api_key="")
    assert site.requests == []


def test_a_malformed_answer_is_unavailable(site, make_http) -> None:
    site.route("/v1alpha1/claims:search", Answer(200, '{"claims": [{"claimReview": [{}]}]}', JSON))
    with pytest.raises(SourceUnavailable, match="malformed"):
        search(site, make_http)


def test_a_rejected_key_is_refused(site, make_http) -> None:
    site.route("/v1alpha1/claims:search", Answer(403, '{"error": {"code": 403}}', JSON))
    with pytest.raises(SourceRefused, match="factchecks answered 403"):
        search(site, make_http)


def test_match_score() -> None:
    assert match_score("France endorsed Rutte", "Rutte endorsed by France") == 1.0
    assert match_score("France endorsed Rutte", "Weather in Rome") == 0.0
