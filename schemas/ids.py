"""The format of every id the API hands out, checked wherever an id comes back in.

Ids are `<kind>_` plus lowercase hex (see the `new_*_id` functions in keyspace/). Holding
incoming ids to that alphabet keeps `:` (the Redis key separator) and every other character
out of key names, so no path or body can address an internal key such as an article's
`:revisions` list or the callback signing secret. The hex length is not pinned, so a change
of id length is not a breaking change for old ids.
"""

from __future__ import annotations

import re

from marshmallow import validate

_HEX = "[0-9a-f]{8,64}"
ID_ALPHABET = "[a-z0-9_]{1,80}"  # every kind of id, and nothing else, fits a path segment

ID_FORMATS: dict[str, re.Pattern[str]] = {
    "article_id": re.compile(f"art_{_HEX}"),
    "check_id": re.compile(f"chk_{_HEX}"),
    "draft_id": re.compile(f"dft_{_HEX}"),
    "webhook_id": re.compile(f"wh_{_HEX}"),
    "delivery_id": re.compile(f"dlv_{_HEX}"),
}
REVISION_FORMAT = re.compile(_HEX)  # a content hash (keyspace.articles.revision_of)


def well_formed(kind: str, value: str) -> bool:
    """True when `value` has the format of a `kind` id (e.g. "article_id"); unknown kinds pass."""
    pattern = ID_FORMATS.get(kind)
    return pattern is None or pattern.fullmatch(value) is not None


def id_field_validator(kind: str) -> validate.Regexp:
    """A marshmallow validator for a body field holding a `kind` id (documented as `pattern`)."""
    return validate.Regexp(
        f"^{ID_FORMATS[kind].pattern}$", error=f"Not a {kind.removesuffix('_id')} id."
    )


def revision_validator() -> validate.Regexp:
    return validate.Regexp(f"^{REVISION_FORMAT.pattern}$", error="Not a revision id.")
