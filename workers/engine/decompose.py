"""Split a claim into checkable parts at lists of named things.

"The US, UK, France and Germany all support Rutte" is four claims, one per country, each judged
alone; "France and Italy endorsed Rutte" is two. Only lists of capitalised names joined by "and"
are split: "or" would change the meaning, and lower-case lists ("economic and political") are
usually one property, not several claims.
"""

from __future__ import annotations

import re

_NAME = r"(?:[Tt]he\s+)?(?:[A-Z][\w.'’-]*)(?:\s+(?:of\s+)?[A-Z][\w.'’-]*)*"
_LIST = re.compile(rf"({_NAME})((?:\s*,\s*{_NAME})*)\s*,?\s+and\s+({_NAME})")
_QUANTIFIER_AFTER = re.compile(r"^(\s+)(?:all|both|each|together)\b\s*")
_SEP = re.compile(r"\s*,\s*")


def decompose(claim: str) -> list[str]:
    """Return the parts of `claim`; a claim without a list of names is its own single part."""
    match = _LIST.search(claim)
    if match is None:
        return [claim]
    middle = [m for m in _SEP.split(match.group(2)) if m]
    items = [match.group(1), *middle, match.group(3)]
    before, after = claim[: match.start()], claim[match.end() :]
    after = _QUANTIFIER_AFTER.sub(r"\1", after)
    parts = []
    for item in items:
        if before == "" and item[:4].lower() == "the " and match.start() == 0:
            item = item[0].upper() + item[1:]
        parts.append(f"{before}{item}{after}")
    return parts
