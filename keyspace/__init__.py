"""The Redis keyspace shared by the API and the workers.

Every key name comes from a builder in `keyspace.keys`; every read and write goes through the
stores in `articles`, `checks` (with idempotency keys) and `cache`, bundled by `stores.Stores`.
Multi-key writes use MULTI/EXEC pipelines so a crash never leaves half a record, and nothing
scans with `KEYS`. Articles and check records never expire; verdict-cache entries do.
"""

from keyspace.connection import connect
from keyspace.keys import Keys

__all__ = ["Keys", "connect"]
