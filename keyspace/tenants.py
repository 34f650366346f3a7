"""Tenants and their API keys (key names: `Keys.tenant*`, `Keys.api_key*`).

A key is `fd_` + 43 URL-safe characters (32 random bytes). Redis holds only its SHA-256, under
`Keys.api_key(digest)`, with the key's id, tenant and scopes; a request's key is looked up by
its hash on every request, so a revoked key fails on the very next request.

Why SHA-256 and not bcrypt/scrypt/argon2: a slow KDF protects low-entropy secrets (passwords)
against guessing after a leak of the hashes. These keys are 256 random bits, so no dictionary
or brute force can find a preimage of a leaked hash, however fast the hash; a slow KDF would
only add tens of milliseconds of CPU to every request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import redis

from keyspace.keys import Keys, valid_tenant
from keyspace.records import to_fields, utcnow

API_KEY_PREFIX = "fd_"
READ, CHECKS_WRITE, ARTICLES_WRITE, WEBHOOKS_MANAGE = (
    "read",
    "checks:write",
    "articles:write",
    "webhooks:manage",
)
SCOPES: tuple[str, ...] = (CHECKS_WRITE, ARTICLES_WRITE, WEBHOOKS_MANAGE, READ)
# The tenant of `factdesk run`'s key, and of anonymous loopback requests before any key exists.
LOCAL_TENANT = "local"
ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
KEY_HINT_CHARS = 8  # "fd_AbCdE": enough to tell keys apart in a listing, useless to an attacker


def hash_key(key: str) -> str:
    """Return the SHA-256 hex digest a key is stored and looked up by."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def new_key_id() -> str:
    return "key_" + secrets.token_hex(8)


def normalise_origin(origin: str) -> str:
    """Return `origin` as browsers send it (`scheme://host[:port]`, no trailing slash).

    :raise ValueError: when it is not an http(s) origin.
    """
    value = origin.strip().rstrip("/")
    if not ORIGIN.match(value):
        raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
    return value.lower()


def parse_scopes(values: Iterable[str]) -> tuple[str, ...]:
    """Return the scopes in canonical order.

    :raise ValueError: naming the first unknown scope, or when none is given.
    """
    wanted = {value.strip() for value in values if value.strip()}
    unknown = sorted(wanted - set(SCOPES))
    if unknown:
        raise ValueError(f"unknown scope {unknown[0]!r} (scopes: {', '.join(SCOPES)})")
    if not wanted:
        raise ValueError("a key needs at least one scope")
    return tuple(scope for scope in SCOPES if scope in wanted)


