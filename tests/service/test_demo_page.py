"""GET /demo and the widget's static files."""

from __future__ import annotations

import requests


def test_demo_page_shows_the_article_and_attaches_the_widget(api: str) -> None:
    response = requests.get(api + "/demo", timeout=10)
    assert response.status_code == 200
    html = response.text
    assert 'id="draft"' in html
    assert "factdesk-widget.js" in html and 'data-target="#draft"' in html
    assert "Klaus Iohannis has officially thrown his hat into the ring" in html
    assert 'data-factdesk-source="art_' in html


def test_widget_files_are_served(api: str) -> None:
    js = requests.get(api + "/static/factdesk-widget.js", timeout=10)
    css = requests.get(api + "/static/factdesk-widget.css", timeout=10)
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert "EventSource" in js.text  # it streams, it does not poll
