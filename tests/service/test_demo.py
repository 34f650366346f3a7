"""The demo article is loaded once, whatever the number of `make run`s."""

from __future__ import annotations

from service.demo import DEMO_EXTERNAL_ID, load_demo_article


def test_loading_twice_keeps_one_article(stores, tmp_path) -> None:
    source = tmp_path / "demo.txt"
    source.write_text("France endorsed Rutte. Italy did not say.", encoding="utf-8")
    first = load_demo_article(stores, source)
    again = load_demo_article(stores, source)
    assert again["id"] == first["id"]
    assert again["revision"] == first["revision"]
    assert stores.articles.find_by_external_id(DEMO_EXTERNAL_ID)["id"] == first["id"]

    source.write_text("France endorsed Rutte.", encoding="utf-8")
    updated = load_demo_article(stores, source)
    assert updated["id"] == first["id"]
    assert updated["revision"] != first["revision"]
    stores.articles.delete(first["id"])
