"""POST /v1/checks:batch: up to 100 claims against one article, one 202 with the check ids."""

from __future__ import annotations

import pytest
import requests
from live_stack import wait_for


@pytest.fixture
def article_id(api: str, worker: object, demo_text: str) -> str:
    response = requests.post(api + "/v1/articles", json={"text": demo_text}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_batch_creates_one_check_per_claim_in_order(api: str, article_id: str) -> None:
    claims = [
        "The United States endorsed Rutte.",
        "Hungary endorsed Rutte.",
        "Iohannis has a dog named Rex.",
    ]
    response = requests.post(
        api + "/v1/checks:batch", json={"claims": claims, "article_id": article_id}, timeout=10
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert len(body["check_ids"]) == 3 == len(set(body["check_ids"]))
    assert [c["claim"] for c in body["checks"]] == claims
    assert [c["id"] for c in body["checks"]] == body["check_ids"]

    def all_done() -> list[dict] | None:
        checks = [
            requests.get(f"{api}/v1/checks/{i}", timeout=10).json() for i in body["check_ids"]
        ]
        return checks if all(c["status"] == "done" for c in checks) else None

    checks = wait_for(all_done, 60, "the batch's checks")
    assert all(c["article_id"] == article_id for c in checks)  # type: ignore[union-attr]


def test_batch_of_100_is_accepted_and_101_refused(api: str, article_id: str) -> None:
    claims = [f"Rutte was endorsed by {n} members." for n in range(101)]
    too_many = requests.post(
        api + "/v1/checks:batch", json={"claims": claims, "article_id": article_id}, timeout=10
    )
    assert too_many.status_code == 422
    assert "claims" in too_many.json()["errors"]
    ok = requests.post(
        api + "/v1/checks:batch",
        json={"claims": claims[:100], "article_id": article_id},
        timeout=30,
    )
    assert ok.status_code == 202 and len(ok.json()["check_ids"]) == 100


def test_repeated_claims_come_back_from_the_cache(api: str, article_id: str) -> None:
    claims = ["France endorsed Rutte."]
    first = requests.post(
        api + "/v1/checks:batch", json={"claims": claims, "article_id": article_id}, timeout=10
    ).json()
    wait_for(
        lambda: (
            requests.get(f"{api}/v1/checks/{first['check_ids'][0]}", timeout=10).json()["status"]
            == "done"
        ),
        60,
        "the first check",
    )
    again = requests.post(
        api + "/v1/checks:batch", json={"claims": claims, "article_id": article_id}, timeout=10
    ).json()
    assert again["checks"][0]["status"] == "done"
    assert again["checks"][0]["verdict"]["cached"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"claims": [], "article_id": "a"}, "claims"),
        ({"claims": ["ok claim", " "], "article_id": "a"}, "claims.1"),
        ({"claims": ["x" * 1001], "article_id": "a"}, "claims.0"),
        ({"claims": ["ok claim"]}, "article_id"),
        ({"claims": ["ok claim"], "article_id": "art_missing"}, "article_id"),
        ({"claims": "not a list", "article_id": "a"}, "claims"),
        ({"claims": ["ok"], "article_id": "a", "callback_url": "ftp://x"}, "callback_url"),
    ],
)
def test_bad_batches_are_problems_naming_the_field(client, body: dict, field: str) -> None:
    response = client.post("/v1/checks:batch", json=body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.get_json()["errors"]


def test_batch_refuses_a_non_public_callback_url(api: str, article_id: str) -> None:
    response = requests.post(
        api + "/v1/checks:batch",
        json={
            "claims": ["Rutte won."],
            "article_id": article_id,
            "callback_url": "http://169.254.169.254/latest",
        },
        timeout=10,
    )
    assert response.status_code == 422
    assert "callback_url" in response.json()["errors"]
