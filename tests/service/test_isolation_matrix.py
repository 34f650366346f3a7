"""The isolation matrix: every /v1 endpoint × {own id, another tenant's id, revoked key,
missing scope}.

The endpoint list comes from the app's url_map, so an endpoint added without a row here fails
`test_every_endpoint_has_a_matrix_row`. Each row states the one scope its endpoint needs; the
owner's request is made with a key holding only that scope, so a row also proves the scope is
enough. For a path id, another tenant's key gets 404 (never 403: it must not learn the id
exists); collections and bodies get their own "other tenant" assertion.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from live_stack import TEST_TENANT

from keyspace.stores import Stores
from keyspace.tenants import SCOPES
from service.app import create_app
from settings import load_settings
from workers.webhooks.signing import generate_secret

OTHER_TENANT = "newsroom-b"
PUBLIC_HOOK = "https://93.184.216.34/hook"  # a public address literal: no DNS needed
ARTICLE_TEXT = "The council approved the budget on Monday. It passed by nine votes to two."
VERDICT = {
    "label": "SUPPORTED",
    "confidence": 0.9,
    "claim": "The council approved the budget.",
    "evidence": [],
    "parts": [],
    "engine": {"version": "test"},
    "checked_at": "2026-01-01T00:00:00+00:00",
    "cached": False,
}


def v1_endpoints() -> set[tuple[str, str]]:
    """(rule, method) of every /v1 endpoint the app serves."""
    settings = load_settings(env={}, redis_url="redis://127.0.0.1:1/0")  # never connects
    app = create_app(settings)
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


@dataclass
class World:
    """The same resources in two tenants: `own` (the key's tenant) and `other`'s."""

    own: dict[str, str]
    other: dict[str, str]
    stores: dict[str, Stores]


def seed(stores: Stores, external_id: str) -> dict[str, str]:
    """Store one of everything a path can name, for stores' tenant."""
    article = stores.articles.create(ARTICLE_TEXT, 2, {"external_id": external_id})
    check, _ = stores.checks.create(
        {
            "claim": VERDICT["claim"],
            "article_id": article["id"],
            "article_revision": article["revision"],
            "sources": ["article"],
        },
        fingerprint=f"fp-{article['id']}",
    )
    stores.checks.mark_done(check["id"], VERDICT, stores.cache)
    draft = stores.drafts.create({"article_id": article["id"]}, [])
    webhook = stores.webhooks.create_endpoint(PUBLIC_HOOK, ["check.completed"], generate_secret())
    delivery, _ = stores.webhooks.create_delivery(
        url=PUBLIC_HOOK, event_type="check.completed", payload={}, webhook_id=webhook["id"]
    )
    return {
        "article_id": article["id"],
        "check_id": check["id"],
        "draft_id": draft["id"],
        "webhook_id": webhook["id"],
        "delivery_id": delivery["id"],
        "secret": webhook["secret"],
    }


Assertion = Callable[[object, World], None]


def other_gets_404(response, world: World) -> None:
    assert response.status_code == 404, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"


def other_gets_422_article_id(response, world: World) -> None:
    # A body naming another tenant's article: the same answer as for an article that does
    # not exist.
    assert response.status_code == 422
    assert "article_id" in response.get_json()["errors"]


def other_lists_none_of_own(response, world: World) -> None:
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert world.own["article_id"] not in text and world.own["webhook_id"] not in text
    assert PUBLIC_HOOK not in text or world.other["webhook_id"] in text


def other_reuses_external_id(response, world: World) -> None:
    # external_id is per tenant: no 409 that would reveal the other tenant's article.
    assert response.status_code == 201


def other_creates_its_own_webhook(response, world: World) -> None:
    assert response.status_code == 201
    assert response.get_json()["id"] != world.own["webhook_id"]


def other_has_another_secret(response, world: World) -> None:
    assert response.status_code == 200
    own_secret = world.stores["own"].webhooks.callback_secret(generate_secret)
    assert response.get_json()["secret"] != own_secret


@dataclass(frozen=True)
class Row:
    scope: str
    own_status: int
    other: Assertion = other_gets_404
    body: Callable[[dict[str, str]], object] | None = None
    own_body: Callable[[dict[str, str]], object] | None = None  # when `body` suits only others


def article_body(ids: dict[str, str]) -> dict:
    return {"text": "Another text.", "external_id": "cms-1"}


def check_body(ids: dict[str, str]) -> dict:
    return {"claim": "The council approved the budget.", "article_id": ids["article_id"]}


def batch_body(ids: dict[str, str]) -> dict:
    return {"article_id": ids["article_id"], "claims": ["The council approved the budget."]}


def draft_body(ids: dict[str, str]) -> dict:
    return {"text": ARTICLE_TEXT, "article_id": ids["article_id"]}


def empty_body(ids: dict[str, str]) -> dict:
    return {}


MATRIX: dict[tuple[str, str], Row] = {
    ("/v1/articles", "GET"): Row("read", 200, other_lists_none_of_own),
    ("/v1/articles", "POST"): Row(
        "articles:write",
        201,
        other_reuses_external_id,
        article_body,
        own_body=lambda ids: {"text": "Another text.", "external_id": "cms-9"},
    ),
    ("/v1/articles/<article_id>", "GET"): Row("read", 200),
    ("/v1/articles/<article_id>", "PUT"): Row(
        "articles:write", 200, body=lambda ids: {"text": "Changed."}
    ),
    ("/v1/articles/<article_id>", "DELETE"): Row("articles:write", 204),
    ("/v1/checks", "POST"): Row("checks:write", 202, other_gets_422_article_id, check_body),
    ("/v1/checks/<check_id>", "GET"): Row("read", 200),
    ("/v1/checks/<check_id>/claimreview", "GET"): Row("read", 200),
    ("/v1/checks:batch", "POST"): Row("checks:write", 202, other_gets_422_article_id, batch_body),
    ("/v1/drafts", "POST"): Row("checks:write", 202, other_gets_422_article_id, draft_body),
    ("/v1/drafts/<draft_id>", "GET"): Row("read", 200),
    ("/v1/drafts/<draft_id>/events", "GET"): Row("read", 200),
    ("/v1/webhooks", "GET"): Row("webhooks:manage", 200, other_lists_none_of_own),
    ("/v1/webhooks", "POST"): Row(
        "webhooks:manage",
        201,
        other_creates_its_own_webhook,
        lambda ids: {"url": PUBLIC_HOOK, "events": ["check.completed"]},
    ),
    ("/v1/webhooks/callback-secret", "GET"): Row("webhooks:manage", 200, other_has_another_secret),
    ("/v1/webhooks/<webhook_id>", "GET"): Row("webhooks:manage", 200),
    ("/v1/webhooks/<webhook_id>", "DELETE"): Row("webhooks:manage", 204),
    ("/v1/webhooks/<webhook_id>/rotate-secret", "POST"): Row("webhooks:manage", 200),
    ("/v1/webhooks/<webhook_id>/enable", "POST"): Row("webhooks:manage", 200),
    ("/v1/webhooks/<webhook_id>/deliveries", "GET"): Row("webhooks:manage", 200),
    ("/v1/webhooks/<webhook_id>/deliveries/<delivery_id>/redeliver", "POST"): Row(
        "webhooks:manage", 202
    ),
}


def test_every_endpoint_has_a_matrix_row() -> None:
    assert v1_endpoints() == set(MATRIX)


def test_every_row_names_a_real_scope() -> None:
    assert {row.scope for row in MATRIX.values()} <= set(SCOPES)


def test_the_openapi_document_names_each_endpoints_scope(client) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    for (rule, method), row in MATRIX.items():
        operation = paths[re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)][method.lower()]
        assert operation["security"] == [{"apiKey": [row.scope]}], (rule, method)


