"""The API and `factdesk eval` run the same engine: same label, confidence and evidence spans."""

from __future__ import annotations

import pytest
import requests

from workers.engine import default_engine
from workers.evaluation.records import parse
from workers.evaluation.runner import predict

CLAIMS = [
    "France endorsed Rutte",
    "France and Italy endorsed Rutte",
    "Washington backs the Dutch prime minister",
    "Budapest objects to Rutte",
    "Szijjarto praised Rutte",
    "The moon is made of cheese",
]


@pytest.mark.parametrize("claim", CLAIMS)
def test_the_api_verdict_is_the_one_eval_computes(
    api: str, http: requests.Session, worker, demo_text: str, claim: str
) -> None:
    article = http.post(f"{api}/v1/articles", json={"text": demo_text}).json()
    posted = http.post(
        f"{api}/v1/checks?wait=20", json={"claim": claim, "article_id": article["id"]}
    )
    body = posted.json()
    assert body["status"] == "done", body
    served = body["verdict"]

    record = parse({"id": "eval-record", "claim": claim, "document": demo_text})
    engine = default_engine()
    expected = engine.check(record.claim, [record.document])
    scored = predict(record, engine)

    assert served["label"] == expected.label == scored.label
    assert served["confidence"] == pytest.approx(expected.confidence, abs=1e-4)
    assert served["engine"]["version"] == expected.engine_version
    assert [(e["span"]["start"], e["span"]["end"]) for e in served["evidence"]] == [
        (e.start, e.end) for e in expected.evidence
    ]
    assert [p["label"] for p in served.get("parts", [])] == [p.label for p in expected.parts]
