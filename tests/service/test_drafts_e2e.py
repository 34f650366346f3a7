"""Whole drafts: claims found with offsets in both units, checked, streamed over SSE."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
import requests
from live_stack import wait_for

OPINION = "I think Rutte would be a wonderful leader."
QUESTION = "Will Iohannis win the race?"
TRUE_CLAIM = "The United States endorsed Mark Rutte for NATO Secretary-General."
FALSE_CLAIM = "Hungary endorsed Rutte for NATO Secretary-General."
UNVERIFIABLE = "Iohannis has a dog named Rex."


@pytest.fixture
def article_id(api: str, worker: object, demo_text: str) -> str:
    response = requests.post(api + "/v1/articles", json={"text": demo_text}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def draft_text() -> str:
    # Emoji and accents before the claims make UTF-16 and code-point offsets differ. The
    # heading is unique per test (no cached draft) but spelt with the letters g-v only: a hex
    # tag such as "d79bed" reads as a number and an "-ed" verb, a checkworthy sentence.
    tag = "".join(chr(ord("g") + int(c, 16)) for c in uuid.uuid4().hex[:6])
    return (
        f"Brief 🗞️ from Bruxelles — {tag}.\n\n{TRUE_CLAIM} {OPINION} "
        f"{FALSE_CLAIM}\n{QUESTION} 👍 {UNVERIFIABLE}"
    )


def post_draft(api: str, text: str, article_id: str) -> requests.Response:
    return requests.post(
        api + "/v1/drafts", json={"text": text, "article_id": article_id}, timeout=10
    )


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def finished(api: str, draft_id: str) -> dict:
    def done() -> dict | None:
        draft = requests.get(f"{api}/v1/drafts/{draft_id}", timeout=10).json()
        return draft if draft["status"] == "done" else None

    return wait_for(done, 60, "the draft's checks")  # type: ignore[return-value]


def read_events(api: str, draft_id: str) -> Iterator[tuple[str, dict]]:
    with requests.get(f"{api}/v1/drafts/{draft_id}/events", stream=True, timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        event = None
        for line in response.iter_lines(decode_unicode=True):
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: "):
                yield event, json.loads(line[len("data: ") :])  # type: ignore[misc]


def test_draft_finds_the_checkworthy_claims_with_offsets_in_both_units(
    api: str, article_id: str
) -> None:
    text = draft_text()
    response = post_draft(api, text, article_id)
    assert response.status_code == 202, response.text
    draft = response.json()
    assert response.headers["Location"].endswith(f"/v1/drafts/{draft['id']}")
    claims = [a["claim"] for a in draft["annotations"]]
    assert claims == [TRUE_CLAIM, FALSE_CLAIM, UNVERIFIABLE]
    for annotation in draft["annotations"]:
        claim = annotation["claim"]
        assert text[annotation["start"] : annotation["end"]] == claim
        assert utf16_slice(text, annotation["start_utf16"], annotation["end_utf16"]) == claim
        assert annotation["start_utf16"] > annotation["start"]  # the emoji counts twice
        quote = annotation["quote"]
        assert quote["exact"] == claim
        assert text[: annotation["start"]].endswith(quote["prefix"])
        assert text[annotation["end"] :].startswith(quote["suffix"])
        assert 0.5 <= annotation["checkworthiness"] <= 1
        assert annotation["check_id"].startswith("chk_")


def test_draft_verdicts_are_the_checks_verdicts(api: str, article_id: str) -> None:
    draft = post_draft(api, draft_text(), article_id).json()
    done = finished(api, draft["id"])
    for annotation in done["annotations"]:
        check = requests.get(f"{api}/v1/checks/{annotation['check_id']}", timeout=10).json()
        assert annotation["verdict"] == check["verdict"]
    labels = [a["verdict"]["label"] for a in done["annotations"]]
    assert labels == ["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"]


def test_sse_sends_one_event_per_claim_then_done(api: str, article_id: str) -> None:
    draft = post_draft(api, draft_text(), article_id).json()
    events = list(read_events(api, draft["id"]))
    names = [name for name, _ in events]
    assert names == ["claim", "claim", "claim", "done"]
    indexes = sorted(data["index"] for _, data in events[:-1])
    assert indexes == [0, 1, 2]
    assert all(data["verdict"] is not None for _, data in events[:-1])
    assert events[-1][1] == {"id": draft["id"], "count": 3}


def test_reposting_an_edited_draft_rechecks_only_the_changed_sentence(
    api: str, article_id: str
) -> None:
    text = draft_text()
    first = post_draft(api, text, article_id).json()
    finished(api, first["id"])

    edited = text.replace(FALSE_CLAIM, "Germany endorsed Rutte for NATO Secretary-General.")
    second = post_draft(api, edited, article_id).json()
    by_claim = {a["claim"]: a for a in second["annotations"]}
    for unchanged in (TRUE_CLAIM, UNVERIFIABLE):
        assert by_claim[unchanged]["status"] == "done"
        assert by_claim[unchanged]["verdict"]["cached"] is True
    changed = by_claim["Germany endorsed Rutte for NATO Secretary-General."]
    assert changed["verdict"] is None or changed["verdict"]["cached"] is False


def test_a_draft_without_claims_is_done_at_once(api: str, article_id: str) -> None:
    draft = post_draft(api, f"{OPINION} {QUESTION}", article_id).json()
    assert draft["annotations"] == [] and draft["status"] == "done"
    assert list(read_events(api, draft["id"])) == [("done", {"id": draft["id"], "count": 0})]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"article_id": "x"}, "text"),
        ({"text": "   ", "article_id": "x"}, "text"),
        ({"text": "x" * 20_001, "article_id": "x"}, "text"),
        ({"text": "Rutte won.", "article_id": "art_missing"}, "article_id"),
        ({"text": "Rutte won.", "sources": ["article", "tea-leaves"]}, "sources.1"),
    ],
)
def test_bad_drafts_are_problems_naming_the_field(client, body: dict, field: str) -> None:
    response = client.post("/v1/drafts", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.get_json()["errors"]


def test_unknown_draft_is_404(client) -> None:
    assert client.get("/v1/drafts/dft_nope").status_code == 404
    assert client.get("/v1/drafts/dft_nope/events").status_code == 404


OSLO_ARTICLE = (
    "Oslo, 4 June 2024. The Oslo city council approved a new tram line to Fornebu on Tuesday. "
    "The line will cost 8 billion kroner and open in 2027, the council's transport office said."
)
OSLO_CLAIM = "The Oslo city council approved a new tram line to Fornebu."


def test_a_draft_without_article_id_checks_each_claim_against_its_best_stored_article(
    api: str, article_id: str
) -> None:
    oslo = requests.post(api + "/v1/articles", json={"text": OSLO_ARTICLE}, timeout=10).json()
    response = requests.post(
        api + "/v1/drafts", json={"text": f"{OSLO_CLAIM} {FALSE_CLAIM}"}, timeout=10
    )
    assert response.status_code == 202, response.text
    draft = response.json()
    assert draft["article_id"] is None
    oslo_claim, nato_claim = draft["annotations"]
    assert oslo_claim["article_id"] == oslo["id"]
    # Every copy of the demo article matches equally well; the newest (this test's) wins.
    assert nato_claim["article_id"] == article_id

    done = finished(api, draft["id"])
    for annotation in done["annotations"]:
        check = requests.get(f"{api}/v1/checks/{annotation['check_id']}", timeout=10).json()
        assert check["article_id"] == annotation["article_id"]
        sources = {e["source"]["id"] for e in annotation["verdict"]["evidence"]}
        assert sources == {annotation["article_id"]}
    assert [a["verdict"]["label"] for a in done["annotations"]] == ["SUPPORTED", "REFUTED"]


def test_a_draft_without_article_id_when_no_article_is_stored_is_a_problem(
    redis_url: str,
) -> None:
    from service.app import create_app
    from settings import load_settings

    # A key prefix of its own: an empty deployment, whatever other tests stored.
    empty = load_settings(env={}, redis_url=redis_url, key_prefix=f"fdempty{uuid.uuid4().hex}")
    client = create_app(empty, {"TESTING": True}).test_client()
    response = client.post("/v1/drafts", json={"text": f"{TRUE_CLAIM} {FALSE_CLAIM}"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "No article is stored" in response.get_json()["errors"]["article_id"][0]


BERGEN_ARTICLE = (
    "Bergen, 2 May 2024. The Bergen harbour office opened a new ferry terminal at Skoltenkaia "
    "on Monday. The terminal will serve the coastal express from June, the office said."
)
BERGEN_CLAIM = "The Bergen harbour office opened a new ferry terminal at Skoltenkaia."


def test_a_draft_finds_its_article_beyond_the_newest_hundred(api: str, article_id: str) -> None:
    bergen = requests.post(api + "/v1/articles", json={"text": BERGEN_ARTICLE}, timeout=10).json()
    with requests.Session() as session:
        for n in range(101):  # the old scan looked at the newest 100 only
            text = f"Weather note {n}. Tromso had a mild and windy week in March, forecasters said."
            session.post(api + "/v1/articles", json={"text": text}, timeout=10)
    response = requests.post(api + "/v1/drafts", json={"text": BERGEN_CLAIM}, timeout=10)
    assert response.status_code == 202, response.text
    [annotation] = response.json()["annotations"]
    assert annotation["article_id"] == bergen["id"]


def test_a_draft_can_search_the_archive_without_its_own_article(api: str) -> None:
    own = requests.post(api + "/v1/articles", json={"text": BERGEN_ARTICLE}, timeout=10).json()
    other = requests.post(
        api + "/v1/articles", json={"text": BERGEN_ARTICLE + " Tickets cost 90 kroner."}, timeout=10
    ).json()
    body = {"text": BERGEN_CLAIM, "article_id": own["id"], "sources": ["archive"]}
    response = requests.post(api + "/v1/drafts", json=body, timeout=10)
    assert response.status_code == 202, response.text
    done = finished(api, response.json()["id"])
    [annotation] = done["annotations"]
    cited = {e["source"]["id"] for e in annotation["verdict"]["evidence"]}
    assert own["id"] not in cited
    assert other["id"] in cited
