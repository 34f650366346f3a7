"""Turning Python values into Redis hash fields and back, refusing anything ambiguous."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime


def utcnow() -> str:
    """Return the current UTC time as an RFC 3339 string with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_fields(values: Mapping[str, object]) -> dict[str, str]:
    """Encode a record for HSET: None means "absent" and is dropped, never stored as "None".

    :raise ValueError: for a type that has no unambiguous string form.
    """
    encoded: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            raise ValueError(f"{name}: store booleans as explicit strings, not {value!r}")
        if isinstance(value, str):
            encoded[name] = value
        elif isinstance(value, int | float):
            encoded[name] = repr(value)
        else:
            raise ValueError(f"{name}: cannot store {type(value).__name__} in a hash field")
    return encoded


def dumps(value: object) -> str:
    """Serialise JSON the same way everywhere (compact, stable key order)."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
