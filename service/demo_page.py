"""GET /demo: a newsroom editor page with the demo article as source and the widget attached.

Under `factdesk run` the local tenant's key exists, so the widget needs it: the page hands it
over (as `data-api-key`) only to a loopback client, and only the key `factdesk run` keeps in
the data directory; anyone else gets a page whose widget works only without keys.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from flask import Blueprint, Response, make_response, render_template, request

from keyspace.tenants import LOCAL_TENANT
from service.context import factdesk
from service.demo import load_demo_article
from service.keys_cli import LOCAL_KEY_FILE

bp = Blueprint("demo_page", __name__)


@bp.get("/demo")
def demo() -> Response:
    # Loading is idempotent, so the page works whether or not `factdesk run` stored it first.
    article = load_demo_article(factdesk().stores)
    text = factdesk().articles.text(article["id"], article["revision"])
    key = local_key_for_this_client()
    response = make_response(
        render_template("demo.html", article=article, article_text=text, api_key=key)
    )
    if key:
        response.headers["Cache-Control"] = "no-store"  # the page carries a secret
    return response


def local_key_for_this_client() -> str | None:
    """The local tenant's key from the data directory, for a loopback client; else None."""
    try:
        loopback = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        loopback = False
    path = Path(factdesk().settings.data_dir) / LOCAL_KEY_FILE
    if not loopback or not path.exists():
        return None
    key = path.read_text(encoding="utf-8").strip()
    record = factdesk().stores.api_keys.authenticate(key)
    return key if record is not None and record["tenant"] == LOCAL_TENANT else None
