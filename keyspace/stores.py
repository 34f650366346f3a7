"""All the stores over one Redis connection pool, built from settings in one call.

`Stores` is bound to one tenant: every store it holds reads and writes only that tenant's keys
(`Keys.for_tenant`). `api_keys` is deployment-wide (it maps keys to tenants).
"""

from __future__ import annotations

from dataclasses import dataclass

import redis

from keyspace.articles import ArticleStore
from keyspace.cache import VerdictCache
from keyspace.checks import CheckStore
from keyspace.connection import connect
from keyspace.dispatch import DispatchStore
from keyspace.drafts import DraftStore
from keyspace.keys import Keys
from keyspace.tenants import ApiKeyStore
from keyspace.webhooks import WebhookStore
from settings import Settings


@dataclass(frozen=True)
class Stores:
    redis: redis.Redis
    keys: Keys
    articles: ArticleStore
    checks: CheckStore
    dispatch: DispatchStore
    cache: VerdictCache
    drafts: DraftStore
    webhooks: WebhookStore
    api_keys: ApiKeyStore
    settings: Settings

    @property
    def tenant(self) -> str:
        assert self.keys.tenant is not None  # built by for_tenant, always
        return self.keys.tenant

    @classmethod
    def from_settings(cls, settings: Settings, tenant: str) -> Stores:
        """Connect to the settings' Redis and return `tenant`'s stores."""
        if not settings.redis_url:
            raise RuntimeError("REDIS_URL is not set; `factdesk run` starts an embedded Redis")
        return cls.build(connect(settings.redis_url), settings, tenant)

    @classmethod
    def build(cls, client: redis.Redis, settings: Settings, tenant: str) -> Stores:
        root = Keys(settings.key_prefix)
        keys = root.for_tenant(tenant)
        return cls(
            redis=client,
            keys=keys,
            articles=ArticleStore(client, keys),
            checks=CheckStore(client, keys, settings.check_ttl_s),
            dispatch=DispatchStore(client, keys, settings.tenant_in_flight),
            cache=VerdictCache(client, keys, settings.cache_ttl_s),
            drafts=DraftStore(client, keys),
            webhooks=WebhookStore(client, keys, settings.delivery_ttl_s),
            api_keys=ApiKeyStore(client, root),
            settings=settings,
        )

    def for_tenant(self, tenant: str) -> Stores:
        """The same connection pool, bound to `tenant`'s keys."""
        return self.build(self.redis, self.settings, tenant)
