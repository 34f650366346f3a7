"""GET /demo: a newsroom editor page with the demo article as source and the widget attached."""

from __future__ import annotations

from flask import Blueprint, render_template

from service.context import factdesk
from service.demo import load_demo_article

bp = Blueprint("demo_page", __name__)


@bp.get("/demo")
def demo() -> str:
    # Loading is idempotent, so the page works whether or not `factdesk run` stored it first.
    article = load_demo_article(factdesk().stores)
    text = factdesk().articles.text(article["id"], article["revision"])
    return render_template("demo.html", article=article, article_text=text)
