"""Articles over HTTP against a live API: CRUD, revisions, pagination, external ids."""

from __future__ import annotations

import uuid

import pytest
import requests


@pytest.fixture
def article(api: str, http: requests.Session, demo_text: str) -> dict:
    response = http.post(f"{api}/v1/articles", json={"text": demo_text, "title": "NATO race"})
    assert response.status_code == 201
    return response.json()


def test_create_returns_id_revision_and_sentence_count(api, http, demo_text: str) -> None:
    response = http.post(f"{api}/v1/articles", json={"text": demo_text, "title": "NATO"})
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("art_")
    assert len(body["revision"]) == 16
    assert body["sentence_count"] > 5
    assert body["char_count"] == len(demo_text)
    assert response.headers["Location"] == f"/v1/articles/{body['id']}"


def test_get_returns_the_exact_text_and_metadata(api, http, article: dict, demo_text) -> None:
    body = http.get(f"{api}/v1/articles/{article['id']}").json()
    assert body["text"] == demo_text
    assert body["title"] == "NATO race"
    assert body["revisions"] == [article["revision"]]


def test_same_text_has_the_same_revision(api, http, demo_text: str) -> None:
    first = http.post(f"{api}/v1/articles", json={"text": demo_text}).json()
    second = http.post(f"{api}/v1/articles", json={"text": demo_text}).json()
    assert first["id"] != second["id"]
    assert first["revision"] == second["revision"]


def test_put_with_new_text_creates_a_new_revision(api, http, article: dict, demo_text) -> None:
    url = f"{api}/v1/articles/{article['id']}"
    updated = http.put(url, json={"text": demo_text + " Update."}).json()
    assert updated["revision"] != article["revision"]
    assert updated["revision_count"] == 2
    body = http.get(url).json()
    assert body["text"] == demo_text + " Update."
    assert body["revisions"] == [article["revision"], updated["revision"]]
    assert body["title"] is None  # a PUT replaces metadata too


def test_put_with_same_text_keeps_the_revision(api, http, article: dict, demo_text) -> None:
    url = f"{api}/v1/articles/{article['id']}"
    updated = http.put(url, json={"text": demo_text, "title": "Renamed"}).json()
    assert updated["revision"] == article["revision"]
    assert updated["revision_count"] == 1
    assert updated["title"] == "Renamed"


def test_delete_removes_the_article(api, http, article: dict) -> None:
    url = f"{api}/v1/articles/{article['id']}"
    assert http.delete(url).status_code == 204
    assert http.get(url).status_code == 404
    assert http.delete(url).status_code == 404


def test_put_on_a_missing_article_is_404(api, http) -> None:
    response = http.put(f"{api}/v1/articles/art_missing", json={"text": "a"})
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


def test_list_pages_in_creation_order(api, http) -> None:
    marker = uuid.uuid4().hex
    created = [
        http.post(f"{api}/v1/articles", json={"text": f"{marker} {i}."}).json()["id"]
        for i in range(3)
    ]
    total = http.get(f"{api}/v1/articles?limit=1").json()["total"]
    seen: list[str] = []
    for offset in range(0, total, 2):
        page = http.get(f"{api}/v1/articles?limit=2&offset={offset}").json()
        assert len(page["items"]) <= 2
        seen.extend(item["id"] for item in page["items"])
    assert [i for i in seen if i in created] == created
    assert len(seen) == total


def test_repeated_external_id_with_same_text_returns_the_article(api, http, demo_text) -> None:
    body = {"text": demo_text, "external_id": f"ext-{uuid.uuid4().hex}"}
    first = http.post(f"{api}/v1/articles", json=body)
    again = http.post(f"{api}/v1/articles", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_repeated_external_id_with_other_text_is_409(api, http, demo_text: str) -> None:
    external_id = f"ext-{uuid.uuid4().hex}"
    http.post(f"{api}/v1/articles", json={"text": demo_text, "external_id": external_id})
    response = http.post(f"{api}/v1/articles", json={"text": "Other.", "external_id": external_id})
    assert response.status_code == 409
    assert "external_id" in response.json()["errors"]


def test_deleting_frees_the_external_id(api, http, demo_text: str) -> None:
    body = {"text": demo_text, "external_id": f"ext-{uuid.uuid4().hex}"}
    first = http.post(f"{api}/v1/articles", json=body).json()
    http.delete(f"{api}/v1/articles/{first['id']}")
    again = http.post(f"{api}/v1/articles", json=body)
    assert again.status_code == 201
    assert again.json()["id"] != first["id"]
