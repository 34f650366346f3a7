"""Free-text validators: blank text and text with no UTF-8 form are refused with a reason."""

from __future__ import annotations

import marshmallow as ma
import pytest

from schemas.text import encodable, not_blank


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_blank_text_is_refused(text: str) -> None:
    with pytest.raises(ma.ValidationError, match="not only whitespace"):
        not_blank(text)


@pytest.mark.parametrize(("text", "index"), [("Bad \ud800 claim", 4), ("\udfff", 0)])
def test_a_lone_surrogate_is_refused_with_its_index(text: str, index: int) -> None:
    with pytest.raises(ma.ValidationError, match=f"lone surrogate at index {index}"):
        encodable(text)


def test_any_real_unicode_passes() -> None:
    encodable("Émile → 東京 🇫🇷 \U0001f600")
    not_blank(" x ")
