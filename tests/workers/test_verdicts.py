"""The wire form of a verdict: the engine's spans survive exactly, parts included."""

from __future__ import annotations

from schemas.verdicts import VerdictSchema
from workers.engine.types import Document, Evidence, PartVerdict, Verdict
from workers.sources import SourceDocument
from workers.verdicts import verdict_to_wire

TEXT = "Intro line. France and Germany endorsed Rutte. Italy said nothing."
DOC = Document(id="art_1", text=TEXT, revision="rev1", title="T", url="https://example.org/a")


def span(phrase: str, stance: str = "supports") -> Evidence:
    start = TEXT.index(phrase)
    return Evidence(
        DOC, sentence=1, start=start, end=start + len(phrase), stance=stance, score=0.912345
    )


def test_evidence_carries_source_span_and_quote() -> None:
    evidence = span("France and Germany endorsed Rutte.")
    wire = verdict_to_wire(
        Verdict("France endorsed Rutte", "SUPPORTED", 0.93, (evidence,), engine_version="v"),
        checked_at="2026-11-28T00:00:00.000Z",
    )
    item = wire["evidence"][0]
    assert item["source"] == {
        "type": "article",
        "id": "art_1",
        "revision": "rev1",
        "title": "T",
        "url": "https://example.org/a",
        "retrieved_at": None,
    }
    start, end = item["span"]["start"], item["span"]["end"]
    assert TEXT[start:end] == item["quote"]["exact"] == "France and Germany endorsed Rutte."
    assert TEXT[:start].endswith(item["quote"]["prefix"])
    assert TEXT[end:].startswith(item["quote"]["suffix"])
    assert item["score"] == 0.9123
    assert wire["engine"] == {"version": "v"}
    assert wire["cached"] is False
    assert wire["sources_unavailable"] == []
    assert VerdictSchema().validate(wire) == {}


def test_parts_keep_their_own_evidence() -> None:
    france, germany = span("France"), span("Germany")
    parts = (
        PartVerdict("France endorsed Rutte", "SUPPORTED", 0.9, (france,)),
        PartVerdict("Germany endorsed Rutte", "SUPPORTED", 0.8, (germany,)),
    )
    wire = verdict_to_wire(
        Verdict("France and Germany endorsed Rutte", "SUPPORTED", 0.8, (france, germany), parts),
        checked_at="t",
    )
    assert [p["text"] for p in wire["parts"]] == [p.text for p in parts]
    assert wire["parts"][1]["evidence"][0]["quote"]["exact"] == "Germany"


def test_a_document_without_revision_says_null() -> None:
    doc = Document(id="x", text="Some text.")
    evidence = Evidence(doc, sentence=0, start=0, end=4, stance="neutral", score=0.5)
    wire = verdict_to_wire(Verdict("c", "NOT_ENOUGH_INFO", 0.5, (evidence,)), checked_at="t")
    assert wire["evidence"][0]["source"]["revision"] is None


def test_a_fetched_source_says_when_and_the_missing_ones_are_listed() -> None:
    doc = SourceDocument(
        id="https://n.example/a",
        text="Some text.",
        type="url",
        revision="snap_1",
        retrieved_at="2026-12-02T12:00:00Z",
    )
    evidence = Evidence(doc, sentence=0, start=0, end=4, stance="neutral", score=0.5)
    missing = [{"type": "wikipedia", "reason": "wikipedia answered 503"}]
    wire = verdict_to_wire(
        Verdict("c", "NOT_ENOUGH_INFO", 0.5, (evidence,)),
        checked_at="t",
        sources_unavailable=missing,
    )
    assert wire["evidence"][0]["source"]["retrieved_at"] == "2026-12-02T12:00:00Z"
    assert wire["sources_unavailable"] == missing
    assert VerdictSchema().validate(wire) == {}