@pytest.fixture
def world(stores: Stores) -> World:
    other = stores.for_tenant(OTHER_TENANT)
    # The other tenant's article has another external_id: a POST of the owner's must not clash.
    return World(seed(stores, "cms-1"), seed(other, "cms-2"), {"own": stores, "other": other})


def path_for(rule: str, ids: dict[str, str]) -> str:
    return re.sub(r"<(\w+)>", lambda m: ids[m[1]], rule)


@pytest.mark.parametrize(("rule", "method"), sorted(MATRIX))
def test_isolation(app, stores: Stores, make_key, world: World, rule: str, method: str) -> None:
    row = MATRIX[rule, method]
    client = app.test_client()

    def call(key: str, ids: dict[str, str], owner: bool = False):
        make_body = row.own_body if owner and row.own_body else row.body
        body = make_body(ids) if make_body else None
        if body is None and method in {"POST", "PUT"}:
            body = empty_body(ids)
        return client.open(
            path_for(rule, ids),
            method=method,
            json=body,
            headers={"Authorization": f"Bearer {key}"},
            buffered=True,
        )

    # Another tenant's key with every scope, on the owner's ids: 404 (or the row's rule).
    other_key = make_key(OTHER_TENANT)
    row.other(call(other_key, world.own), world)

    # A revoked key of the owner: 401.
    revoked = make_key(TEST_TENANT)
    (record,) = stores.api_keys.list(TEST_TENANT)
    stores.api_keys.revoke(record["id"])
    response = call(revoked, world.own)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"

    # The owner's key with every scope but the one the endpoint needs: 403.
    lacking = make_key(TEST_TENANT, tuple(s for s in SCOPES if s != row.scope))
    response = call(lacking, world.own)
    assert response.status_code == 403, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"

    # The owner's key with only that scope, on its own ids: the endpoint's success status.
    # (Last: a DELETE must still find what the other requests were refused.)
    response = call(make_key(TEST_TENANT, (row.scope,)), world.own, owner=True)
    assert response.status_code == row.own_status, response.get_data(as_text=True)
