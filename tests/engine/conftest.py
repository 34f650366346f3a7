"""Fixtures shared by the engine tests: the demo article as a Document."""

from pathlib import Path

import pytest

from workers.engine import Document

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "articles" / "nato-secretary-general-2024-03-13.txt"


@pytest.fixture(scope="session")
def demo_article() -> Document:
    return Document(id="nato-demo", text=DEMO.read_text(encoding="utf-8"))
