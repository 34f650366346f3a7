"""What a request needs from the app: settings, the Redis stores and the Celery app."""

from __future__ import annotations

from dataclasses import dataclass

from celery import Celery
from flask import current_app

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
    def articles(self) -> ArticleStore:
        return self.stores.articles

    @property
    def checks(self) -> CheckStore:
        return self.stores.checks


def factdesk() -> Factdesk:
    """Return the current app's Factdesk (inside a request or app context)."""
    return current_app.extensions["factdesk"]
