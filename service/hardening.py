"""Edge guards that every request passes before a view runs (issue #12).

- A request the router could not place answers 404/405 at once, before any body check
  (an undeclared method used to answer 415 because the JSON check ran first).
- Ids in the path must have the format of the ids we hand out (schemas/ids.py), else 404:
  nothing outside that alphabet, `:` above all, ever becomes part of a Redis key.
- A JSON body must be I-JSON (RFC 7493, see service/json_guard.py), else 422 naming the field.
- Every response gets security headers (service/security_headers.py).
- Long-polls are bounded per process (service/longpoll.py).

`install(app)` registers them; call it right after the API-key check, so a caller without a key
learns nothing about ids, and before the JSON media-type check. `install_id_converter(app, api)`
must run before any route is added: it makes every `<name>` path segment match only the id
alphabet, so `/v1/webhooks/callback-secret` can never be read as a webhook id (a DELETE there
is a 405) and `<id>:revisions` matches no route at all.
"""

from __future__ import annotations

import flask_smorest
from flask import Flask, Response, request
from werkzeug.routing import BaseConverter

from schemas.ids import ID_ALPHABET, well_formed
from service import longpoll
from service.json_guard import find_violation
from service.problems import problem_response
from service.security_headers import add_security_headers


class IdConverter(BaseConverter):
    """The default path converter: lowercase letters, digits and `_` only (no `:`, `-`, `/`)."""

    regex = ID_ALPHABET


def install_id_converter(app: Flask, api: flask_smorest.Api) -> None:
    """Make IdConverter the default for `<name>` segments, and document its pattern."""
    app.url_map.converters["default"] = IdConverter
    schema = {"type": "string", "pattern": f"^{ID_ALPHABET}$"}
    api.register_converter(IdConverter, lambda _: schema)


def refuse_unroutable() -> None:
    """Raise the router's 404/405 now, so no later guard answers for a route that isn't there."""
    if request.routing_exception is not None:
        raise request.routing_exception


def refuse_malformed_ids() -> Response | None:
    """404 for a path id that is not shaped like one of ours (no store is asked)."""
    for name, value in (request.view_args or {}).items():
        if not well_formed(name, value):
            # The value is not echoed: it may be anything, and it is no id of ours.
            return problem_response(404, f"No {name.removesuffix('_id')} with that id.")
    return None


def refuse_non_ijson_body() -> Response | None:
    """422 naming the field when a JSON body holds what cannot be stored or served back."""
    if request.method not in {"POST", "PUT", "PATCH"} or not request.is_json:
        return None
    violation = find_violation(request.get_data(cache=True))
    if violation is None:
        return None
    field, message = violation
    return problem_response(422, f"Invalid field(s): {field}.", errors={field: [message]})


def install(app: Flask) -> None:
    """Register the guards (in this order) and the response headers on `app`."""
    app.before_request(refuse_unroutable)
    app.before_request(refuse_malformed_ids)
    app.before_request(refuse_non_ijson_body)
    app.after_request(add_security_headers)
    longpoll.install(app, app.extensions["factdesk"].settings.long_poll_limit)
