"""/v1/drafts: find the claims in an editor's draft, check them, stream the verdicts (SSE)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import redis
from flask import Response, stream_with_context, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from keyspace.checks import CheckStore
from keyspace.drafts import DraftStore
from schemas.drafts import MAX_DRAFT_CLAIMS, DraftCreateSchema, DraftSchema
from schemas.problem import ProblemSchema
from service import longpoll
from service.context import factdesk
from service.submission import article_revision, submit_checks
from vocabulary import FINAL_STATES
from workers.engine.checkworthy import ScoredSentence, find_checkworthy
from workers.engine.types import QUOTE_CONTEXT
from workers.sources.archive import archive_for
from workers.webhooks.events import draft_finished

blp = Blueprint(
    "drafts",
    __name__,
    url_prefix="/v1/drafts",
    description="Whole drafts: check-worthy claims found, checked and streamed back.",
)

STREAM_LIMIT_S = 300.0  # an SSE stream ends after this; EventSource reconnects by itself
HEARTBEAT_S = 15.0  # a comment line keeps proxies from closing an idle stream


def drafts() -> DraftStore:
    return factdesk().stores.drafts


@blp.route("")
class Drafts(MethodView):
    @blp.arguments(DraftCreateSchema)
    @blp.response(202, DraftSchema)
    @blp.alt_response(422, schema=ProblemSchema)
    def post(self, data: dict) -> tuple[dict, int, dict[str, str]]:
        """Check a draft: its check-worthy sentences become checks, one per claim.

        Annotations carry code-point offsets (`start`, `end`), UTF-16 offsets for browser
        editors, and a quote (exact, prefix, suffix) to re-anchor a claim after edits. A
        re-posted draft re-uses cached verdicts, so only changed sentences are checked again.
        Without `article_id`, each claim is checked against the stored article whose passage
        matches it best in the archive index (every stored article).
        Follow progress at `GET /v1/drafts/{id}/events` (Server-Sent Events).
        """
        text = data.pop("text")
        choose = article_chooser(data)  # 422 for an unknown article (or none stored), claims or not
        claims = [annotate(text, found) for found in find_checkworthy(text)][:MAX_DRAFT_CLAIMS]
        for claim in claims:
            claim["article_id"] = choose(claim["claim"])
        store = drafts()
        request = {"article_id": data.get("article_id")}
        created: list[dict] = []

        def store_draft(pipe: redis.client.Pipeline, checks: list[dict]) -> None:
            for index, (claim, check) in enumerate(zip(claims, checks, strict=True)):
                claim.update(index=index, check_id=check["id"])
            created[:] = [store.write(pipe, request, claims)]  # the last try is the one stored

        if claims:
            check_requests = [_check_request(data, claim) for claim in claims]
            try:
                submit_checks(factdesk(), check_requests, with_checks=store_draft)
            except Exception:
                if created:  # the checks are forgotten (the broker refused): so is the draft
                    store.discard(created[0])
                raise
        else:
            created.append(store.create(request, []))
            # Nothing to wait for: the draft is complete now, and `draft.completed` says so.
            draft_finished(factdesk().celery, created[0]["id"], factdesk().tenant)
        draft = created[0]
        view = store.view(draft["id"], factdesk().checks)
        return view, 202, {"Location": url_for("drafts.Draft", draft_id=draft["id"])}


@blp.route("/<draft_id>")
class Draft(MethodView):
    @blp.response(200, DraftSchema)
    @blp.alt_response(404, schema=ProblemSchema)
    def get(self, draft_id: str) -> dict:
        """Fetch a draft's annotations with the verdicts that have landed so far."""
        return _view_or_404(draft_id)


