"""The API's side of the SSRF guard: a URL we may not call is a 422, before it is stored."""

from __future__ import annotations

from flask_smorest import abort

from service.context import factdesk
from workers.sources.http import allow_list
from workers.ssrf import AllowList, UnsafeTargetError, check_url


def refuse_unsafe_url(url: str, field: str) -> None:
    """:raise 422: when `url` resolves to an address webhooks may not call (SSRF guard)."""
    allow = AllowList.parse(factdesk().settings.webhook_allow_hosts.split(","))
    try:
        check_url(url, allow)
    except UnsafeTargetError as e:
        abort(422, errors={field: [f"Refused: {e}."]})


def refuse_unsafe_source_url(url: str) -> None:
    """:raise 422: when a `url` source resolves to an address sources may not call."""
    try:
        check_url(url, allow_list(factdesk().settings))
    except UnsafeTargetError as e:
        abort(422, errors={"sources": [f"Refused {url}: {e}."]})
