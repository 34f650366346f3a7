"""ClaimReview JSON-LD is valid against (a checked-in subset of) the schema.org vocabulary."""

from __future__ import annotations

import re

import pytest

from schemas.claimreview import claim_review, rating

# Type → (parent type, properties it declares). Ranges: property → accepted types.
# Transcribed from https://schema.org (ClaimReview, Review, CreativeWork, Claim, Rating,
# Organization, Thing), limited to the properties this service could emit.
TYPES: dict[str, tuple[str | None, set[str]]] = {
    "Thing": (None, {"name", "url", "alternateName", "description", "identifier", "sameAs"}),
    "CreativeWork": (
        "Thing",
        {"author", "datePublished", "text", "headline", "citation", "publisher", "appearance"},
    ),
    "Review": ("CreativeWork", {"itemReviewed", "reviewRating", "reviewBody", "reviewAspect"}),
    "ClaimReview": ("Review", {"claimReviewed"}),
    "Claim": ("CreativeWork", {"appearance", "firstAppearance", "claimInterpreter"}),
    "Rating": (
        "Intangible",
        {"ratingValue", "bestRating", "worstRating", "ratingExplanation", "author", "reviewAspect"},
    ),
    "Intangible": ("Thing", set()),
    "Organization": ("Thing", {"email", "logo", "address"}),
    "Person": ("Thing", {"email", "givenName", "familyName"}),
}
RANGES: dict[str, set[str]] = {
    "name": {"Text"},
    "url": {"URL"},
    "alternateName": {"Text"},
    "description": {"Text"},
    "author": {"Organization", "Person"},
    "datePublished": {"Date", "DateTime"},
    "text": {"Text"},
    "itemReviewed": {"Thing"},
    "reviewRating": {"Rating"},
    "reviewBody": {"Text"},
    "claimReviewed": {"Text"},
    "appearance": {"CreativeWork"},
    "ratingValue": {"Number", "Text"},
    "bestRating": {"Number", "Text"},
    "worstRating": {"Number", "Text"},
}


def is_subtype(type_: str, ancestor: str) -> bool:
    current: str | None = type_
    while current is not None:
        if current == ancestor:
            return True
        current = TYPES[current][0]
    return False


def properties_of(type_: str) -> set[str]:
    found: set[str] = set()
    current: str | None = type_
    while current is not None:
        parent, declared = TYPES[current]
        found |= declared
        current = parent
    return found


def value_matches(value: object, accepted: set[str]) -> bool:
    if isinstance(value, dict):
        return any(is_subtype(value["@type"], t) for t in accepted if t in TYPES)
    checks = {
        "Text": lambda v: isinstance(v, str),
        "URL": lambda v: isinstance(v, str) and re.match(r"https?://\S+$", v),
        "Number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "Date": lambda v: isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v),
        "DateTime": lambda v: isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}T.+", v),
    }
    return any(checks[t](value) for t in accepted if t in checks)


def validate(node: dict, path: str = "$") -> list[str]:
    """Return every vocabulary violation in a JSON-LD node tree."""
    errors = []
    type_ = node.get("@type")
    if type_ not in TYPES:
        return [f"{path}: unknown @type {type_!r}"]
    allowed = properties_of(type_)
    for name, value in node.items():
        if name.startswith("@"):
            continue
        if name not in allowed:
            errors.append(f"{path}.{name}: not a property of {type_}")
        elif not value_matches(value, RANGES[name]):
            errors.append(f"{path}.{name}: {value!r} is not one of {sorted(RANGES[name])}")
        if isinstance(value, dict):
            errors.extend(validate(value, f"{path}.{name}"))
    return errors


def finished_check(label: str, confidence: float) -> dict:
    return {
        "id": "chk_1",
        "claim": "France endorsed Rutte",
        "created_at": "2026-11-28T00:00:00.000Z",
        "finished_at": "2026-11-28T00:00:02.000Z",
        "verdict": {
            "label": label,
            "confidence": confidence,
            "evidence": [
                {
                    "quote": {"exact": "France, and Germany, endorsing Rutte"},
                    "source": {"url": None},
                }
            ],
        },
    }


def build(label: str = "SUPPORTED", confidence: float = 0.9) -> dict:
    return claim_review(
        finished_check(label, confidence),
        review_url="https://factdesk.example/v1/checks/chk_1",
        author_name="Example Newsroom",
        author_url="https://news.example",
    )


@pytest.mark.parametrize("label", ["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"])
def test_claim_review_is_valid_schema_org(label: str) -> None:
    review = build(label)
    assert review["@context"] == "https://schema.org"
    assert validate(review) == []


def test_validator_catches_a_wrong_property_and_a_wrong_range() -> None:
    review = build()
    review["ratingValue"] = 5  # belongs to Rating, not ClaimReview
    review["author"] = "Example Newsroom"  # must be an Organization or Person node
    assert len(validate(review)) == 2


def test_claim_review_carries_the_required_google_fields() -> None:
    review = build()
    for field in (
        "claimReviewed",
        "reviewRating",
        "itemReviewed",
        "author",
        "datePublished",
        "url",
    ):
        assert field in review
    assert review["author"]["name"] == "Example Newsroom"
    assert review["datePublished"] == "2026-11-28"


@pytest.mark.parametrize(
    ("label", "confidence", "expected"),
    [
        ("SUPPORTED", 0.95, (5, "True")),
        ("SUPPORTED", 0.6, (4, "Mostly true")),
        ("NOT_ENOUGH_INFO", 0.99, (3, "Unproven")),
        ("REFUTED", 0.6, (2, "Mostly false")),
        ("REFUTED", 0.8, (1, "False")),
    ],
)
def test_rating_scale(label: str, confidence: float, expected: tuple[int, str]) -> None:
    assert rating(label, confidence) == expected
    review = build(label, confidence)["reviewRating"]
    assert (review["ratingValue"], review["alternateName"]) == expected
    assert (review["worstRating"], review["bestRating"]) == (1, 5)
