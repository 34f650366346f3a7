"""Refuse JSON that parses in Python but cannot be stored, or served back, as JSON.

Python's json module accepts things that later fail far from the request: a lone surrogate
(`"\\ud800"`) cannot be encoded as UTF-8 (Redis, hashing); `NaN`/`Infinity` are not JSON and
would be served back as invalid JSON; a 5,000-digit integer exceeds the int-conversion limit;
nesting 1,000 deep exhausts the recursion limit. The rules are those of I-JSON (RFC 7493):
valid Unicode only, numbers that fit an IEEE double (integers within ±(2**53 − 1), which
JavaScript clients read exactly), plus a nesting limit. Each refusal names the field.
"""

from __future__ import annotations

import json
import math
import re

MAX_DEPTH = 32  # our bodies nest 3 deep; metadata may add some, not hundreds
MAX_SAFE_INTEGER = 2**53 - 1
_MAX_SAFE_DIGITS = len(str(MAX_SAFE_INTEGER))

_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSON string token or a bracket: enough to measure nesting without a recursive parser.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class _Refused:
    """Stands in for a number the parser must not build; the walk reports it with its path."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _parse_int(text: str) -> int | _Refused:
    digits = text.lstrip("-")
    # Length first: int() itself raises on more than 4,300 digits.
    if len(digits) > _MAX_SAFE_DIGITS or abs(int(text)) > MAX_SAFE_INTEGER:
        return _Refused(f"Integers must lie within ±{MAX_SAFE_INTEGER} (I-JSON).")
    return int(text)


def _parse_float(text: str) -> float | _Refused:
    value = float(text)
    if not math.isfinite(value):
        return _Refused("Number out of range.")
    return value


def _parse_constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a JSON number.")


def find_violation(raw: bytes) -> tuple[str, str] | None:
    """Return (field, message) for the first part of a JSON body we refuse, else None.

    A body that is not UTF-8 or not JSON at all is not judged here (None): the schema layer
    answers it with its usual 400.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    too_deep = _too_deep(text)
    if too_deep is not None:
        return too_deep, f"Nested deeper than {MAX_DEPTH} levels."
    try:
        value = json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except RecursionError:  # unreachable after _too_deep; kept so no input can become a 500
        return "body", f"Nested deeper than {MAX_DEPTH} levels."
    except ValueError:
        return None
    return _walk(value, "")


def _too_deep(text: str) -> str | None:
    """Return the top-level field (or "body") holding nesting beyond MAX_DEPTH, else None."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:  # cheap common case
        return None
    depth, member = 0, "body"
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] == '"':
            if depth == 1:  # a key or a value of the top-level object: the last is the key
                member = _member_name(token)
        elif token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return member
        else:
            depth -= 1
    return None


def _member_name(token: str) -> str:
    try:
        name = json.loads(token)
    except ValueError:
        return "body"
    return name if isinstance(name, str) and not _SURROGATE.search(name) else "body"


def _walk(value: object, path: str) -> tuple[str, str] | None:
    field = path or "body"
    if isinstance(value, _Refused):
        return field, value.reason
    if isinstance(value, str):
        if _SURROGATE.search(value):
            return field, "Contains a lone surrogate (\\ud800-\\udfff): not valid Unicode."
        return None
    if isinstance(value, dict):
        for key, inner in value.items():
            if _SURROGATE.search(key):
                return field, "A key contains a lone surrogate: not valid Unicode."
            found = _walk(inner, f"{path}.{key}" if path else key)
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found = _walk(inner, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None