@dataclass(frozen=True)
class ApiKeyStore:
    redis: redis.Redis
    keys: Keys

    def create(self, tenant: str, scopes: Sequence[str] = SCOPES) -> tuple[str, dict]:
        """Create a key for `tenant` (created with its first key); return (key, record).

        The key is returned this once and never stored.

        :raise ValueError: for an invalid tenant name or scope.
        """
        key, record = self._new(tenant, scopes)
        pipe = self.redis.pipeline(transaction=True)
        self._write(pipe, key, record)
        pipe.execute()
        return key, record

    def authenticate(self, presented: str) -> dict | None:
        """Return the record of the key `presented`, or None when no such key exists."""
        if not presented.startswith(API_KEY_PREFIX):
            return None
        return _decode(self.redis.hgetall(self.keys.api_key(hash_key(presented))))

    def any_keys(self) -> bool:
        return bool(self.redis.hlen(self.keys.api_key_ids()))

    def get(self, key_id: str) -> dict | None:
        digest = self.redis.hget(self.keys.api_key_ids(), key_id)
        return _decode(self.redis.hgetall(self.keys.api_key(digest))) if digest else None

    def list(self, tenant: str | None = None) -> list[dict]:
        """Every key's record (never the key), oldest first; only `tenant`'s when given."""
        digests = self.redis.hvals(self.keys.api_key_ids())
        pipe = self.redis.pipeline(transaction=False)
        for digest in digests:
            pipe.hgetall(self.keys.api_key(digest))
        records = [r for r in map(_decode, pipe.execute()) if r is not None]
        records = [r for r in records if tenant is None or r["tenant"] == tenant]
        return sorted(records, key=lambda r: (r["created_at"], r["id"]))

    def revoke(self, key_id: str) -> bool:
        """Delete the key now; False when there is no such key."""
        return self._replace(key_id, None) is not None

    def rotate(self, key_id: str) -> tuple[str, dict] | None:
        """Replace a key by a new one with the same tenant and scopes, in one MULTI/EXEC (the
        old key stops working at once); None when there is no such key."""
        current = self.get(key_id)
        if current is None:
            return None
        replacement = self._new(current["tenant"], current["scopes"])
        return replacement if self._replace(key_id, replacement) is not None else None

    def tenant(self, name: str) -> dict | None:
        raw = self.redis.hgetall(self.keys.tenant_record(name))
        if not raw:
            return None
        origins = [o for o in raw.get("cors_origins", "").split(",") if o]
        return {**raw, "cors_origins": origins}

    def set_cors_origins(self, name: str, origins: Sequence[str]) -> bool:
        """Set the browser origins allowed to call the API with `name`'s keys (replacing the
        old ones); False if no such tenant.

        :raise ValueError: for an origin that is not `scheme://host[:port]`.
        """
        cleaned = [normalise_origin(origin) for origin in origins]
        key = self.keys.tenant_record(name)
        if not self.redis.exists(key):
            return False
        self.redis.hset(key, "cors_origins", ",".join(cleaned))
        # Rebuild the union from every tenant: an origin another tenant still allows stays.
        tenants = sorted(self.redis.smembers(self.keys.tenants()))
        pipe = self.redis.pipeline(transaction=False)
        for tenant in tenants:
            pipe.hget(self.keys.tenant_record(tenant), "cors_origins")
        union = {o for value in pipe.execute() if value for o in value.split(",") if o}
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(self.keys.cors_origins())
        if union:
            pipe.sadd(self.keys.cors_origins(), *union)
        pipe.execute()
        return True

    def origin_allowed_somewhere(self, origin: str) -> bool:
        return bool(self.redis.sismember(self.keys.cors_origins(), origin))

    def _new(self, tenant: str, scopes: Sequence[str]) -> tuple[str, dict]:
        if not valid_tenant(tenant):
            raise ValueError(
                f"invalid tenant name {tenant!r}: 1-40 of a-z, 0-9 and '-', not starting with '-'"
            )
        key = new_api_key()
        record = {
            "id": new_key_id(),
            "tenant": tenant,
            "scopes": list(parse_scopes(scopes)),
            "hint": key[:KEY_HINT_CHARS],
            "created_at": utcnow(),
        }
        return key, record

    def _write(self, pipe: redis.client.Pipeline, key: str, record: dict) -> None:
        digest = hash_key(key)
        pipe.hset(self.keys.api_key(digest), mapping=to_fields(_encode(record)))
        pipe.hset(self.keys.api_key_ids(), record["id"], digest)
        pipe.hsetnx(self.keys.tenant_record(record["tenant"]), "name", record["tenant"])
        pipe.hsetnx(self.keys.tenant_record(record["tenant"]), "created_at", record["created_at"])
        pipe.sadd(self.keys.tenants(), record["tenant"])

    def _replace(self, key_id: str, replacement: tuple[str, dict] | None) -> str | None:
        """Delete key `key_id` (and write `replacement`) atomically; its old digest, or None."""
        ids = self.keys.api_key_ids()

        def write(pipe: redis.client.Pipeline) -> str | None:
            digest = pipe.hget(ids, key_id)
            if digest is None:
                return None
            pipe.multi()
            pipe.delete(self.keys.api_key(digest))
            pipe.hdel(ids, key_id)
            if replacement is not None:
                self._write(pipe, *replacement)
            return str(digest)

        return self.redis.transaction(write, ids, value_from_callable=True)


def _encode(record: dict) -> dict[str, object]:
    return {**record, "scopes": ",".join(record["scopes"])}


def _decode(raw: dict[str, str]) -> dict | None:
    if not raw:
        return None
    return {**raw, "scopes": [s for s in raw.get("scopes", "").split(",") if s]}
