"""The `sources` of a check request: named sources as strings, pages as `{"type": "url", ...}`.

`["article", "wikipedia"]` keeps working as it always did; `{"type": "wikipedia"}` means the
same as `"wikipedia"`; `{"type": "url", "url": "https://…"}` names a page (at most
MAX_URL_SOURCES). Loaded sources are deduplicated and sorted, named ones as strings first.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from schemas.limits import MAX_URL_CHARS
from vocabulary import MAX_URL_SOURCES, SOURCE_TYPES, URL_SOURCE

_URL = ma.fields.Url(require_tld=False, schemes={"http", "https"})


class SourceItem(ma.fields.Field):
    """A named source ("article") or an object ({"type": "url", "url": "https://…"})."""

    def __init__(self, **kwargs: object) -> None:
        described = {
            "oneOf": [
                {"type": "string", "enum": list(SOURCE_TYPES)},
                {
                    "type": "object",
                    "required": ["type"],
                    "properties": {
                        "type": {"type": "string", "enum": [*SOURCE_TYPES, URL_SOURCE]},
                        "url": {"type": "string", "format": "uri", "maxLength": MAX_URL_CHARS},
                    },
                },
            ]
        }
        super().__init__(metadata=described, **kwargs)  # type: ignore[arg-type]

    def _deserialize(self, value: object, attr: str | None, data: object, **kwargs: object):
        if isinstance(value, str):
            value = {"type": value}
        if not isinstance(value, dict):
            raise ma.ValidationError("Must be a source name or an object with a `type`.")
        kind = value.get("type")
        if kind in SOURCE_TYPES:
            if set(value) != {"type"}:
                raise ma.ValidationError(f'"{kind}" takes no other fields.')
            return kind
        if kind != URL_SOURCE:
            names = ", ".join([*SOURCE_TYPES, URL_SOURCE])
            raise ma.ValidationError(f"Unknown source type {kind!r}; one of {names}.")
        if set(value) != {"type", "url"} or not isinstance(value["url"], str):
            raise ma.ValidationError('A "url" source is {"type": "url", "url": "https://…"}.')
        url = value["url"].strip()
        if len(url) > MAX_URL_CHARS:
            raise ma.ValidationError(f"URL longer than {MAX_URL_CHARS} characters.")
        _URL.deserialize(url)  # raises ValidationError for anything but http(s) with a host
        return {"type": URL_SOURCE, "url": url}

    def _serialize(self, value: object, attr: str | None, obj: object, **kwargs: object):
        return value


def sources_field(
    default_doc: str = '["article"] with an article_id, else ["archive"]', **kwargs: object
) -> ma.fields.List:
    """The `sources` list of a request (a check's default is `default_sources`)."""
    return ma.fields.List(
        SourceItem(),
        validate=[
            validate.Length(min=1, max=len(SOURCE_TYPES) + MAX_URL_SOURCES),
            _url_count,
        ],
        metadata={
            "description": '"article", "wikipedia", "archive", "factchecks", "web" and up to '
            f'{MAX_URL_SOURCES} {{"type": "url", "url": "https://…"}}. Default: {default_doc}'
        },
        **kwargs,  # type: ignore[arg-type]
    )


def _url_count(sources: list[str | dict]) -> None:
    pages = {s["url"] for s in sources if isinstance(s, dict)}
    if len(pages) > MAX_URL_SOURCES:
        raise ma.ValidationError(f"At most {MAX_URL_SOURCES} url sources.")


def default_sources(article_id: str | None) -> list[str | dict]:
    """What a request without `sources` checks against: its article, else the whole archive."""
    return ["article"] if article_id else ["archive"]


def normalise_sources(sources: list[str | dict]) -> list[str | dict]:
    """Deduplicate and sort: named sources (strings) first, then pages by URL."""
    named = sorted({s for s in sources if isinstance(s, str)})
    urls = sorted({s["url"] for s in sources if isinstance(s, dict)})
    return [*named, *({"type": URL_SOURCE, "url": url} for url in urls)]
