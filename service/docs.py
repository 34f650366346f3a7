"""/docs: an API reference page rendered on the server from the OpenAPI document.

Self-contained on purpose (no JavaScript, no CDN): it works offline and behind strict
proxies, and it is generated from the same spec as /openapi.json, so it cannot drift.
"""

from __future__ import annotations

from html import escape

from flask import Blueprint, Response, current_app

bp = Blueprint("docs", __name__)

API_DESCRIPTION = (
    "Fact verification for newsrooms: store articles, submit claims, get verdicts "
    "(SUPPORTED, REFUTED, NOT_ENOUGH_INFO) with evidence spans. Errors are RFC 9457 "
    "problem+json. Every /v1 request carries `Authorization: Bearer fd_...`, an API key bound "
    "to one tenant and the scopes each operation lists (docs/keys.md); quotas per key answer "
    "429 with Retry-After. Machine-readable spec: /openapi.json."
)

_STYLE = """body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
code,pre{background:#f4f4f4;padding:0 .2em}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
h3{margin-top:2rem}.m{font-weight:bold;text-transform:uppercase}"""


@bp.get("/docs")
def reference() -> Response:
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    return Response(render(spec), mimetype="text/html")


def render(spec: dict) -> str:
    """Return the HTML reference for an OpenAPI document."""
    info = spec.get("info", {})
    parts = [
        f"<!doctype html><meta charset=utf-8><title>{escape(info.get('title', 'API'))} API</title>",
        f"<style>{_STYLE}</style>",
        f"<h1>{escape(info.get('title', ''))} {escape(info.get('version', ''))}</h1>",
        f"<p>{escape(info.get('description', ''))}</p>",
        "<h2>Endpoints</h2>",
    ]
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            if method == "parameters":
                continue
            parts.append(_operation(method, path, op))
    parts.append("<h2>Schemas</h2>")
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        parts.append(_schema(name, schema))
    return "\n".join(parts)


def _operation(method: str, path: str, op: dict) -> str:
    rows = [f"<h3><span class=m>{escape(method)}</span> <code>{escape(path)}</code></h3>"]
    if op.get("summary"):
        rows.append(f"<p><b>{escape(op['summary'])}</b></p>")
    if op.get("description"):
        rows.append(f"<p>{escape(op['description'])}</p>")
    scopes = [scope for need in op.get("security", []) for scope in need.get("apiKey", [])]
    if scopes:
        rows.append(f"<p>API key scope: <code>{escape(', '.join(scopes))}</code></p>")
    params = op.get("parameters", [])
    if params:
        rows.append("<table><tr><th>Parameter</th><th>In</th><th>Schema</th></tr>")
        for p in params:
            rows.append(
                f"<tr><td>{escape(p.get('name', ''))}</td><td>{escape(p.get('in', ''))}</td>"
                f"<td>{escape(_type(p.get('schema', {})))}</td></tr>"
            )
        rows.append("</table>")
    body = op.get("requestBody", {}).get("content", {})
    for mimetype, media in body.items():
        rows.append(f"<p>Body ({escape(mimetype)}): {_ref(media.get('schema', {}))}</p>")
    rows.append("<table><tr><th>Status</th><th>Meaning</th><th>Body</th></tr>")
    for status, response in op.get("responses", {}).items():
        schema = next(iter(response.get("content", {}).values()), {}).get("schema", {})
        rows.append(
            f"<tr><td>{escape(str(status))}</td>"
            f"<td>{escape(response.get('description', ''))}</td><td>{_ref(schema)}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(rows)


def _schema(name: str, schema: dict) -> str:
    rows = [f"<h3 id='{escape(name)}'>{escape(name)}</h3>"]
    required = set(schema.get("required", []))
    rows.append("<table><tr><th>Field</th><th>Type</th><th>Notes</th></tr>")
    for field, prop in schema.get("properties", {}).items():
        notes = prop.get("description", "")
        if field in required:
            notes = ("required. " + notes).strip()
        rows.append(
            f"<tr><td><code>{escape(field)}</code></td><td>{_ref(prop)}</td>"
            f"<td>{escape(notes)}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(rows)


def _ref(schema: dict) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"<a href='#{escape(name)}'>{escape(name)}</a>"
    if schema.get("type") == "array":
        return f"array of {_ref(schema.get('items', {}))}"
    return escape(_type(schema))


def _type(schema: dict) -> str:
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    names = ("minimum", "maximum", "maxLength", "enum")
    limits = [f"{k}={schema[k]}" for k in names if k in schema]
    return f"{kind} ({', '.join(limits)})" if limits else str(kind)
