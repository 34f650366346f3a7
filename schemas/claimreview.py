"""schema.org ClaimReview JSON-LD for a finished check, for search engines and fact-check feeds.

Rating scale (documented in docs/webhooks.md and the OpenAPI description), 1 worst … 5 best:

| ratingValue | alternateName | verdict                                        |
|-------------|---------------|------------------------------------------------|
| 1           | False         | REFUTED, confidence ≥ STRONG_CONFIDENCE         |
| 2           | Mostly false  | REFUTED, lower confidence                      |
| 3           | Unproven      | NOT_ENOUGH_INFO                                |
| 4           | Mostly true   | SUPPORTED, lower confidence                    |
| 5           | True          | SUPPORTED, confidence ≥ STRONG_CONFIDENCE       |
"""

from __future__ import annotations

import marshmallow as ma

STRONG_CONFIDENCE = 0.8
BEST_RATING, WORST_RATING = 5, 1


def rating(label: str, confidence: float) -> tuple[int, str]:
    """Map a verdict to (ratingValue, alternateName) on the 1–5 scale above."""
    strong = confidence >= STRONG_CONFIDENCE
    if label == "SUPPORTED":
        return (5, "True") if strong else (4, "Mostly true")
    if label == "REFUTED":
        return (1, "False") if strong else (2, "Mostly false")
    return 3, "Unproven"


def claim_review(check: dict, *, review_url: str, author_name: str, author_url: str | None) -> dict:
    """Build the ClaimReview for a check record whose status is "done"."""
    verdict = check["verdict"]
    value, name = rating(verdict["label"], verdict["confidence"])
    author: dict[str, object] = {"@type": "Organization", "name": author_name}
    if author_url:
        author["url"] = author_url
    review: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url,
        "claimReviewed": check["claim"],
        "datePublished": (check.get("finished_at") or check["created_at"])[:10],
        "author": author,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": name,
        },
        "itemReviewed": {"@type": "Claim", "text": check["claim"]},
    }
    evidence = verdict.get("evidence") or []
    if evidence:
        best = evidence[0]
        review["reviewBody"] = f"{verdict['label']}: the source says “{best['quote']['exact']}”"
    return review


class _RatingSchema(ma.Schema):
    type_ = ma.fields.String(data_key="@type")
    ratingValue = ma.fields.Integer()  # noqa: N815 - schema.org property names
    bestRating = ma.fields.Integer()  # noqa: N815
    worstRating = ma.fields.Integer()  # noqa: N815
    alternateName = ma.fields.String()  # noqa: N815


class ClaimReviewSchema(ma.Schema):
    """Documents the JSON-LD response in OpenAPI; the builder above produces it."""

    context = ma.fields.String(data_key="@context")
    type_ = ma.fields.String(data_key="@type")
    url = ma.fields.String()
    claimReviewed = ma.fields.String()  # noqa: N815
    datePublished = ma.fields.String()  # noqa: N815
    author = ma.fields.Dict()
    reviewRating = ma.fields.Nested(_RatingSchema)  # noqa: N815
    itemReviewed = ma.fields.Dict()  # noqa: N815
    reviewBody = ma.fields.String()  # noqa: N815
