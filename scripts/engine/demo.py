"""Print the engine's verdicts on a few claims about the demo article, as Markdown.

The output is what docs/engine.md ("Demo") shows; rerun it after changing the engine.
Run: .venv/bin/python scripts/engine/demo.py [--judge J] [claim ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from workers.engine import Document, Engine  # noqa: E402

ARTICLE = ROOT / "data" / "articles" / "nato-secretary-general-2024-03-13.txt"
CLAIMS = [
    "The US, UK, France and Germany all support Rutte",
    "France and Italy endorsed Rutte",
    "Washington backs the Dutch prime minister",
    "Budapest objects to Rutte",
    "Szijjarto praised Rutte",
    "Romanian officials immediately confirmed the reports",
]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--judge")
    p.add_argument("claims", nargs="*")
    args = p.parse_args()
    engine = Engine(judge=args.judge)
    doc = Document("nato-secretary-general-2024-03-13", ARTICLE.read_text(encoding="utf-8"))
    print(f"Engine `{engine.version}`, article `{doc.id}`.\n")
    for claim in args.claims or CLAIMS:
        v = engine.check(claim, [doc])
        print(f"**{claim}** → {v.label} ({v.confidence:.2f})\n")
        for part in v.parts:
            quote = f' — "{part.evidence[0].exact}"' if part.evidence else ""
            print(f"- part *{part.text}*: {part.label} ({part.confidence:.2f}){quote}")
        if not v.parts:
            for ev in v.evidence[:2]:
                print(f'- {ev.stance} ({ev.score:.2f}) [{ev.start}:{ev.end}] "{ev.exact}"')
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
