"""What a request needs from the app: settings, the Redis stores and the Celery app.

During a /v1 request, `factdesk()` is bound to the caller's tenant (service/auth.py sets it
after authenticating), so a view cannot reach another tenant's keys by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from celery import Celery
from flask import current_app, g, has_request_context

from keyspace.articles import ArticleStore
from keyspace.checks import CheckStore
from keyspace.stores import Stores
from settings import Settings


@dataclass(frozen=True)
class Factdesk:
    settings: Settings
    stores: Stores
    celery: Celery

    @property
    def tenant(self) -> str:
        return self.stores.tenant

    @property
    def articles(self) -> ArticleStore:
        return self.stores.articles

    @property
    def checks(self) -> CheckStore:
        return self.stores.checks

    def for_tenant(self, tenant: str) -> Factdesk:
        return replace(self, stores=self.stores.for_tenant(tenant))


def factdesk() -> Factdesk:
    """Return the current Factdesk: the caller's tenant's during an authenticated request,
    else the app's own (bound to the local tenant: the demo page, health probes)."""
    if has_request_context() and "factdesk" in g:
        return g.factdesk
    return current_app.extensions["factdesk"]


def app_factdesk() -> Factdesk:
    """The app's own Factdesk, whatever the request (authentication reads keys through it)."""
    return current_app.extensions["factdesk"]
