"""The app factory: the only way to build the API."""

from __future__ import annotations

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
    hardening,
    health,
    metrics,
    quotas,
    request_logs,
    webhooks,
)
from service.auth import authenticate
from service.context import Factdesk
from service.openapi_problems import ProblemJsonPlugin, document_body_errors
from service.openapi_security import SECURITY_SCHEME, document_scopes
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
    api = ProblemApi(
        app,
        spec_kwargs={
            "info": {"description": docs.API_DESCRIPTION},
            "extra_plugins": [ProblemJsonPlugin()],  # errors documented as problem+json
        },
    )
    hardening.install_id_converter(app, api)  # before any route: path ids match [a-z0-9_] only
    api.spec.components.security_scheme("apiKey", SECURITY_SCHEME)
    for blueprint in BLUEPRINTS:
        if isinstance(blueprint, flask_smorest.Blueprint):
            api.register_blueprint(blueprint)
        else:
            app.register_blueprint(blueprint)
    document_scopes(api)
    document_body_errors(api)
    request_logs.init_app(app)  # first: later hooks log with the request id
    metrics.init_app(app)  # /metrics; times every request, refused ones included
    app.before_request(authenticate)  # 401/403 before anything looks at the body
    app.before_request(request_logs.bind_tenant)
    # After authenticate: the limiter counts per key.
    quotas.init_app(app, settings, stores.redis.connection_pool)
    hardening.install(app)  # then 404/405, malformed ids, non-I-JSON bodies; security headers
    app.before_request(require_json_body)
    register_problem_handlers(app)
    cors.init_app(app, settings)
    return app