@blp.route("/<draft_id>/events")
class DraftEvents(MethodView):
    @blp.doc(
        responses={
            "200": {
                "description": "text/event-stream: `claim` events, then `done`",
                "content": {"text/event-stream": {}},
            }
        }
    )
    @blp.alt_response(404, schema=ProblemSchema)
    def get(self, draft_id: str) -> Response:
        """Stream verdicts: one `claim` event per claim as its verdict lands, then `done`.

        Each `claim` event's data is the claim's annotation (as in `GET /v1/drafts/{id}`);
        `done` carries the draft id and claim count. Claims already checked come first.
        """
        _view_or_404(draft_id)
        fd = factdesk()
        stream = longpoll.gated_stream(_events(fd.stores.redis, drafts(), fd.checks, draft_id))
        return Response(
            stream_with_context(stream),
            mimetype="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )


def article_chooser(data: dict) -> Callable[[str], str | None]:
    """Return claim -> the article it is checked against (None when no article is a source).

    The named `article_id` when there is one; else, when the sources include "article", the
    stored article whose best passage matches the claim most in the archive index (every stored
    article, `workers.sources.archive`), or the newest one when none shares a word with it.

    :raise 422: when `article_id` names no article, or none is named and none is stored.
    """
    article_id = data.get("article_id")
    if article_id:
        article_revision(factdesk(), article_id)
        return lambda claim: article_id
    if "article" not in data["sources"]:
        return lambda claim: None
    articles = factdesk().articles
    newest, _ = articles.page(-1, 1)
    if not newest:
        abort(
            422,
            errors={
                "article_id": [
                    "No article is stored to check against: store one, or name an article_id."
                ]
            },
        )
    archive = archive_for(articles)
    return lambda claim: archive.best_article(claim) or newest[0]["id"]


def _check_request(data: dict, claim: dict) -> dict:
    request = {"claim": claim["claim"], "sources": data["sources"]}
    if claim["article_id"]:
        request["article_id"] = claim["article_id"]
    return request


def annotate(text: str, found: ScoredSentence) -> dict:
    """Build one claim's annotation (without its check) from a scored sentence of `text`."""
    sentence, score = found.sentence, found.score
    start, end = sentence.start, sentence.end
    return {
        "claim": sentence.text,
        "start": start,
        "end": end,
        "start_utf16": utf16_length(text[:start]),
        "end_utf16": utf16_length(text[:end]),
        "quote": {
            "exact": sentence.text,
            "prefix": text[max(0, start - QUOTE_CONTEXT) : start],
            "suffix": text[end : end + QUOTE_CONTEXT],
        },
        "checkworthiness": score,
    }


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the way JavaScript's String.length counts."""
    return len(text.encode("utf-16-le")) // 2


def _view_or_404(draft_id: str) -> dict:
    view = drafts().view(draft_id, factdesk().checks)
    if view is None:
        abort(404, message=f"No draft {draft_id}.")
    return view


def _events(
    redis_client: redis.Redis, store: DraftStore, checks: CheckStore, draft_id: str
) -> Iterator[str]:
    """Yield SSE frames until every claim is final (or STREAM_LIMIT_S passes)."""
    view = store.view(draft_id, checks)
    if view is None:
        return
    sent: set[int] = set()
    deadline = time.monotonic() + STREAM_LIMIT_S
    last_write = time.monotonic()
    with redis_client.pubsub(ignore_subscribe_messages=True) as pubsub:
        channels = [checks.keys.check_events(a["check_id"]) for a in view["annotations"]]
        if channels:
            pubsub.subscribe(*channels)
        while True:
            # Re-read after subscribing and after every wake-up: a verdict that landed between
            # two reads is still sent, and a lost pub/sub message only delays it by a second.
            view = store.view(draft_id, checks) or view
            for annotation in view["annotations"]:
                if annotation["status"] in FINAL_STATES and annotation["index"] not in sent:
                    sent.add(annotation["index"])
                    yield _frame("claim", annotation, event_id=str(annotation["index"]))
                    last_write = time.monotonic()
            if len(sent) == len(view["annotations"]):
                yield _frame("done", {"id": draft_id, "count": len(sent)})
                return
            if time.monotonic() > deadline:
                return
            if time.monotonic() - last_write > HEARTBEAT_S:
                yield ": keep-alive\n\n"
                last_write = time.monotonic()
            pubsub.get_message(timeout=1.0)


def _frame(event: str, data: object, event_id: str | None = None) -> str:
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(lines) + "\n\n"
