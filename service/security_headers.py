"""Security headers on every response (issue #12, finding 8).

- `X-Content-Type-Options: nosniff` everywhere: a browser never guesses a type we didn't send.
- API responses: `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`, so a
  JSON or problem body opened in a browser can run nothing and cannot be framed.
- /docs and /demo: a CSP naming exactly what the page loads (its inline <style> by hash,
  scripts and the widget's stylesheet from our own origin, API calls to our own origin),
  `frame-ancestors 'none'` and `X-Frame-Options: DENY` (for browsers without CSP 2).
- Everything under /v1/webhooks, where secrets are issued and shown, is `Cache-Control:
  no-store`: no proxy or browser cache keeps a `whsec_` secret.
- `script_safe_json` escapes `<`, `>` and `&` so JSON-LD can be pasted into a <script>.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

from flask import Response, json, request

from service import docs

API_CSP = "default-src 'none'; frame-ancestors 'none'"
_PAGE_BASE = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
DEMO_TEMPLATE = Path(__file__).parent / "templates" / "demo.html"
SECRET_PATHS = ("/v1/webhooks",)
_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def _hash_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _hashes(sources: list[str]) -> str:
    return " ".join(_hash_source(s) for s in sources)


@cache
def page_policies() -> dict[str, str]:
    """CSP per HTML page, computed once from the pages' own sources.

    The inline styles are hashed from the source (not from a served page), so nothing
    injected into a page at run time could ever match.
    """
    demo_styles = _STYLE_BLOCK.findall(DEMO_TEMPLATE.read_text(encoding="utf-8"))
    docs_styles = _STYLE_BLOCK.findall(docs.render({}))  # the page's fixed <style>, no spec
    return {
        "/docs": f"{_PAGE_BASE}; style-src {_hashes(docs_styles)}",
        "/demo": (
            f"{_PAGE_BASE}; script-src 'self'; style-src 'self' {_hashes(demo_styles)}; "
            "connect-src 'self'; img-src 'self' data:"
        ),
    }


def add_security_headers(response: Response) -> Response:
    """after_request: set the headers above (a view's own Cache-Control is kept if stricter)."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    page = page_policies().get(request.path)
    if page is not None:
        headers["Content-Security-Policy"] = page
        headers["X-Frame-Options"] = "DENY"
        headers.setdefault("Referrer-Policy", "no-referrer")
    elif not request.path.startswith("/static/"):
        headers.setdefault("Content-Security-Policy", API_CSP)
    if request.path.startswith(SECRET_PATHS):
        headers["Cache-Control"] = "no-store"
    return response


def script_safe_json(value: object) -> str:
    """JSON text with `<`, `>` and `&` as \\u escapes: still the same JSON, and it can sit
    inside <script type="application/ld+json"> without closing it or opening a comment."""
    text = json.dumps(value)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
