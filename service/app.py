"""The app factory: the only way to build the API."""

from __future__ import annotations

import re

import flask_smorest
from flask import Flask

from keyspace.stores import Stores
from keyspace.tenants import LOCAL_TENANT
from schemas.limits import MAX_BODY_BYTES
from service import (
    articles,
    batch,
    checks,
    claimreview,
    cors,
    demo_page,
    docs,
    drafts,
    health,
    quotas,
    webhooks,
)
from service.auth import authenticate, required_scope
from service.context import Factdesk
from service.problems import ProblemApi, register_problem_handlers, require_json_body
from settings import Settings, load_settings
from workers.celery_app import create_celery

# Every blueprint of the app, in one list. flask-smorest Blueprints are documented in OpenAPI;
# plain Flask blueprints (health, docs, static pages) are not.
BLUEPRINTS = [
    articles.blp,
    checks.blp,
    health.bp,
    docs.bp,
    batch.blp,
    drafts.blp,
    webhooks.blp,
    claimreview.blp,
    demo_page.bp,
]


SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "fd_<43 URL-safe characters>",
    "description": (
        "An API key from `factdesk keys create --tenant NAME [--scopes ...]`, bound to one "
        "tenant and a set of scopes; each operation lists the scope it needs. Anonymous "
        "requests are accepted only from loopback while no key exists (docs/keys.md)."
    ),
}


HTTP_METHODS = {"get", "put", "post", "delete", "patch"}
AUTH_RESPONSES = {
    "401": "Missing, unknown or revoked API key",
    "403": "The API key lacks the scope this operation needs",
    "429": "A quota is spent; Retry-After says when to try again",
}


def document_scopes(api: ProblemApi) -> None:
    """Give every /v1 operation `security: [{apiKey: [its scope]}]` (OpenAPI 3.1 lets a
    non-OAuth scheme list the roles it needs), from the same table authentication uses."""
    rules = {rule.rule: rule.endpoint for rule in api._app.url_map.iter_rules()}  # type: ignore[union-attr]
    for path, operations in api.spec._paths.items():
        if not path.startswith("/v1/"):
            continue
        flask_path = re.sub(r"\{(\w+)\}", r"<\1>", path)
        blueprint = rules.get(flask_path, "").partition(".")[0]
        for method, operation in operations.items():
            if method not in HTTP_METHODS:  # "parameters" and other path-level fields
                continue
            scope = required_scope(blueprint, method.upper())
            operation["security"] = [{"apiKey": [scope] if scope else []}]
            responses = operation.setdefault("responses", {})
            for status, description in AUTH_RESPONSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/problem+json": {
                                "schema": {"$ref": "#/components/schemas/Problem"}
                            }
                        },
                    },
                )


def create_app(settings: Settings | None = None, test_config: dict | None = None) -> Flask:
    """Build the API from `settings` (default: the environment) plus Flask config overrides."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config.update(
        API_TITLE="factdesk",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
    )
    app.config.update(test_config or {})
    # The app's own stores are the local tenant's (the demo page); /v1 requests get their
    # caller's tenant (service/auth.py).
    stores = Stores.from_settings(settings, LOCAL_TENANT)
    app.extensions["factdesk"] = Factdesk(
        settings=settings, stores=stores, celery=create_celery(settings)
    )
    api = ProblemApi(app, spec_kwargs={"info": {"description": docs.API_DESCRIPTION}})
    api.spec.components.security_scheme("apiKey", SECURITY_SCHEME)
    for blueprint in BLUEPRINTS:
        if isinstance(blueprint, flask_smorest.Blueprint):
            api.register_blueprint(blueprint)
        else:
            app.register_blueprint(blueprint)
    document_scopes(api)
    app.before_request(authenticate)  # 401/403 before anything looks at the body
    quotas.init_app(
        app, settings, stores.redis.connection_pool
    )  # after authenticate: the limiter counts per key
    app.before_request(require_json_body)
    register_problem_handlers(app)
    cors.init_app(app, settings)
    return app
