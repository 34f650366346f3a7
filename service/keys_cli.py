"""`factdesk keys create|list|revoke|rotate|origins`: API keys, managed on the deployment's Redis.

A key is printed once, when it is made; Redis keeps only its hash. `factdesk run` makes the
local tenant's key with `local_key()` and keeps it in a 0600 file under the data directory,
so the banner can show the same key on every start.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from keyspace.connection import connect
from keyspace.keys import Keys
from keyspace.tenants import LOCAL_TENANT, SCOPES, ApiKeyStore, parse_scopes
from settings import Settings, load_settings

LOCAL_KEY_FILE = "local-api-key"


def add_keys_parser(sub: argparse._SubParsersAction) -> None:
    keys = sub.add_parser("keys", help="create, list, revoke and rotate API keys (REDIS_URL)")
    actions = keys.add_subparsers(dest="action", required=True)

    create = actions.add_parser("create", help="make a key for a tenant; prints it once")
    create.add_argument("--tenant", required=True, help="tenant name (a-z, 0-9, '-')")
    create.add_argument(
        "--scopes",
        default=",".join(SCOPES),
        help=f"comma-separated, from {', '.join(SCOPES)} (default: all)",
    )
    create.set_defaults(handler=cmd_create)

    listing = actions.add_parser("list", help="list keys (ids, tenants, scopes; never the keys)")
    listing.add_argument("--tenant")
    listing.set_defaults(handler=cmd_list)

    revoke = actions.add_parser("revoke", help="delete a key: it fails on the next request")
    revoke.add_argument("key_id")
    revoke.set_defaults(handler=cmd_revoke)

    rotate = actions.add_parser("rotate", help="replace a key by a new one (same tenant, scopes)")
    rotate.add_argument("key_id")
    rotate.set_defaults(handler=cmd_rotate)

    origins = actions.add_parser(
        "origins", help="set the browser origins a tenant's keys may be used from (CORS)"
    )
    origins.add_argument("--tenant", required=True)
    origins.add_argument("origin", nargs="*", help="https://cms.example ... (none: clear)")
    origins.set_defaults(handler=cmd_origins)


def key_store(settings: Settings) -> ApiKeyStore:
    if not settings.redis_url:
        raise SystemExit(
            "factdesk keys: set REDIS_URL (the Redis the API uses; `factdesk run`'s embedded "
            f"Redis is redis://127.0.0.1:{settings.embedded_redis_port}/0 while it runs)"
        )
    return ApiKeyStore(connect(settings.redis_url), Keys(settings.key_prefix))


def cmd_create(args: argparse.Namespace) -> int:
    try:
        scopes = parse_scopes(args.scopes.split(","))
        key, record = key_store(load_settings()).create(args.tenant, scopes)
    except ValueError as e:
        print(f"factdesk keys create: {e}", file=sys.stderr)
        return 2
    _print_issued(key, record)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    for record in key_store(load_settings()).list(args.tenant):
        print(json.dumps(record, ensure_ascii=False))
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    if not key_store(load_settings()).revoke(args.key_id):
        print(f"factdesk keys revoke: no key {args.key_id}", file=sys.stderr)
        return 1
    print(f"revoked {args.key_id}")
    return 0


def cmd_rotate(args: argparse.Namespace) -> int:
    rotated = key_store(load_settings()).rotate(args.key_id)
    if rotated is None:
        print(f"factdesk keys rotate: no key {args.key_id}", file=sys.stderr)
        return 1
    print(f"revoked {args.key_id}")
    _print_issued(*rotated)
    return 0


def cmd_origins(args: argparse.Namespace) -> int:
    try:
        found = key_store(load_settings()).set_cors_origins(args.tenant, args.origin)
    except ValueError as e:
        print(f"factdesk keys origins: {e}", file=sys.stderr)
        return 2
    if not found:
        print(f"factdesk keys origins: no tenant {args.tenant}", file=sys.stderr)
        return 1
    print(f"tenant {args.tenant}: origins {' '.join(args.origin) or '(none)'}")
    return 0


def _print_issued(key: str, record: dict) -> None:
    print(f"{record['id']} tenant={record['tenant']} scopes={','.join(record['scopes'])}")
    print(key)
    print("Store this key now: it is not shown again (Redis keeps only its hash).")


def local_key(settings: Settings) -> str:
    """Return the local tenant's key for `factdesk run`: the one in the data directory while it
    still works, else a new one (all scopes), written there with mode 0600."""
    store = key_store(settings)
    path = Path(settings.data_dir) / LOCAL_KEY_FILE
    if path.exists():
        kept = path.read_text(encoding="utf-8").strip()
        record = store.authenticate(kept)
        if record is not None and record["tenant"] == LOCAL_TENANT:
            return kept
    key, _ = store.create(LOCAL_TENANT, SCOPES)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key
