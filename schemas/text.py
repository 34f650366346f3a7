"""Validators for free text fields, shared by the request schemas."""

from __future__ import annotations

import marshmallow as ma


def not_blank(text: str) -> None:
    if not text.strip():
        raise ma.ValidationError("Must contain text, not only whitespace.")


def encodable(text: str) -> None:
    """Refuse text that has no UTF-8 form (a lone surrogate such as "\\ud800" from JSON).

    Redis stores UTF-8; without this a batch would fail half-way through writing.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        message = f"Must be valid Unicode: a lone surrogate at index {e.start}."
        raise ma.ValidationError(message) from e
