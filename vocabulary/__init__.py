"""The words the wire contract and the checking side share, defined once.

`schemas/` (what the API promises), `keyspace/` (what Redis holds), `workers/` (the engine and
the tasks) and `settings.py` all import these; this module imports nothing, so every layer may.
"""

from __future__ import annotations

from typing import Literal

# The verdict on a claim, and the stance of one piece of evidence toward it.
Label = Literal["SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"]
Stance = Literal["supports", "refutes", "neutral"]
LABELS: tuple[Label, ...] = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
STANCES: tuple[Stance, ...] = ("supports", "refutes", "neutral")

# Where evidence comes from (workers/sources/, docs/sources.md): sources a request names by a
# string, and "url", named by an object that carries the page's URL (at most MAX_URL_SOURCES).
SOURCE_TYPES: tuple[str, ...] = ("article", "wikipedia", "archive", "factchecks", "web")
URL_SOURCE = "url"
MAX_URL_SOURCES = 5

# A check's life: the API writes `queued`, a worker `running`, then `done` or `failed`.
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
CHECK_STATUSES: tuple[str, ...] = (QUEUED, RUNNING, DONE, FAILED)
FINAL_STATES = frozenset({DONE, FAILED})

# The engine's judges (FACTDESK_ENGINE_JUDGE picks one): rules, the model, or both.
JUDGES: tuple[str, ...] = ("symbolic", "learned", "combined")
