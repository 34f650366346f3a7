"""The widget in a real browser: headless Chromium (Debian's) driven by Playwright.

An editor types a draft with a true, a false and an unverifiable claim about the demo article
into the live /demo page (real API, real worker); the test asserts the three highlights, their
verdict colours and their tooltips, by mouse and by keyboard.

Set FACTDESK_DEMO_SCREENSHOT=docs/img/demo.png to refresh the README screenshot.

Without Chromium or playwright the browser tests skip on a developer's machine, but in CI (the
CI variable set, as CI services do) `test_ci_has_chromium_and_playwright` fails instead: a CI
run must prove the widget works. FACTDESK_TEST_CHROMIUM points at another browser binary.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("FACTDESK_TEST_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}
HINT = "run scripts/install-test-extras.sh (make test does)"
LAUNCH_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRUE_CLAIM = "The United States endorsed Mark Rutte for NATO Secretary-General."
FALSE_CLAIM = "Hungary endorsed Rutte for NATO Secretary-General."
UNVERIFIABLE = "Iohannis has a dog named Rex."
OPINION = "I think it was a long week."
DRAFT = f"Brussels, March 2024. {TRUE_CLAIM} {FALSE_CLAIM} {OPINION} {UNVERIFIABLE}"

try:
    from playwright import sync_api as playwright_api
except ImportError:
    playwright_api = None


def missing_requirement() -> str | None:
    """Say what the browser tests lack (None: nothing)."""
    if playwright_api is None:
        return "the playwright package is not installed"
    if not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM}"
    return None


MISSING = missing_requirement()
needs_browser = pytest.mark.skipif(MISSING is not None, reason=f"{MISSING}; {HINT}")


@pytest.mark.skipif(not IN_CI, reason="only CI must have the browser")
def test_ci_has_chromium_and_playwright() -> None:
    assert MISSING is None, f"{MISSING}; {HINT}. CI is set, so this is a failure, not a skip."


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, api: str, worker: object) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(api + "/demo")
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@needs_browser
def test_typed_draft_gets_three_highlights_with_tooltips(page: Page) -> None:
    expect = playwright_api.expect
    editor = page.locator("#draft")
    editor.click()
    editor.press_sequentially(DRAFT, delay=5)  # real keystrokes; the widget checks on a pause

    widget = page.locator("section.factdesk")
    expect(widget).to_have_attribute("data-state", "done", timeout=60_000)
    marks = page.locator(".factdesk-view mark.fd-claim")
    expect(marks).to_have_count(3)

    expected = [
        (TRUE_CLAIM, "SUPPORTED", "Supported"),
        (FALSE_CLAIM, "REFUTED", "Refuted"),
        (UNVERIFIABLE, "NOT_ENOUGH_INFO", "Not enough information"),
    ]
    article = page.locator("[data-factdesk-source]").inner_text()
    for index, (claim, label, words) in enumerate(expected):
        mark = marks.nth(index)
        tooltip = mark.locator(".fd-tooltip")
        assert mark.evaluate("m => m.firstChild.nodeValue") == claim
        expect(mark).to_have_attribute("data-verdict", label)
        expect(mark).to_have_class(f"fd-claim fd-{label}")
        page.mouse.move(0, 0)  # away from the previous claim's tooltip
        expect(tooltip).to_be_hidden()
        mark.hover()
        expect(tooltip).to_be_visible()
        expect(tooltip.locator(".fd-verdict")).to_contain_text(words)
        assert tooltip.get_attribute("role") == "tooltip"
        assert mark.get_attribute("aria-describedby") == tooltip.get_attribute("id")
        if label != "NOT_ENOUGH_INFO":
            quote = tooltip.locator("q.fd-evidence").inner_text()
            assert quote and quote in article  # the evidence is a real sentence of the source
            expect(tooltip.locator("a.fd-source")).to_have_text("Show in source")

    # The underline colours differ by verdict (and so does the style, not colour alone).
    colours = {
        marks.nth(i).evaluate("m => getComputedStyle(m).textDecorationColor") for i in range(3)
    }
    assert len(colours) == 3
    expect(page.locator(".factdesk-status")).to_have_text("All 3 claims checked.")

    target = os.environ.get("FACTDESK_DEMO_SCREENSHOT")
    if target:
        page.mouse.move(0, 0)
        marks.nth(1).focus()  # show the refuted claim's tooltip
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=target)


@needs_browser
def test_keyboard_reaches_each_claim_and_its_source_link(page: Page) -> None:
    expect = playwright_api.expect
    page.locator("#draft").fill(f"{TRUE_CLAIM} {FALSE_CLAIM}")
    page.locator("button.factdesk-check").click()
    expect(page.locator("section.factdesk")).to_have_attribute("data-state", "done", timeout=60_000)
    page.locator("button.factdesk-check").focus()
    page.keyboard.press("Tab")
    first = page.locator(".factdesk-view mark.fd-claim").first
    expect(first).to_be_focused()
    expect(first.locator(".fd-tooltip")).to_be_visible()
    page.keyboard.press("Escape")
    expect(first.locator(".fd-tooltip")).to_be_hidden()

    # "Show in source" selects the evidence in the page's copy of the article.
    first.focus()
    first.locator("a.fd-source").click()
    quote = first.locator("q.fd-evidence").inner_text()
    assert page.evaluate("() => window.getSelection().toString()") == quote
