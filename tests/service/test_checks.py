"""Checks end to end: HTTP -> Redis -> a real Celery worker -> engine -> verdict -> cache."""

from __future__ import annotations

import uuid

import pytest
import requests

FRANCE = "France endorsed Rutte"


@pytest.fixture
def article(api: str, http: requests.Session, demo_text: str) -> dict:
    body = http.post(f"{api}/v1/articles", json={"text": demo_text}).json()
    return {**body, "text": demo_text}


def submit(
    api: str, http: requests.Session, claim: str, article: dict, **extra: object
) -> requests.Response:
    body = {"claim": claim, "article_id": article["id"], **extra}
    return http.post(f"{api}/v1/checks", json=body)


def final(api: str, http: requests.Session, check_id: str) -> dict:
    body = http.get(f"{api}/v1/checks/{check_id}?wait=20").json()
    assert body["status"] == "done", body
    return body


def test_check_is_queued_then_done_with_a_verdict(api, http, worker, article, check_spans) -> None:
    response = submit(api, http, FRANCE, article)
    assert response.status_code == 202
    assert response.headers["X-Cache"] == "miss"
    queued = response.json()
    assert queued["status"] in {"queued", "running", "done"}
    assert response.headers["Location"] == f"/v1/checks/{queued['id']}"
    assert queued["article_revision"] == article["revision"]

    done = final(api, http, queued["id"])
    verdict = done["verdict"]
    assert verdict["label"] == "SUPPORTED"
    assert verdict["cached"] is False
    assert verdict["claim"] == FRANCE
    assert verdict["engine"]["version"]
    assert done["attempts"] == 1
    assert check_spans(verdict, {article["id"]: article["text"]}) >= 1
    top = verdict["evidence"][0]
    source = dict(top["source"])
    assert source.pop("retrieved_at").endswith("Z")  # when the worker read the article
    assert source == {
        "type": "article",
        "id": article["id"],
        "revision": article["revision"],
        "title": None,
        "url": None,
    }
    assert verdict["sources_unavailable"] == []
    assert "France" in top["quote"]["exact"]


def test_claim_the_article_does_not_make_is_not_enough_info(
    api, http, worker, article, check_spans
) -> None:
    done = final(api, http, submit(api, http, "Italy endorsed Rutte", article).json()["id"])
    assert done["verdict"]["label"] == "NOT_ENOUGH_INFO"
    check_spans(done["verdict"], {article["id"]: article["text"]})


def test_wait_on_post_answers_with_the_verdict(api, http, worker, article, check_spans) -> None:
    response = http.post(
        f"{api}/v1/checks?wait=20", json={"claim": FRANCE, "article_id": article["id"]}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    check_spans(response.json()["verdict"], {article["id"]: article["text"]})


def test_same_claim_again_is_a_cache_hit(api, http, worker, article, check_spans) -> None:
    first = final(api, http, submit(api, http, FRANCE, article).json()["id"])
    again = submit(api, http, "  France   endorsed Rutte ", article)
    assert again.status_code == 200
    assert again.headers["X-Cache"] == "hit"
    body = again.json()
    assert body["id"] != first["id"]
    assert body["status"] == "done"
    assert body["verdict"]["cached"] is True
    assert body["verdict"]["label"] == first["verdict"]["label"]
    assert body["verdict"]["evidence"] == first["verdict"]["evidence"]
    check_spans(body["verdict"], {article["id"]: article["text"]})
    assert http.get(f"{api}/v1/checks/{body['id']}").json()["verdict"]["cached"] is True


def test_new_revision_does_not_reuse_the_old_verdict(
    api, http, worker, article, check_spans
) -> None:
    final(api, http, submit(api, http, FRANCE, article).json()["id"])
    new_text = article["text"] + "\n\nFrance later withdrew its endorsement of Rutte.\n"
    updated = http.put(f"{api}/v1/articles/{article['id']}", json={"text": new_text}).json()
    response = submit(api, http, FRANCE, article)
    assert response.status_code == 202
    assert response.headers["X-Cache"] == "miss"
    done = final(api, http, response.json()["id"])
    assert done["article_revision"] == updated["revision"]
    assert done["verdict"]["evidence"][0]["source"]["revision"] == updated["revision"]
    check_spans(done["verdict"], {article["id"]: new_text})


def test_pinned_old_revision_is_checked_against_its_text(
    api, http, worker, article, check_spans
) -> None:
    http.put(f"{api}/v1/articles/{article['id']}", json={"text": "Nothing about NATO here."})
    response = submit(api, http, FRANCE, article, article_revision=article["revision"])
    done = final(api, http, response.json()["id"])
    assert done["article_revision"] == article["revision"]
    assert done["verdict"]["label"] == "SUPPORTED"
    check_spans(done["verdict"], {article["id"]: article["text"]})


def test_idempotency_key_with_same_body_returns_the_same_check(api, http, worker, article) -> None:
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    body = {"claim": FRANCE, "article_id": article["id"]}
    first = http.post(f"{api}/v1/checks", json=body, headers=headers)
    again = http.post(f"{api}/v1/checks", json=body, headers=headers)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    final(api, http, first.json()["id"])
    later = http.post(f"{api}/v1/checks", json=body, headers=headers)
    assert later.status_code == 200
    assert later.json()["id"] == first.json()["id"]


def test_idempotency_key_with_other_body_is_422(api, http, worker, article) -> None:
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    http.post(
        f"{api}/v1/checks", json={"claim": FRANCE, "article_id": article["id"]}, headers=headers
    )
    response = http.post(
        f"{api}/v1/checks",
        json={"claim": "Italy endorsed Rutte", "article_id": article["id"]},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "Idempotency-Key" in response.json()["errors"]


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_idempotency_key_must_be_1_to_255_characters(api, http, article, key: str) -> None:
    response = http.post(
        f"{api}/v1/checks",
        json={"claim": FRANCE, "article_id": article["id"]},
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]


def test_metadata_is_echoed(api, http, worker, article) -> None:
    response = submit(api, http, FRANCE, article, metadata={"desk": "europe", "n": 3})
    assert response.json()["metadata"] == {"desk": "europe", "n": 3}
    assert response.json()["sources"] == ["article"]
