"""Security headers and script-safe JSON-LD (issue #12, finding 8)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid

import pytest

from service.app import create_app
from settings import load_settings

PAGES = ["/docs", "/demo"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/healthz"),
        ("get", "/openapi.json"),
        ("get", "/docs"),
        ("get", "/demo"),
        ("get", "/static/factdesk-widget.js"),
        ("get", "/v1/articles"),
        ("get", "/v1/articles/art_0000000000000000"),  # a 404 problem
        ("get", "/v1/articles/x:y"),  # refused at the edge
        ("put", "/v1/checks"),  # a 405
        ("post", "/v1/checks"),  # a 415
    ],
)
def test_every_response_says_nosniff(client, method: str, path: str) -> None:
    response = getattr(client, method)(path)
    response.close()  # static files are streamed from an open file
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = [d.split() for d in policy.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", PAGES)
def test_pages_cannot_be_framed(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert _csp(response)["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("path", PAGES)
def test_page_csp_allows_exactly_what_the_page_uses(client, path: str) -> None:
    """Every inline <style> is allowed by its hash; scripts come only from our own origin."""
    response = client.get(path)
    csp = _csp(response)
    html = response.get_data(as_text=True)
    assert csp["default-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    for style in re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.S):
        assert _sha256(style) in csp["style-src"]
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)  # no inline scripts
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handlers
    assert not re.search(r"\sstyle\s*=", html)  # no style attributes
    if re.search(r"<script[^>]*\ssrc=", html):
        assert csp["script-src"] == ["'self'"]
    else:
        assert "script-src" not in csp  # default-src 'none' forbids scripts


def test_demo_page_may_call_its_own_api(client) -> None:
    csp = _csp(client.get("/demo"))
    assert csp["connect-src"] == ["'self'"]  # fetch + EventSource of the widget
    assert "'self'" in csp["style-src"]  # the widget's stylesheet


def test_api_responses_forbid_rendering_and_framing(client) -> None:
    csp = _csp(client.get("/v1/articles"))
    assert csp["default-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]


def _keyed_client(redis_url: str):
    """A client of a deployment of its own that sends a tenant's API key on every request."""
    prefix = f"fdhdr{uuid.uuid4().hex}"
    settings = load_settings(env={}, redis_url=redis_url, key_prefix=prefix)
    client = create_app(settings, {"TESTING": True}).test_client()
    key, _ = client.application.extensions["factdesk"].stores.api_keys.create("hardening")
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_responses_carrying_secrets_are_not_stored(redis_url: str) -> None:
    client = _keyed_client(redis_url)
    auth: dict[str, str] = {}  # the client sends its key
    created = client.post("/v1/webhooks", json={"url": "https://93.184.216.34/h"}, headers=auth)
    assert created.status_code == 201 and "secret" in created.get_json()
    rotated = client.post(f"/v1/webhooks/{created.get_json()['id']}/rotate-secret", headers=auth)
    assert rotated.status_code == 200 and "secret" in rotated.get_json()
    callback = client.get("/v1/webhooks/callback-secret", headers=auth)
    assert callback.status_code == 200 and "secret" in callback.get_json()
    for response in (created, rotated, callback):
        assert "no-store" in response.headers["Cache-Control"]


HOSTILE = "</script><script>alert(1)</script> & <!-- x"


def test_claimreview_json_ld_is_safe_inside_a_script_element(client, stores) -> None:
    verdict = {
        "label": "REFUTED",
        "confidence": 0.9,
        "claim": HOSTILE,
        "parts": [],
        "evidence": [{"quote": {"exact": "a </script> b & c > d", "prefix": "", "suffix": ""}}],
    }
    record, _ = stores.checks.create(
        {"claim": HOSTILE, "sources": ["wikipedia"]}, fingerprint="f", verdict=verdict
    )
    response = client.get(f"/v1/checks/{record['id']}/claimreview")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert not set(body) & {"<", ">", "&"}
    assert "\\u003c/script\\u003e" in body
    review = json.loads(body)  # still the same JSON
    assert review["claimReviewed"] == HOSTILE
    assert "a </script> b & c > d" in review["reviewBody"]
