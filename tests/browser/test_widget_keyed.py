"""The widget on a keyed deployment: `factdesk run`'s /demo hands the local key to the widget,
which sends it and polls for verdicts (EventSource cannot send a key).

A stack of its own (Redis, worker, API) whose data directory holds the local tenant's key, the
way `factdesk run` leaves it; anonymous requests are therefore refused there.
"""

from __future__ import annotations

import os
import shutil

import pytest
import requests

from service.keys_cli import local_key
from settings import load_settings

CHROMIUM = os.environ.get("FACTDESK_TEST_CHROMIUM", "/usr/bin/chromium")
TRUE_CLAIM = "The United States endorsed Mark Rutte for NATO Secretary-General."
FALSE_CLAIM = "Hungary endorsed Rutte for NATO Secretary-General."

try:
    from playwright import sync_api as playwright_api
except ImportError:
    playwright_api = None

needs_browser = pytest.mark.skipif(
    playwright_api is None or not shutil.which(CHROMIUM), reason="no playwright or Chromium"
)


@pytest.fixture
def keyed_stack(fresh_redis, start_worker, start_api, tmp_path) -> tuple[str, str]:
    from live_stack import KEY_PREFIX

    settings = load_settings(
        env={}, redis_url=fresh_redis.url, key_prefix=KEY_PREFIX, data_dir=tmp_path
    )
    key = local_key(settings)  # what `factdesk run` does before serving
    start_worker(fresh_redis.url)
    api = start_api(fresh_redis.url, data_dir=tmp_path)
    return api.url, key


@needs_browser
def test_the_demo_widget_checks_with_the_local_key(keyed_stack) -> None:
    url, key = keyed_stack
    assert requests.get(url + "/v1/articles", timeout=10).status_code == 401  # a key exists
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(url + "/demo")
            page.locator("#draft").fill(f"{TRUE_CLAIM} {FALSE_CLAIM}")
            page.locator("button.factdesk-check").click()
            widget = page.locator("section.factdesk")
            expect(widget).to_have_attribute("data-state", "done", timeout=60_000)
            marks = page.locator(".factdesk-view mark.fd-claim")
            expect(marks).to_have_count(2)
            expect(marks.nth(0)).to_have_attribute("data-verdict", "SUPPORTED")
            expect(marks.nth(1)).to_have_attribute("data-verdict", "REFUTED")
            expect(page.locator(".factdesk-status")).to_have_text("All 2 claims checked.")
            assert errors == []
        finally:
            browser.close()
