"""Who is calling /v1: an API key (`Authorization: Bearer fd_…`) names a tenant and its scopes.

Every /v1 request is authenticated before anything reads its body, then bound to its tenant
(`factdesk()` hands views that tenant's stores) and checked against the scope its endpoint
needs. The key is looked up by its hash on every request, so a revoked key fails at once.

Anonymous requests are accepted only from a loopback address and only while the deployment has
no key at all: a fresh checkout works with plain curl, and the first `factdesk keys create` (or
`factdesk run`, which makes the local key) turns that off. They act as the tenant "local".
Health, readiness, the API reference and the demo page stay public.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from flask import Response, g, request

from keyspace.tenants import (
    ARTICLES_WRITE,
    CHECKS_WRITE,
    LOCAL_TENANT,
    READ,
    SCOPES,
    WEBHOOKS_MANAGE,
)
from service.context import app_factdesk
from service.cors import refuse_foreign_origin
from service.problems import problem_response
from service.quotas import auth_failure_limited, note_auth_failure

PROTECTED_PREFIX = "/v1/"
READ_METHODS = frozenset({"GET", "HEAD"})
# The scope a write needs, by blueprint. Webhook configuration (receiver URLs, secrets) is
# all `webhooks:manage`, reads included: a `read` key must not learn where events go.
WRITE_SCOPE = {
    "articles": ARTICLES_WRITE,
    "checks": CHECKS_WRITE,
    "batch": CHECKS_WRITE,
    "drafts": CHECKS_WRITE,
    "claimreview": CHECKS_WRITE,
}
MANAGE_BLUEPRINTS = {"webhooks": WEBHOOKS_MANAGE}


@dataclass(frozen=True)
class Principal:
    """The caller of one request. `key_id` is None for an anonymous loopback request."""

    tenant: str
    scopes: frozenset[str]
    key_id: str | None


def current_principal() -> Principal:
    """The authenticated caller of this /v1 request."""
    return g.principal


def required_scope(blueprint: str | None, method: str) -> str | None:
    """The scope an endpoint needs; None for a blueprint no scope grants (refused: deny by
    default, so a new blueprint is closed until it is named here)."""
    if blueprint in MANAGE_BLUEPRINTS:
        return MANAGE_BLUEPRINTS[blueprint]
    if method in READ_METHODS:
        return READ
    return WRITE_SCOPE.get(blueprint or "")


def authenticate() -> Response | None:
    """before_request: 401/403/429 as problem+json, or bind the request to its tenant."""
    if not request.path.startswith(PROTECTED_PREFIX) or request.method == "OPTIONS":
        return None
    fd = app_factdesk()
    header = request.headers.get("Authorization")
    if header is None and _loopback() and not fd.stores.api_keys.any_keys():
        principal = Principal(LOCAL_TENANT, frozenset(SCOPES), None)
    else:
        wait_s = auth_failure_limited()
        if wait_s:
            return _too_many_failures(wait_s)
        scheme, _, token = (header or "").partition(" ")
        record = None
        if scheme.lower() == "bearer" and token.strip():
            record = fd.stores.api_keys.authenticate(token.strip())
        if record is None:
            note_auth_failure()
            return _unauthorized(header is None)
        principal = Principal(record["tenant"], frozenset(record["scopes"]), record["id"])
    refused = refuse_foreign_origin(principal.tenant)
    if refused is not None:
        return refused
    if request.url_rule is not None:  # an unknown path goes on to its 404 (still 401 first)
        needed = required_scope(request.blueprint, request.method)
        if needed is None or needed not in principal.scopes:
            return problem_response(
                403,
                f"This API key lacks the scope this endpoint needs ({needed or 'none grants it'}).",
                errors={"Authorization": [f"Missing scope {needed}."]},
            )
    g.principal = principal
    g.factdesk = fd.for_tenant(principal.tenant)
    return None


def _loopback() -> bool:
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def _unauthorized(missing: bool) -> Response:
    reason = "Missing API key." if missing else "Unknown or revoked API key."
    return problem_response(
        401,
        "Send an API key as `Authorization: Bearer fd_…` (create one with `factdesk keys create`).",
        errors={"Authorization": [reason]},
        headers={"WWW-Authenticate": 'Bearer realm="factdesk"'},
    )


def _too_many_failures(retry_after: int) -> Response:
    return problem_response(
        429,
        "Too many requests with a missing or wrong API key from this address; wait and retry.",
        errors={"Authorization": ["Too many failed attempts."]},
        headers={"Retry-After": str(retry_after)},
    )
