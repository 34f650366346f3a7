"""All the stores over one Redis connection pool, built from settings in one call."""

from __future__ import annotations

from dataclasses import dataclass

import redis

from keyspace.articles import ArticleStore
from keyspace.cache import VerdictCache
from keyspace.checks import CheckStore
from keyspace.connection import connect
from keyspace.drafts import DraftStore
from keyspace.keys import Keys
from keyspace.webhooks import WebhookStore
from settings import Settings


@dataclass(frozen=True)
class Stores:
    redis: redis.Redis
    keys: Keys
    articles: ArticleStore
    checks: CheckStore
    cache: VerdictCache
    drafts: DraftStore
    webhooks: WebhookStore

    @classmethod
    def from_settings(cls, settings: Settings) -> Stores:
        if not settings.redis_url:
            raise RuntimeError("REDIS_URL is not set; `factdesk run` starts an embedded Redis")
        client = connect(settings.redis_url)
        keys = Keys(settings.key_prefix)
        return cls(
            redis=client,
            keys=keys,
            articles=ArticleStore(client, keys),
            checks=CheckStore(client, keys),
            cache=VerdictCache(client, keys, settings.cache_ttl_s),
            drafts=DraftStore(client, keys),
            webhooks=WebhookStore(client, keys),
        )
