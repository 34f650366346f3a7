"""Ids are checked against their format at the edge (issue #12, finding 2).

A `:` in a path id used to reach internal Redis keys: `/v1/articles/<id>:revisions` answered
500 (WRONGTYPE) and `DELETE /v1/webhooks/callback-secret` deleted the callback signing secret.
"""

from __future__ import annotations

import uuid

import pytest

from keyspace.articles import new_article_id
from keyspace.checks import new_check_id
from keyspace.drafts import new_draft_id
from keyspace.webhooks import new_delivery_id, new_webhook_id
from schemas.ids import ID_FORMATS, well_formed
from service.app import create_app
from settings import load_settings

PROBLEM = "application/problem+json"


@pytest.fixture
def article_id(client, demo_text: str) -> str:
    return client.post("/v1/articles", json={"text": demo_text}).get_json()["id"]


@pytest.fixture
def revision(client, article_id: str) -> str:
    return client.get(f"/v1/articles/{article_id}").get_json()["revision"]


def assert_404(response) -> None:
    assert response.status_code == 404, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize("method", ["get", "delete"])
def test_an_article_id_naming_an_internal_key_is_404(client, article_id: str, method: str) -> None:
    assert_404(getattr(client, method)(f"/v1/articles/{article_id}:revisions"))
    assert client.get(f"/v1/articles/{article_id}").status_code == 200  # nothing deleted


def test_put_on_an_internal_key_is_404(client, article_id: str) -> None:
    assert_404(client.put(f"/v1/articles/{article_id}:revisions", json={"text": "New text."}))
    assert client.get(f"/v1/articles/{article_id}").get_json()["revision_count"] == 1


def test_an_article_text_key_is_not_addressable(client, article_id: str, revision: str) -> None:
    assert_404(client.get(f"/v1/articles/{article_id}:text:{revision}"))
    assert_404(client.delete(f"/v1/articles/{article_id}:text:{revision}"))
    assert client.get(f"/v1/articles/{article_id}").get_json()["text"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/articles/art_0123456789abcdef:x",
        "/v1/articles/articles",
        "/v1/articles/..",
        "/v1/checks/chk_0123456789abcdef0123:events",
        "/v1/checks/anything",
        "/v1/checks/chk_0123456789abcdef0123:events/claimreview",
        "/v1/drafts/dft_0123456789abcdef0123:checks",
        "/v1/webhooks/wh_0123456789abcdef0123:deliveries",
        "/v1/webhooks/callback-secret/deliveries",
        "/v1/webhooks/wh_0123456789abcdef0123/deliveries/dlv_x:attempts/redeliver",
    ],
)
def test_malformed_ids_in_paths_are_404(client, path: str) -> None:
    method = client.post if path.endswith("redeliver") else client.get
    assert_404(method(path))


@pytest.mark.parametrize(
    ("field", "value"),
    [("article_id", "{aid}:revisions"), ("article_id", "art_x"), ("article_revision", "{rev}:x")],
)
def test_a_malformed_article_id_in_a_body_is_422_naming_it(
    client, stores, article_id: str, revision: str, field: str, value: str
) -> None:
    body = {"claim": "France endorsed Rutte", "article_id": article_id}
    body[field] = value.format(aid=article_id, rev=revision)
    aid = body["article_id"]
    for path, payload in [
        ("/v1/checks", body),
        ("/v1/checks:batch", {"claims": ["France endorsed Rutte"], "article_id": aid}),
        ("/v1/drafts", {"text": "France endorsed Rutte.", "article_id": aid}),
    ]:
        if field not in payload:
            continue
        response = client.post(path, json=payload)
        assert response.status_code == 422, (path, response.get_data(as_text=True))
        assert response.mimetype == PROBLEM
        assert field in response.get_json()["errors"]


def _keyed_client(redis_url: str):
    """A client of a deployment of its own that sends a tenant's API key on every request."""
    prefix = f"fdids{uuid.uuid4().hex}"
    settings = load_settings(env={}, redis_url=redis_url, key_prefix=prefix)
    client = create_app(settings, {"TESTING": True}).test_client()
    key, _ = client.application.extensions["factdesk"].stores.api_keys.create("hardening")
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_deleting_callback_secret_as_a_webhook_does_not_delete_the_secret(redis_url: str) -> None:
    client = _keyed_client(redis_url)
    auth: dict[str, str] = {}  # the client sends its key
    secret = client.get("/v1/webhooks/callback-secret", headers=auth).get_json()["secret"]
    response = client.delete("/v1/webhooks/callback-secret", headers=auth)
    assert response.status_code in (404, 405)
    assert response.mimetype == PROBLEM
    again = client.get("/v1/webhooks/callback-secret", headers=auth).get_json()["secret"]
    assert again == secret


@pytest.mark.parametrize(("method", "suffix"), [("get", "/deliveries"), ("post", "/rotate-secret")])
def test_callback_secret_is_no_webhook_id(redis_url: str, method: str, suffix: str) -> None:
    client = _keyed_client(redis_url)
    auth: dict[str, str] = {}  # the client sends its key
    secret = client.get("/v1/webhooks/callback-secret", headers=auth).get_json()["secret"]
    response = getattr(client, method)(f"/v1/webhooks/callback-secret{suffix}", headers=auth)
    assert_404(response)
    assert secret not in response.get_data(as_text=True)
    again = client.get("/v1/webhooks/callback-secret", headers=auth).get_json()["secret"]
    assert again == secret


def test_every_id_we_hand_out_has_its_format() -> None:
    made = {
        "article_id": new_article_id(),
        "check_id": new_check_id(),
        "draft_id": new_draft_id(),
        "webhook_id": new_webhook_id(),
        "delivery_id": new_delivery_id(),
    }
    assert set(made) == set(ID_FORMATS)
    for kind, value in made.items():
        assert well_formed(kind, value), (kind, value)
