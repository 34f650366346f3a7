"""Generate `workers/engine/data/aliases.json`: the names a country goes by in news text.

Names and codes come from pycountry (ISO 3166), capitals, demonyms and alternative spellings from
the `countryinfo` package. The output is committed so the runtime needs neither the countryinfo
package nor this script. A few aliases no package carries (seats of government, "Holland") are
listed below with the reason they are needed.

Run: .venv/bin/python scripts/engine/build_aliases.py   (needs the `dev` extra installed)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pycountry
from countryinfo import CountryInfo

OUT = Path(__file__).resolve().parents[2] / "workers" / "engine" / "data" / "aliases.json"

# Metonyms that the packages do not list: seats of government other than the capital, and
# names newsrooms use for a country or its government.
EXTRA = {
    "NL": ["Holland", "The Hague"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "London", "Downing Street", "Whitehall"],
    "US": ["US", "U.S.", "USA", "U.S.A.", "America", "White House", "Washington"],
    "RU": ["Kremlin"],
    "KR": ["South Korea", "Seoul"],
    "KP": ["North Korea", "Pyongyang"],
}
# International organisations that claims name by acronym as often as by name.
ORGANISATIONS = {
    "org:EU": ["European Union"],
    "org:UN": ["United Nations"],
}
ORGANISATION_CODES = {"EU": "org:EU", "E.U.": "org:EU", "UN": "org:UN", "U.N.": "org:UN"}
# Upper-case codes that are also English words or well-known non-country abbreviations.
CODE_STOPLIST = {
    "CAN",
    "GUY",
    "ARE",
    "ARM",
    "AND",
    "FOR",
    "PER",
    "MAR",
    "TON",
    "PRY",
    "SEN",
    "MAC",
    "CUB",
    "BEN",
    "AUT",
    "GIN",
    "NAM",
    "MAN",
}


def _names(country: object) -> set[str]:
    names = {country.name}
    for attr in ("official_name", "common_name"):
        if getattr(country, attr, None):
            names.add(getattr(country, attr))
    return names


def _info(alpha_2: str) -> dict:
    try:
        return CountryInfo(alpha_2).info() or {}
    except (ValueError, KeyError):
        return {}


def build() -> dict:
    concepts: dict[str, list[str]] = {}
    codes: dict[str, str] = {}
    for country in pycountry.countries:
        key = f"country:{country.alpha_2}"
        info = _info(country.alpha_2)
        names = _names(country)
        names.update(s for s in info.get("altSpellings", []) if len(s) > 3)
        for field in ("capital", "demonym"):
            if isinstance(info.get(field), str) and info[field]:
                names.add(info[field])
        names.update(n for n in EXTRA.get(country.alpha_2, []) if not n.replace(".", "").isupper())
        # "Korea, Republic of" style names never appear in running text.
        names = {re.sub(r"\s*\(.*\)$", "", n) for n in names if "," not in n}
        concepts[key] = sorted(n for n in names if n)
        # Two-letter codes collide with too much ("TV", "PR", "CA"): only alpha-3 and EXTRA.
        short = [country.alpha_3] + [
            s for s in info.get("altSpellings", []) if s.isupper() and len(s) == 3
        ]
        short += [n for n in EXTRA.get(country.alpha_2, []) if n.replace(".", "").isupper()]
        for code in short:
            bare = code.replace(".", "")
            if bare not in CODE_STOPLIST or code in EXTRA.get(country.alpha_2, []):
                codes[code] = key
    concepts.update(ORGANISATIONS)
    codes.update(ORGANISATION_CODES)
    return {"concepts": concepts, "codes": dict(sorted(codes.items()))}


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
