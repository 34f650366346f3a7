"""The `factchecks` source: published fact-checks of claims like this one, beside the verdict.

Searches the Google Fact Check Tools API (`claims:search`) through the shared session, and this
deployment's own reviews (`own_reviews.py`). What it finds is returned as `related_fact_checks`
(publisher, url, textual rating, review date, the claim they reviewed, a match score, origin)
and never becomes evidence: another review's rating is a lead for the reader, not a reason for
our label.
"""

from __future__ import annotations

import math

from settings import Settings
from workers.sources import SourceRefused, SourceUnavailable
from workers.sources.archive_index import terms
from workers.sources.http import OutboundHttp

FACTCHECKS_SOURCE = "factchecks"
MAX_RESULTS = 5


def match_score(claim: str, other: str) -> float:
    """Cosine of the two claims' content-word sets: 1.0 same words, 0.0 none shared."""
    ours, theirs = set(terms(claim)), set(terms(other))
    if not ours or not theirs:
        return 0.0
    return len(ours & theirs) / math.sqrt(len(ours) * len(theirs))


def search_fact_checks(
    claim: str, *, http: OutboundHttp, settings: Settings, deadline: float
) -> list[dict]:
    """Return published reviews of claims matching `claim`, best match first.

    :raise SourceRefused: no API key is configured, or the API refused the request (4xx).
    :raise SourceUnavailable: a timeout, 5xx/429 or a malformed answer.
    """
    if not settings.factcheck_api_key:
        raise SourceRefused("factchecks: FACTDESK_FACTCHECK_API_KEY is not set")
    params = {
        "query": claim,
        "languageCode": settings.factcheck_language,
        "pageSize": str(MAX_RESULTS * 2),
        "key": settings.factcheck_api_key,
    }
    response = http.get(
        settings.factcheck_api_url, params=params, deadline=deadline, name=FACTCHECKS_SOURCE
    )
    if response.status_code != 200:
        raise SourceRefused(f"factchecks answered {response.status_code}")
    try:
        return reviews_from_answer(claim, response.json())
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise SourceUnavailable("factchecks: malformed answer (not claims:search JSON)") from exc


def reviews_from_answer(claim: str, payload: dict) -> list[dict]:
    """Flatten a claims:search answer into one item per review, best match first."""
    found = []
    for item in payload.get("claims", []):
        reviewed = item.get("text", "")
        score = round(match_score(claim, reviewed), 4)
        for review in item.get("claimReview", []):
            publisher = review.get("publisher") or {}
            found.append(
                {
                    "publisher": publisher.get("name") or publisher.get("site"),
                    "url": review["url"],
                    "title": review.get("title"),
                    "textual_rating": review.get("textualRating"),
                    "review_date": review.get("reviewDate"),
                    "claim_reviewed": reviewed,
                    "claimant": item.get("claimant"),
                    "match_score": score,
                    "origin": "factchecktools",
                }
            )
    found.sort(key=lambda r: -r["match_score"])
    return found[:MAX_RESULTS]
