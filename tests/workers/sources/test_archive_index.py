"""The archive's in-memory BM25 index: passages, updates, deletes, compaction."""

from __future__ import annotations

from workers.sources.archive_index import MAX_UNIT_CHARS, ArchiveIndex, terms, units

STORY = (
    "NATO race heats up\n\n"
    "Romanian President Klaus Iohannis has entered the race for NATO Secretary-General.\n\n"
    "France and Germany endorsed Mark Rutte for the post.\n"
)


def test_units_are_paragraphs_with_exact_offsets() -> None:
    spans = units(STORY)
    assert [STORY[a:b] for a, b in spans] == [
        "NATO race heats up",
        "Romanian President Klaus Iohannis has entered the race for NATO Secretary-General.",
        "France and Germany endorsed Mark Rutte for the post.",
    ]


def test_a_long_paragraph_is_cut_at_sentence_ends() -> None:
    text = " ".join(f"Sentence number {n} is here." for n in range(200))
    spans = units(text)
    assert len(spans) > 1
    assert all(b - a <= MAX_UNIT_CHARS for a, b in spans)
    assert all(text[a:b].endswith(".") for a, b in spans)
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_terms_drop_stopwords_and_case() -> None:
    assert terms("The Alliance and its Secretary-General") == ["alliance", "secretary", "general"]


def test_the_best_passage_of_the_best_article_is_found() -> None:
    index = ArchiveIndex()
    index.upsert("art_nato", "r1", STORY)
    index.upsert("art_weather", "r1", "Rain in Brussels.\n\nSun expected in Rome on Friday.")
    [hit] = index.search("Which countries endorsed Rutte?", limit=3)
    assert (hit.article_id, hit.revision) == ("art_nato", "r1")
    assert STORY[hit.start : hit.end] == "France and Germany endorsed Mark Rutte for the post."
    assert index.search("Sun in Rome", limit=3)[0].article_id == "art_weather"


def test_an_update_replaces_the_old_revision() -> None:
    index = ArchiveIndex()
    index.upsert("art_1", "r1", STORY)
    index.upsert("art_1", "r2", "Hungary opposed Rutte's candidacy.")
    assert index.search("France endorsed Rutte", limit=3)[0].revision == "r2"
    assert index.search("Iohannis Romanian", limit=3) == []


def test_a_removed_article_is_not_found() -> None:
    index = ArchiveIndex()
    index.upsert("art_1", "r1", STORY)
    index.remove("art_1")
    index.remove("art_never")
    assert index.search("Rutte", limit=3) == []
    assert len(index) == 0


def test_excluded_articles_are_skipped() -> None:
    index = ArchiveIndex()
    index.upsert("art_1", "r1", STORY)
    index.upsert("art_2", "r1", "Rutte was endorsed by France, Le Monde reported.")
    hits = index.search("France endorsed Rutte", limit=3, exclude=frozenset({"art_1"}))
    assert [h.article_id for h in hits] == ["art_2"]


def test_compaction_keeps_every_live_article_findable() -> None:
    index = ArchiveIndex()
    for n in range(1500):
        index.upsert(f"art_{n}", "r1", f"Filler story {n} about harbour cranes.\n\nMore filler.")
    index.upsert("art_keep", "r1", STORY)
    for n in range(1200):
        index.remove(f"art_{n}")
    assert index.search("Iohannis Romanian", limit=1)[0].article_id == "art_keep"
    assert index.search("story 1499 cranes", limit=1)[0].article_id == "art_1499"
    assert len(index) == 301
