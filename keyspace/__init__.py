"""The Redis keyspace shared by the API and the workers.

Every key name comes from a builder in `keyspace.keys`; every read and write goes through the
store functions in `articles`, `checks`, `cache` and `idempotency`. Multi-key writes use MULTI/EXEC
pipelines so a crash never leaves half a record, and nothing scans with `KEYS`.
"""

from keyspace.connection import connect
from keyspace.keys import Keys

__all__ = ["Keys", "connect"]
